package org.greylab.core.job;

import java.util.Comparator;

/**
 * Orders '/'-separated relative paths the way people count: folder by folder, digits as numbers ("img2" before
 * "img10"), letters case-insensitively; exact ties are broken by the case-sensitive text so the order is total
 * and stable on every machine.
 */
public final class NaturalOrder implements Comparator<String> {

    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {
    }

    @Override
    public int compare(String a, String b) {
        String[] as = a.split("/", -1);
        String[] bs = b.split("/", -1);
        int n = Math.min(as.length, bs.length);
        for (int i = 0; i < n; i++) {
            int c = compareSegment(as[i], bs[i]);
            if (c != 0) {
                return c;
            }
        }
        if (as.length != bs.length) {
            return Integer.compare(as.length, bs.length);
        }
        for (int i = 0; i < n; i++) {
            int c = as[i].compareTo(bs[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int compareSegment(String a, String b) {
        int i = 0;
        int j = 0;
        int zerosTieBreak = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (isDigit(ca) && isDigit(cb)) {
                int ei = runEnd(a, i);
                int ej = runEnd(b, j);
                int si = skipZeros(a, i, ei);
                int sj = skipZeros(b, j, ej);
                int lenA = ei - si;
                int lenB = ej - sj;
                if (lenA != lenB) {
                    return Integer.compare(lenA, lenB);
                }
                for (int k = 0; k < lenA; k++) {
                    int c = Character.compare(a.charAt(si + k), b.charAt(sj + k));
                    if (c != 0) {
                        return c;
                    }
                }
                if (zerosTieBreak == 0) {
                    // "img01" and "img1" are the same number: the one with fewer zeros first, but only as a tie-break
                    zerosTieBreak = Integer.compare(ei - i, ej - j);
                }
                i = ei;
                j = ej;
            } else {
                int c = Character.compare(fold(ca), fold(cb));
                if (c != 0) {
                    return c;
                }
                i++;
                j++;
            }
        }
        if (i < a.length() || j < b.length()) {
            return Integer.compare(a.length() - i, b.length() - j);
        }
        return zerosTieBreak;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int runEnd(String s, int from) {
        int k = from;
        while (k < s.length() && isDigit(s.charAt(k))) {
            k++;
        }
        return k;
    }

    private static int skipZeros(String s, int from, int end) {
        int k = from;
        while (k < end - 1 && s.charAt(k) == '0') {
            k++;
        }
        return k;
    }

    private static char fold(char c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }
}
