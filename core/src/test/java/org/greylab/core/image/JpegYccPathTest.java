package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast JPEG path (raw YCbCr raster, libjpeg's conversion redone in Java, fused with the grey formula) gives the
 * very same grey as the JDK decoder's own RGB image, on every JPEG sample and corpus photo.
 */
class JpegYccPathTest {

    static Stream<Path> jpegs() throws IOException {
        Stream<Path> samples = Files.walk(Samples.folder());
        Stream<Path> corpus = Samples.corpus().map(d -> {
            try {
                return Files.list(d);
            } catch (IOException e) {
                return Stream.<Path>empty();
            }
        }).orElse(Stream.empty());
        List<Path> all = Stream.concat(samples, corpus)
                .filter(p -> p.getFileName().toString().matches("(?i).*\\.jpe?g")).sorted().toList();
        samples.close();
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jpegs")
    void rawYccPathEqualsTheDecodersRgb(Path jpeg) throws Exception {
        byte[] bytes = TestImages.bytes(jpeg);
        SourceMetadata meta = SourceMetadata.read(ImageFormat.JPEG, bytes);
        ImageDecoder.Decoded fast = ImageDecoder.decode(bytes, ImageFormat.JPEG, meta, Long.MAX_VALUE);

        BufferedImage rgb;
        ImageReader reader = jdkJpegReader();
        try {
            reader.setInput(new ByteArrayImageInputStream(bytes));
            rgb = reader.read(0);
        } finally {
            reader.dispose();
        }

        GreyImage viaYcc = GreyConverter.toGrey(fast, GreyFormula.SKIMAGE);
        GreyImage viaRgb = GreyConverter.toGrey(rgb, GreyFormula.SKIMAGE);
        if (meta.jpeg().isYcc() && meta.jpeg().icc() == null) {
            assertThat(fast.ycc()).as("an ordinary JPEG takes the raw YCbCr path").isNotNull();
        }
        assertThat(viaYcc.bytes()).isEqualTo(viaRgb.bytes());
    }

    private static ImageReader jdkJpegReader() {
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.")) {
                return r;
            }
        }
        throw new IllegalStateException("no JDK JPEG reader");
    }
}
