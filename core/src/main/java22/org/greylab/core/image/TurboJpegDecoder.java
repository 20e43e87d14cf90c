package org.greylab.core.image;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libjpeg-turbo's TurboJPEG API (the system's {@code libturbojpeg.so.0}) through the Foreign Function &amp; Memory
 * API: JPEG bytes to RGBX (or grey) in native memory, then the grey step in bands copied to the heap. Each image
 * being decoded has a TurboJPEG handle and native buffers of its own ({@link Worker}), reused from image to image
 * whatever thread converts it ({@link Reusables}).
 *
 * <p>The header is read first, so the pixel limit holds before any pixel buffer is allocated. The decoder runs with
 * the accurate integer inverse DCT and libjpeg's smooth ("fancy") chroma upsampling, as the JDK's libjpeg does; the
 * two still differ by a level on a few pixels, which is why a batch uses one decoder everywhere. Any warning
 * (damaged data, a truncated file) sends the file to the Java path, which gives the user its reason.
 */
final class TurboJpegDecoder implements NativeJpegDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(TurboJpegDecoder.class);
    /** Red, green, blue and a padding byte: read as a little-endian int, a pixel is one array element, which is
     *  what lets the grey step ({@link GreyRows#packed8}) run on vector units. */
    private static final int TJPF_RGBX = 2;
    private static final int TJCS_YCBCR = 1;
    private static final int TJCS_GRAY = 2;
    /** Pixels copied from native memory to the heap per grey step: a band that stays in the core's L2. */
    private static final int BAND_PIXELS = 1 << 16;
    /** Native buffers up to this size are kept between images (a 32 MP photo's RGBX); a bigger one is freed after
     *  its image. */
    private static final long KEPT_BUFFER_BYTES = 128L << 20;
    private static final ValueLayout.OfInt PACKED_PIXEL = JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final TurboJpeg turbo;
    private final MethodHandle initDecompress;
    private final MethodHandle decompressHeader;
    private final MethodHandle decompress;
    private final Reusables<Worker> workers = new Reusables<>(this::newWorker);

    private TurboJpegDecoder(TurboJpeg turbo) {
        this.turbo = turbo;
        Linker linker = Linker.nativeLinker();
        initDecompress = linker.downcallHandle(turbo.find("tjInitDecompress"), FunctionDescriptor.of(ADDRESS));
        decompressHeader = linker.downcallHandle(turbo.find("tjDecompressHeader3"), FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        decompress = linker.downcallHandle(turbo.find("tjDecompress2"), FunctionDescriptor.of(JAVA_INT, ADDRESS,
                ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /**
     * Opens the library and checks it on the embedded test JPEG (called by {@link JpegDecoders} by name).
     *
     * @throws NativeLayer.Unavailable the library is missing, lacks a function, or decodes the test image
     *                                 unlike the Java path
     */
    static TurboJpegDecoder open() throws NativeLayer.Unavailable {
        TurboJpegDecoder decoder;
        try {
            decoder = new TurboJpegDecoder(TurboJpeg.open());
        } catch (IllegalStateException e) {
            throw TurboJpeg.tooOld(e);
        }
        decoder.selfTest();
        return decoder;
    }

    @Override
    public String description() {
        return TurboJpeg.DESCRIPTION;
    }

    @Override
    public Decoded decodeGrey(byte[] input, int components, long maxPixels, GreyFormula formula)
            throws ConversionException {
        if (components != 1 && components != 3) {
            return null;
        }
        Worker w = workers.take();
        try {
            return decodeGrey(w, input, components, maxPixels, formula);
        } finally {
            workers.giveBack(w);
        }
    }

    private Decoded decodeGrey(Worker w, byte[] input, int components, long maxPixels, GreyFormula formula)
            throws ConversionException {
        long t0 = System.nanoTime();
        MemorySegment in = w.input.atLeast(input.length);
        MemorySegment.copy(input, 0, in, JAVA_BYTE, 0, input.length);
        int rc;
        try {
            rc = (int) decompressHeader.invokeExact(w.handle, in, (long) input.length, w.params,
                    w.params.asSlice(4), w.params.asSlice(8), w.params.asSlice(12));
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
        if (rc != 0) {
            LOG.debug("TurboJPEG refused the header ({}); the Java path decodes it", turbo.error(w.handle));
            return null;
        }
        int width = w.params.getAtIndex(JAVA_INT, 0);
        int height = w.params.getAtIndex(JAVA_INT, 1);
        int colourSpace = w.params.getAtIndex(JAVA_INT, 3);
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw ImageDecoder.tooLarge(width, height, maxPixels);
        }
        int bytesPerPixel = components == 1 ? 1 : 4;
        if (colourSpace != (components == 1 ? TJCS_GRAY : TJCS_YCBCR) || pixels * components > Integer.MAX_VALUE - 64) {
            return null;
        }
        MemorySegment out = w.output.atLeast(pixels * bytesPerPixel);
        int pixelFormat = components == 1 ? TurboJpeg.TJPF_GRAY : TJPF_RGBX;
        try {
            rc = (int) decompress.invokeExact(w.handle, in, (long) input.length, out, width, 0, height, pixelFormat,
                    TurboJpeg.TJFLAG_ACCURATEDCT);
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
        if (rc != 0) {
            LOG.debug("TurboJPEG warned ({}); the Java path decodes the file", turbo.error(w.handle));
            w.trim();
            return null;
        }
        long t1 = System.nanoTime();
        byte[] grey = new byte[(int) pixels];
        if (components == 1) {
            MemorySegment.copy(out, JAVA_BYTE, 0, grey, 0, grey.length);
        } else {
            for (int p = 0; p < grey.length; p += BAND_PIXELS) {
                int n = Math.min(BAND_PIXELS, grey.length - p);
                MemorySegment.copy(out, PACKED_PIXEL, 4L * p, w.band, 0, n);
                GreyRows.packed8(w.band, 0, grey, p, n, formula);
            }
        }
        w.trim();
        return new Decoded(GreyImage.of8(width, height, false, grey), t1 - t0);
    }

    /**
     * Decodes the embedded test JPEG (a synthetic 4:2:0 photo) and compares its grey with the Java path's, kept
     * beside it: every pixel within one level, as the reference tests ask of either path.
     */
    private void selfTest() throws NativeLayer.Unavailable {
        byte[] jpeg;
        byte[] expected;
        try {
            jpeg = NativeCalls.resource(TurboJpegDecoder.class, "turbo-selftest.jpg");
            expected = NativeCalls.resource(TurboJpegDecoder.class, "turbo-selftest.grey");
        } catch (IOException e) {
            throw new NativeLayer.Unavailable("the test JPEG is missing from this build: " + e);
        }
        Decoded decoded;
        try {
            decoded = decodeGrey(jpeg, 3, Long.MAX_VALUE, GreyFormula.SKIMAGE);
        } catch (ConversionException | RuntimeException e) {
            throw new NativeLayer.Unavailable(TurboJpeg.LIBRARY + " failed on the test JPEG: " + e);
        }
        if (decoded == null || decoded.image().bytes().length != expected.length) {
            throw new NativeLayer.Unavailable(TurboJpeg.LIBRARY + " did not decode the test JPEG");
        }
        byte[] got = decoded.image().bytes();
        for (int i = 0; i < got.length; i++) {
            if (Math.abs((got[i] & 0xFF) - (expected[i] & 0xFF)) > 1) {
                throw new NativeLayer.Unavailable(TurboJpeg.LIBRARY + " decodes the test JPEG differently"
                        + " from the Java path (pixel " + i + ": " + (got[i] & 0xFF) + " against "
                        + (expected[i] & 0xFF) + ")");
            }
        }
    }

    private Worker newWorker() {
        return turbo.withHandle(initDecompress, "tjInitDecompress", Worker::new);
    }

    /** A TurboJPEG handle, its native buffers and its heap band: one image's at a time. */
    private static final class Worker extends TurboJpeg.Worker {
        final MemorySegment params = Arena.ofAuto().allocate(JAVA_INT, 4);
        final int[] band = new int[BAND_PIXELS];

        Worker(MemorySegment handle) {
            super(handle, KEPT_BUFFER_BYTES);
        }
    }
}
