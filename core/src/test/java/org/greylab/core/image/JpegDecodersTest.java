package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.Test;

/**
 * Which JPEG decoder the process uses, and that the native one (where this JVM has it) decodes like the Java path.
 * The whole kernel suite runs once with each decoder on a JDK 22+ (core's {@code jdk22+} profile).
 */
class JpegDecodersTest {

    private static final List<Path> LIBRARY_FOLDERS = List.of(Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib/aarch64-linux-gnu"), Path.of("/usr/lib64"), Path.of("/usr/lib"));

    @Test
    void theNativeDecoderIsUsedWhereverItCanBeAndNeverWhereItCannot() {
        String asked = System.getProperty(JpegDecoders.PROPERTY, "auto");
        boolean canHaveIt = Runtime.version().feature() >= 22 && nativeLayerIsOnTheClassPath()
                && LIBRARY_FOLDERS.stream().anyMatch(d -> Files.exists(d.resolve("libturbojpeg.so.0")));
        JpegDecoding expected = canHaveIt && !asked.equals("java") ? JpegDecoding.TURBO : JpegDecoding.JAVA;

        assertThat(JpegDecoders.preferred()).as(JpegDecoders.description()).isEqualTo(expected);
        assertThat(ConversionSettings.defaults().jpegDecoding()).isEqualTo(expected);
        assertThat(JpegDecoders.description()).contains(expected == JpegDecoding.TURBO ? "libjpeg-turbo" : "Java");
    }

    @Test
    void theSelfTestsExpectedGreyIsTheJavaPathsOwn() throws Exception {
        byte[] jpeg = resource("turbo-selftest.jpg");
        SourceMetadata meta = SourceMetadata.read(ImageFormat.JPEG, jpeg);
        GreyImage grey = GreyConverter.toGrey(ImageDecoder.decode(jpeg, ImageFormat.JPEG, meta, Long.MAX_VALUE),
                GreyFormula.SKIMAGE);

        assertThat(meta.jpeg().isYcc()).isTrue();
        assertThat(grey.bytes()).isEqualTo(resource("turbo-selftest.grey"));
    }

    @Test
    void theNativeDecoderGivesTheJavaPathsPixelsOnEveryPhotoItTakes() throws Exception {
        NativeJpegDecoder decoder = JpegDecoders.nativeDecoder();
        assumeThat(decoder).as("no native decoder in this JVM: " + JpegDecoders.description()).isNotNull();
        List<Path> jpegs = new ArrayList<>(Samples.images());
        if (Samples.corpus().isPresent()) {
            jpegs.addAll(Samples.imagesUnder(Samples.corpus().get()));
        }
        int compared = 0;
        for (Path file : jpegs.stream().filter(p -> p.toString().matches("(?i).*\\.jpe?g")).toList()) {
            byte[] in = Files.readAllBytes(file);
            SourceMetadata meta = SourceMetadata.read(ImageFormat.JPEG, in);
            NativeJpegDecoder.Decoded fast = decoder.decodeGrey(in, meta.jpeg().components(), Long.MAX_VALUE,
                    GreyFormula.SKIMAGE);
            if (fast == null || !(meta.jpeg().icc() == null || ImageDecoder.isSrgb(meta.jpeg().icc(), false))) {
                continue;
            }
            GreyImage java = GreyConverter.toGrey(ImageDecoder.decode(in, ImageFormat.JPEG, meta, Long.MAX_VALUE),
                    GreyFormula.SKIMAGE);
            assertThat(fast.image().width()).isEqualTo(java.width());
            assertThat(fast.image().height()).isEqualTo(java.height());
            assertThat(maxDifference(fast.image().bytes(), java.bytes())).as(file.toString()).isLessThanOrEqualTo(1);
            compared++;
        }
        assertThat(compared).as("JPEGs the native decoder took").isGreaterThanOrEqualTo(5);
    }

    @Test
    void photosDecodedOnManyThreadsAtOnceGiveWhatOneThreadGives() throws Exception {
        NativeJpegDecoder decoder = JpegDecoders.nativeDecoder();
        assumeThat(decoder).as("no native decoder in this JVM").isNotNull();
        List<byte[]> jpegs = new ArrayList<>();
        for (Path file : Samples.images()) {
            if (file.toString().matches("(?i).*\\.jpe?g")) {
                jpegs.add(Files.readAllBytes(file));
            }
        }
        List<byte[]> alone = new ArrayList<>();
        for (byte[] jpeg : jpegs) {
            alone.add(greyOrNull(decoder, jpeg));
        }

        // each thread takes the photos in another order, so that buffers grown for one size meet every other size
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<byte[]>>> passes = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int shift = t;
                passes.add(threads.submit(() -> {
                    List<byte[]> got = new ArrayList<>(jpegs.size());
                    for (int i = 0; i < jpegs.size(); i++) {
                        got.add(null);
                    }
                    for (int k = 0; k < 3 * jpegs.size(); k++) {
                        int i = (k + shift * 5) % jpegs.size();
                        got.set(i, greyOrNull(decoder, jpegs.get(i)));
                    }
                    return got;
                }));
            }
            for (Future<List<byte[]>> pass : passes) {
                List<byte[]> got = pass.get();
                for (int i = 0; i < jpegs.size(); i++) {
                    assertThat(got.get(i)).as("photo " + i).isEqualTo(alone.get(i));
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(alone.stream().filter(grey -> grey != null && grey.length > 1_000_000)).as("large photos decoded")
                .isNotEmpty();
    }

    private static byte[] greyOrNull(NativeJpegDecoder decoder, byte[] jpeg) throws Exception {
        NativeJpegDecoder.Decoded decoded = decoder.decodeGrey(jpeg,
                SourceMetadata.read(ImageFormat.JPEG, jpeg).jpeg().components(), Long.MAX_VALUE, GreyFormula.SKIMAGE);
        return decoded == null ? null : decoded.image().bytes();
    }

    @Test
    void aHeaderAboveThePixelLimitFailsWithTheJavaPathsReasonBeforeAnyPixelIsDecoded() throws Exception {
        NativeJpegDecoder decoder = JpegDecoders.nativeDecoder();
        assumeThat(decoder).as("no native decoder in this JVM").isNotNull();
        byte[] in = Samples.bytes("china.jpg");

        ConversionSettings limited = ConversionSettings.defaults().withMaxPixels(1000)
                .withJpegDecoding(JpegDecoding.TURBO);
        ConversionSettings java = limited.withJpegDecoding(JpegDecoding.JAVA);

        String nativeReason = failure(in, limited);
        assertThat(nativeReason).isEqualTo(failure(in, java)).startsWith("image too large: 640 x 427");
    }

    @Test
    void aBatchOnTheJavaPathNeverTouchesTheNativeDecoder() throws Exception {
        byte[] in = Samples.bytes("flower.jpg");
        ConversionSettings java = ConversionSettings.defaults().withFormat(OutputFormat.PNG)
                .withJpegDecoding(JpegDecoding.JAVA);

        ConversionResult result = new GreyscaleKernel().convert(in, java);

        GreyImage expected = GreyConverter.toGrey(ImageDecoder.decode(in, ImageFormat.JPEG,
                SourceMetadata.read(ImageFormat.JPEG, in), Long.MAX_VALUE), GreyFormula.SKIMAGE);
        assertThat(TestImages.decode(result.output()).getRaster().getDataElements(0, 0, expected.width(),
                expected.height(), null)).isEqualTo(expected.bytes());
    }

    private static String failure(byte[] in, ConversionSettings settings) throws InterruptedException {
        try {
            new GreyscaleKernel().convert(in, settings);
            return "converted";
        } catch (ConversionException e) {
            return e.getMessage();
        }
    }

    private static int maxDifference(byte[] a, byte[] b) {
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        }
        return max;
    }

    private static boolean nativeLayerIsOnTheClassPath() {
        return JpegDecodersTest.class.getClassLoader().getResource("org/greylab/core/image/TurboJpegDecoder.class")
                != null;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = JpegDecoders.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
