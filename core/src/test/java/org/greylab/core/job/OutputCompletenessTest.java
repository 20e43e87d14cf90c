package org.greylab.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole outputs of each format Greylab writes pass; the same files emptied or cut short, as a crash leaves them,
 * fail.
 */
class OutputCompletenessTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = OutputFormat.class, names = {"PNG", "JPEG", "TIFF"})
    void aWholeOutputPassesAndTheSameOutputCutShortOrEmptiedDoesNot(OutputFormat format) throws Exception {
        byte[] whole = new GreyscaleKernel().convert(Samples.bytes("chelsea.png"),
                ConversionSettings.defaults().withFormat(format)).output();
        Path file = Files.write(tmp.resolve("out." + format.name().toLowerCase()), whole);

        assertThat(OutputCompleteness.looksComplete(file)).isTrue();

        Files.write(file, new byte[0]);
        assertThat(OutputCompleteness.looksComplete(file)).isFalse();

        if (format != OutputFormat.TIFF) {
            // a TIFF's directory may sit before its pixels, so only a file cut before it is told apart (below)
            Files.write(file, Arrays.copyOf(whole, whole.length / 2));
            assertThat(OutputCompleteness.looksComplete(file)).isFalse();
        }
    }

    @Test
    void aTiffCutBeforeItsFirstDirectoryFails() throws Exception {
        byte[] whole = new GreyscaleKernel().convert(Samples.bytes("chelsea.png"),
                ConversionSettings.defaults().withFormat(OutputFormat.TIFF)).output();
        long ifd = (whole[4] & 0xFFL) | (whole[5] & 0xFFL) << 8 | (whole[6] & 0xFFL) << 16 | (whole[7] & 0xFFL) << 24;
        boolean big = whole[0] == 'M';
        if (big) {
            ifd = (whole[7] & 0xFFL) | (whole[6] & 0xFFL) << 8 | (whole[5] & 0xFFL) << 16 | (whole[4] & 0xFFL) << 24;
        }
        Path file = Files.write(tmp.resolve("cut.tif"), Arrays.copyOf(whole, (int) ifd));

        assertThat(OutputCompleteness.looksComplete(file)).isFalse();
    }

    @Test
    void aFileOfAnotherKindCountsAsWholeUnlessEmptyAndAMissingOneIsNotWhole() throws Exception {
        Path notes = Files.writeString(tmp.resolve("notes.png"), "the user's own notes");

        assertThat(OutputCompleteness.looksComplete(notes)).isTrue();
        assertThat(OutputCompleteness.looksComplete(tmp.resolve("missing.png"))).isFalse();
    }
}
