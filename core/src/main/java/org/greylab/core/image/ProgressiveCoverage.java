package org.greylab.core.image;

/**
 * Whether a progressive JPEG's scans deliver every coefficient of every component to its last bit before EOI. A
 * progressive file cut short and closed with an EOI (as a download that was "repaired", or a cut at a scan
 * boundary) decodes without a word from any decoder: only its first scans are there, so the picture is blurred or
 * lacks colour. libjpeg's encoder refuses a scan script that leaves any coefficient incomplete, so an incomplete
 * one means data is missing.
 */
final class ProgressiveCoverage {

    private ProgressiveCoverage() {
    }

    /**
     * The number of coefficient bits still missing at EOI, summed over components and coefficients as counts of
     * (component, coefficient) pairs not finished; 0 for a complete file. -1 when the structure cannot be followed
     * (the decoder then judges the file, as before).
     */
    static int missingCoefficients(byte[] in) {
        int[] componentIds = null;
        boolean[][] done = null;
        int pos = 2;
        try {
            while (pos + 4 <= in.length) {
                if ((in[pos] & 0xFF) != 0xFF) {
                    return -1;
                }
                int marker = in[pos + 1] & 0xFF;
                if (marker == 0xFF) {
                    pos++;
                    continue;
                }
                if (marker == 0xD9) {
                    break;
                }
                if (marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
                    pos += 2;
                    continue;
                }
                int len = (in[pos + 2] & 0xFF) << 8 | (in[pos + 3] & 0xFF);
                int body = pos + 4;
                if (marker == 0xC2) {
                    int n = in[body + 5] & 0xFF;
                    componentIds = new int[n];
                    done = new boolean[n][64];
                    for (int c = 0; c < n; c++) {
                        componentIds[c] = in[body + 6 + 3 * c] & 0xFF;
                    }
                }
                pos += 2 + len;
                if (marker == 0xDA) {
                    if (done == null) {
                        return -1;
                    }
                    int n = in[body] & 0xFF;
                    int ss = in[body + 1 + 2 * n] & 0xFF;
                    int se = in[body + 2 + 2 * n] & 0xFF;
                    int al = in[body + 3 + 2 * n] & 0x0F;
                    for (int s = 0; s < n; s++) {
                        int c = indexOf(componentIds, in[body + 1 + 2 * s] & 0xFF);
                        if (c >= 0 && al == 0) {
                            for (int k = ss; k <= Math.min(se, 63); k++) {
                                done[c][k] = true;
                            }
                        }
                    }
                    pos = skipEntropyData(in, pos);
                }
            }
        } catch (IndexOutOfBoundsException e) {
            return -1;
        }
        if (done == null) {
            return -1;
        }
        int missing = 0;
        for (boolean[] component : done) {
            for (boolean coefficient : component) {
                missing += coefficient ? 0 : 1;
            }
        }
        return missing;
    }

    /** The position of the marker that ends a scan's entropy-coded data (stuffed 0xFF00 and RSTn are data). */
    private static int skipEntropyData(byte[] in, int pos) {
        while (pos + 1 < in.length) {
            if ((in[pos] & 0xFF) == 0xFF) {
                int next = in[pos + 1] & 0xFF;
                if (next != 0 && !(next >= 0xD0 && next <= 0xD7) && next != 0xFF) {
                    return pos;
                }
            }
            pos++;
        }
        return in.length;
    }

    private static int indexOf(int[] ids, int id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }
}
