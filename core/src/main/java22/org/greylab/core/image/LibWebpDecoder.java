package org.greylab.core.image;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * libwebp's simple decoding API (the system's {@code libwebp.so.7}) through the Foreign Function &amp; Memory API:
 * {@code WebPGetInfo} for the size (so the pixel limit holds before any pixel buffer exists), then
 * {@code WebPDecodeBGRAInto} into native memory, which is exactly what {@code dwebp} does by default (fancy
 * upsampling, the loop filter as encoded). Animated files are refused by libwebp and take the Java path.
 */
final class LibWebpDecoder implements NativeWebpDecoder {

    private static final String LIBRARY = "libwebp.so.7";

    private final MethodHandle getInfo;
    private final MethodHandle decodeInto;
    private final int version;

    private LibWebpDecoder(SymbolLookup lib) {
        Linker linker = Linker.nativeLinker();
        getInfo = linker.downcallHandle(find(lib, "WebPGetInfo"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG,
                ADDRESS, ADDRESS));
        decodeInto = linker.downcallHandle(find(lib, "WebPDecodeBGRAInto"), FunctionDescriptor.of(ADDRESS, ADDRESS,
                JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT));
        MethodHandle getVersion = linker.downcallHandle(find(lib, "WebPGetDecoderVersion"),
                FunctionDescriptor.of(JAVA_INT));
        try {
            version = (int) getVersion.invokeExact();
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
    }

    /**
     * Opens the library and checks it on the embedded test image (called by {@link WebpDecoders} by name).
     *
     * @throws IllegalStateException the library is missing, lacks a function, or decodes the test image unlike
     *                               {@code dwebp} did when the test image was made
     */
    static LibWebpDecoder open() {
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(LIBRARY + " is not installed (Debian and Ubuntu: apt install libwebp7)");
        }
        LibWebpDecoder decoder = new LibWebpDecoder(lib);
        decoder.selfTest();
        return decoder;
    }

    @Override
    public String description() {
        return "libwebp " + (version >> 16) + "." + ((version >> 8) & 0xFF) + "." + (version & 0xFF) + " (" + LIBRARY
                + ", through the Foreign Function & Memory API)";
    }

    @Override
    public BufferedImage decode(byte[] webp, long maxPixels) throws ConversionException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(webp.length);
            MemorySegment.copy(webp, 0, in, JAVA_BYTE, 0, webp.length);
            MemorySegment size = arena.allocate(JAVA_INT, 2);
            MemorySegment result;
            try {
                if ((int) getInfo.invokeExact(in, (long) webp.length, size, size.asSlice(4)) == 0) {
                    return null;
                }
            } catch (Throwable t) {
                throw NativeCalls.failure(t);
            }
            int width = size.getAtIndex(JAVA_INT, 0);
            int height = size.getAtIndex(JAVA_INT, 1);
            if ((long) width * height > maxPixels) {
                throw ImageDecoder.tooLarge(width, height, maxPixels);
            }
            long bytes = 4L * width * height;
            MemorySegment out = arena.allocate(bytes, 64);
            int stride = 4 * width;
            try {
                result = (MemorySegment) decodeInto.invokeExact(in, (long) webp.length, out, bytes, stride);
            } catch (Throwable t) {
                throw NativeCalls.failure(t);
            }
            if (result.equals(MemorySegment.NULL)) {
                return null;
            }
            // BGRA bytes are one little-endian ARGB int per pixel
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
            int[] argb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            MemorySegment.copy(out, JAVA_INT.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0, argb, 0, argb.length);
            return opaque(argb) ? withoutAlpha(image) : image;
        }
    }

    private static boolean opaque(int[] argb) {
        for (int p : argb) {
            if (p >>> 24 != 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static BufferedImage withoutAlpha(BufferedImage argb) {
        BufferedImage rgb = new BufferedImage(argb.getWidth(), argb.getHeight(), BufferedImage.TYPE_INT_RGB);
        int[] from = ((DataBufferInt) argb.getRaster().getDataBuffer()).getData();
        int[] to = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        System.arraycopy(from, 0, to, 0, from.length);
        return rgb;
    }

    /**
     * Decodes the embedded lossy test image (webp-selftest.webp, with loop filter) and compares every pixel with
     * what {@code dwebp} gave for it (webp-selftest.rgb): equal, or libwebp is not the decoder we think it is.
     */
    private void selfTest() {
        byte[] webp;
        byte[] expected;
        try {
            webp = NativeCalls.resource(LibWebpDecoder.class, "webp-selftest.webp");
            expected = NativeCalls.resource(LibWebpDecoder.class, "webp-selftest.rgb");
        } catch (IOException e) {
            throw new IllegalStateException("the test WebP is missing from this build: " + e);
        }
        BufferedImage image;
        try {
            image = decode(webp, Long.MAX_VALUE);
        } catch (ConversionException | RuntimeException e) {
            throw new IllegalStateException(LIBRARY + " failed on the test WebP: " + e);
        }
        if (image == null || 3L * image.getWidth() * image.getHeight() != expected.length) {
            throw new IllegalStateException(LIBRARY + " did not decode the test WebP");
        }
        int[] rgb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        for (int i = 0; i < rgb.length; i++) {
            int want = (expected[3 * i] & 0xFF) << 16 | (expected[3 * i + 1] & 0xFF) << 8
                    | (expected[3 * i + 2] & 0xFF);
            if ((rgb[i] & 0xFFFFFF) != want) {
                throw new IllegalStateException(LIBRARY + " decodes the test WebP unlike dwebp (pixel " + i + ")");
            }
        }
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        return NativeCalls.find(lib, LIBRARY, name);
    }
}
