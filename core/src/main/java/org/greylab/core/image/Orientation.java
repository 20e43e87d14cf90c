package org.greylab.core.image;

/**
 * EXIF orientation (tag 0x0112, values 1-8): how the stored pixels must be turned to stand as the photo is seen.
 * Applied to the grey plane, which is 3-4 times smaller than the decoded colour image.
 */
final class Orientation {

    static final int NORMAL = 1;

    private Orientation() {
    }

    static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /** The image turned upright; {@code orientation} outside 2-8 returns it as is. */
    static GreyImage apply(GreyImage in, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return in;
        }
        int w = in.width();
        int h = in.height();
        boolean swap = swapsAxes(orientation);
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int ch = in.channels();
        int n = w * h * ch;
        byte[] b = in.bytes();
        short[] s = in.shorts();
        byte[] ob = b != null ? new byte[n] : null;
        short[] os = s != null ? new short[n] : null;
        int i = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i += ch) {
                int dx;
                int dy;
                switch (orientation) {
                    case 2 -> { dx = w - 1 - x; dy = y; }
                    case 3 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    case 4 -> { dx = x; dy = h - 1 - y; }
                    case 5 -> { dx = y; dy = x; }
                    case 6 -> { dx = h - 1 - y; dy = x; }
                    case 7 -> { dx = h - 1 - y; dy = w - 1 - x; }
                    default -> { dx = y; dy = w - 1 - x; }
                }
                int o = (dy * ow + dx) * ch;
                if (ob != null) {
                    ob[o] = b[i];
                    if (ch == 2) {
                        ob[o + 1] = b[i + 1];
                    }
                } else {
                    os[o] = s[i];
                    if (ch == 2) {
                        os[o + 1] = s[i + 1];
                    }
                }
            }
        }
        return new GreyImage(ow, oh, in.bitDepth(), in.hasAlpha(), ob, os);
    }
}
