package org.greylab.core.image;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * A GIF's logical screen and where its first frame lies on it. The GIF reader returns the frame alone; every browser
 * shows it on the screen at its offset, the rest transparent, and so must the output.
 */
record GifScreen(int width, int height, int frameX, int frameY, int frameWidth, int frameHeight) {

    /** The screen and first image descriptor read from the bytes, or null when the structure cannot be followed. */
    static GifScreen read(byte[] in) {
        try {
            int width = u16(in, 6);
            int height = u16(in, 8);
            int flags = in[10] & 0xFF;
            int pos = 13 + ((flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0);
            while (pos < in.length) {
                int block = in[pos] & 0xFF;
                if (block == 0x2C) {
                    return new GifScreen(width, height, u16(in, pos + 1), u16(in, pos + 3), u16(in, pos + 5),
                            u16(in, pos + 7));
                }
                if (block != 0x21) {
                    return null;
                }
                pos += 2; // extension introducer and label, then sub-blocks up to a zero length
                while (in[pos] != 0) {
                    pos += (in[pos] & 0xFF) + 1;
                }
                pos++;
            }
            return null;
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** Whether the frame covers the whole screen exactly (then the frame is the picture as it is). */
    boolean frameFillsScreen() {
        return frameX == 0 && frameY == 0 && frameWidth == width && frameHeight == height;
    }

    /** The frame drawn at its offset on a transparent screen-sized image. */
    BufferedImage place(BufferedImage frame) {
        BufferedImage screen = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = screen.createGraphics();
        try {
            g.drawImage(frame, frameX, frameY, null);
        } finally {
            g.dispose();
        }
        return screen;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }
}
