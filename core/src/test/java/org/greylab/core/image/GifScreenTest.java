package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GIFs (Pillow's test images) whose first frame is smaller than the logical screen, against ImageMagick's -coalesce. */
class GifScreenTest {

    private final GreyscaleKernel kernel = new GreyscaleKernel();

    /**
     * first_frame_transparency.gif: a 50 x 50 frame at (25, 0) on a 75 x 50 screen; dispose_bgnd_transparency.gif:
     * 27 x 32 at (0, 0) on 38 x 32.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"first_frame_transparency.gif", "dispose_bgnd_transparency.gif"})
    void aFrameSmallerThanTheScreenIsPlacedAtItsOffsetOnATransparentScreen(String name) throws Exception {
        ConversionResult r = kernel.convert(SuiteFiles.bytes("gif", name),
                ConversionSettings.defaults().withFormat(OutputFormat.PNG));

        BufferedImage out = TestImages.decode(r.output());
        BufferedImage reference = SuiteFiles.reference("gif/ref", name);
        assertThat(out.getColorModel().hasAlpha()).isTrue();
        SuiteFiles.assertMatchesReference(out, reference, 1, name);
    }
}
