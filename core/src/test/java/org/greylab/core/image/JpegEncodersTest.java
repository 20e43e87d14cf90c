package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.Test;

/**
 * The native JPEG encoder (where this JVM has it) writes the JDK writer's bytes, so that which one ran never shows
 * in an output; and the choice follows {@code -Dgreylab.jpeg}.
 */
class JpegEncodersTest {

    @Test
    void theNativeEncoderIsUsedWhereverTheNativeDecoderIsAndNeverWhereJavaIsAskedFor() {
        if (JpegDecoders.allowed() == JpegDecoding.JAVA) {
            assertThat(JpegEncoders.nativeEncoder()).as(JpegEncoders.description()).isNull();
            assertThat(JpegEncoders.description()).startsWith("the JDK's").contains("-Dgreylab.jpeg=java");
        } else if (JpegDecoders.preferred() == JpegDecoding.TURBO) {
            // the same library decodes here, so it must encode here too
            assertThat(JpegEncoders.nativeEncoder()).as(JpegEncoders.description()).isNotNull();
            assertThat(JpegEncoders.description()).startsWith("libjpeg-turbo");
        } else {
            assertThat(JpegEncoders.description()).startsWith(JpegEncoders.nativeEncoder() == null ? "the JDK's"
                    : "libjpeg-turbo");
        }
    }

    @Test
    void everyPhotoAndOddSizeIsWrittenWithTheJdkWritersBytesAtEveryQuality() throws Exception {
        NativeJpegEncoder turbo = JpegEncoders.nativeEncoder();
        assumeThat(turbo).as("no native encoder in this JVM: " + JpegEncoders.description()).isNotNull();
        List<GreyImage> images = new ArrayList<>();
        for (int[] size : new int[][] {{1, 1}, {7, 5}, {8, 8}, {17, 300}, {160, 120}, {641, 9}}) {
            images.add(pattern(size[0], size[1]));
        }
        List<Path> photos = new ArrayList<>(Samples.images());
        if (Samples.corpus().isPresent()) {
            photos.addAll(Samples.imagesUnder(Samples.corpus().get()));
        }
        for (Path photo : photos.stream().filter(p -> p.toString().matches("(?i).*\\.jpe?g")).limit(6).toList()) {
            byte[] in = Files.readAllBytes(photo);
            SourceMetadata meta = SourceMetadata.read(ImageFormat.JPEG, in);
            images.add(GreyConverter.toGrey(ImageDecoder.decode(in, ImageFormat.JPEG, meta, Long.MAX_VALUE),
                    GreyFormula.SKIMAGE).flattenOnWhite());
        }
        int compared = 0;
        for (GreyImage image : images) {
            for (int quality : new int[] {1, 10, 75, 90, 97, 100}) {
                double[][] densities = {{0, 0}, {72, 72}, {300, 150}, {1e6, 0.2}};
                double[] dpi = densities[compared % densities.length];
                byte[] jdk = GreyJpegEncoder.encodeWithJdk(image, quality, dpi[0], dpi[1]);
                byte[] native8 = turbo.encodeGrey(image.bytes(), image.width(), image.height(), quality,
                        GreyJpegEncoder.jfif(dpi[0], dpi[1]));
                assertThat(Arrays.mismatch(native8, jdk)).as("first byte unlike the JDK's at %dx%d, quality %d,"
                        + " %s dpi (%d and %d bytes)", image.width(), image.height(), quality, Arrays.toString(dpi),
                        native8.length, jdk.length).isEqualTo(-1);
                compared++;
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(6 * 8);
    }

    @Test
    void atEveryQualityTheNativeEncoderIsUsedExactlyWhereItWritesTheJdksBytes() throws Exception {
        NativeJpegEncoder turbo = JpegEncoders.nativeEncoder();
        assumeThat(turbo).as("no native encoder in this JVM").isNotNull();
        GreyImage image = pattern(37, 29);
        int alike = 0;
        for (int quality = 1; quality <= 100; quality++) {
            byte[] jdk = GreyJpegEncoder.encodeWithJdk(image, quality, 0, 0);
            byte[] native8 = turbo.encodeGrey(image.bytes(), image.width(), image.height(), quality,
                    GreyJpegEncoder.jfif(0, 0));
            assertThat(Arrays.equals(native8, jdk)).as("quality %d", quality)
                    .isEqualTo(JpegEncoders.sameTables(quality));
            assertThat(JpegEncoders.nativeEncoder(quality)).isSameAs(JpegEncoders.sameTables(quality) ? turbo : null);
            alike += JpegEncoders.sameTables(quality) ? 1 : 0;
        }
        // the default, 90, and the other usual ones among them
        assertThat(alike).isGreaterThanOrEqualTo(60);
        assertThat(JpegEncoders.sameTables(ConversionSettings.DEFAULT_JPEG_QUALITY)).isTrue();
    }

    @Test
    void theKernelsJpegOutputIsTheSameWithEitherEncoder() throws Exception {
        NativeJpegEncoder turbo = JpegEncoders.nativeEncoder();
        assumeThat(turbo).as("no native encoder in this JVM").isNotNull();
        GreyImage image = pattern(123, 77);
        byte[] exif = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0};

        for (int quality : new int[] {85, 90}) {
            byte[] viaKernel = GreyJpegEncoder.encode(image, quality, 96, 96, exif);

            assertThat(viaKernel).isEqualTo(GreyJpegEncoder.withExif(GreyJpegEncoder.encodeWithJdk(image, quality, 96,
                    96), exif));
        }
    }

    /** A gradient with texture and a hard edge: every quantization step and both partial-block edges matter. */
    private static GreyImage pattern(int width, int height) {
        byte[] grey = new byte[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                grey[y * width + x] = (byte) (x * 5 + y * 11 + ((x * 31 + y * 17) % 23) * 3 + (x > width / 2 ? 70 : 0));
            }
        }
        return GreyImage.of8(width, height, false, grey);
    }
}
