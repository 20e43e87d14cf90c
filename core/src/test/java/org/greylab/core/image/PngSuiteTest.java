package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole PngSuite (Willem van Schaik's): every valid file against ImageMagick's (libpng's) reading of it, every
 * damaged {@code x*.png} failing with the reason pngcheck finds; and the damage a browser shows past (a cut or
 * missing IEND, a bad CRC in an ancillary chunk) built from its files.
 */
class PngSuiteTest {

    private static final String SUITE = "pngsuite";
    private static final ConversionSettings PNG_OUT = ConversionSettings.defaults().withFormat(OutputFormat.PNG);

    private final GreyscaleKernel kernel = new GreyscaleKernel();

    static List<String> validFiles() {
        return SuiteFiles.names(SUITE, n -> n.endsWith(".png") && !n.startsWith("x"));
    }

    static List<String> damagedFiles() {
        return SuiteFiles.names(SUITE, n -> n.endsWith(".png") && n.startsWith("x"));
    }

    /** pngcheck's verdict per damaged file (ref/pngcheck-damaged.txt), as words the kernel's reason must contain. */
    static Stream<org.junit.jupiter.params.provider.Arguments> damagedFilesWithPngcheckVerdict() throws Exception {
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (String line : Files.readAllLines(TestImages.resource("suites/pngsuite/ref/pngcheck-damaged.txt"),
                StandardCharsets.UTF_8)) {
            int space = line.indexOf(' ');
            verdicts.put(line.substring(0, space).replace(":", ""), line.substring(space).trim());
        }
        assertThat(verdicts.keySet()).as("pngcheck judged every damaged file").containsExactlyElementsOf(damagedFiles());
        return verdicts.entrySet().stream().map(e -> org.junit.jupiter.params.provider.Arguments.of(e.getKey(),
                e.getValue(), expectedWords(e.getValue())));
    }

    /** What the kernel's reason says for each kind of damage pngcheck names. */
    private static String expectedWords(String pngcheck) {
        var depth = java.util.regex.Pattern.compile("invalid IHDR sample depth \\((\\d+)\\)").matcher(pngcheck);
        var type = java.util.regex.Pattern.compile("invalid IHDR image type \\((\\d+)\\)").matcher(pngcheck);
        var crc = java.util.regex.Pattern.compile("CRC error in chunk (\\w{4})").matcher(pngcheck);
        if (depth.find()) {
            return "bit depth " + depth.group(1);
        } else if (type.find()) {
            return "colour type " + type.group(1);
        } else if (crc.find()) {
            return "CRC of its " + crc.group(1) + " chunk";
        } else if (pngcheck.contains("no IDAT")) {
            return "no IDAT";
        } else if (pngcheck.contains("text conversion") || pngcheck.contains("neither a PNG")) {
            return "signature is wrong";
        }
        throw new AssertionError("a pngcheck verdict this test does not know: " + pngcheck);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFiles")
    void everyValidPngSuiteFileMatchesImageMagicksGreyWithinOneLevel(String name) throws Exception {
        ConversionResult r = kernel.convert(SuiteFiles.bytes(SUITE, name), PNG_OUT);

        assertThat(r.warnings()).as("warnings for a valid file").isEmpty();
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()), SuiteFiles.reference(SUITE + "/ref", name),
                1, name);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("damagedFilesWithPngcheckVerdict")
    void everyDamagedPngSuiteFileFailsWithTheReasonPngcheckGives(String name, String pngcheck, String words) {
        ConversionException e = catchThrowableOfType(ConversionException.class,
                () -> kernel.convert(SuiteFiles.bytes(SUITE, name), PNG_OUT));

        assertThat(e).as(name + " fails").isNotNull();
        assertThat(e.stage()).isEqualTo(Stage.DECODE);
        assertThat(e.reason()).contains(words).doesNotContain("not an image");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("iphoneFiles")
    void anIphoneOptimisedPngFailsNamingWhatItIsAndATool(String name) {
        ConversionException e = catchThrowableOfType(ConversionException.class,
                () -> kernel.convert(SuiteFiles.bytes("pngsuite-iphone", name), PNG_OUT));

        assertThat(e).isNotNull();
        assertThat(e.reason()).contains("CgBI").contains("-revert-iphone-optimizations").doesNotContain("damaged");
    }

    static List<String> iphoneFiles() {
        return SuiteFiles.names("pngsuite-iphone", n -> n.endsWith(".png"));
    }

    @Test
    void aGreyImageWithATransparentGreyValueKeepsItAsAlpha() throws Exception {
        // tbbn0g04: 4-bit grey whose tRNS makes one grey level transparent
        ConversionResult r = kernel.convert(SuiteFiles.bytes(SUITE, "tbbn0g04.png"), PNG_OUT);

        var out = TestImages.decode(r.output());
        assertThat(out.getColorModel().hasAlpha()).isTrue();
        SuiteFiles.assertMatchesReference(out, SuiteFiles.reference(SUITE + "/ref", "tbbn0g04.png"), 1, "tbbn0g04");
    }

    @Test
    void aBadCrcInAnAncillaryChunkDropsThatChunkWithAWarning() throws Exception {
        byte[] png = SuiteFiles.bytes(SUITE, "basn2c08.png");
        int gama = indexOf(png, "gAMA");
        png[gama + 4 + 4] ^= 0x01; // the CRC's first byte (gAMA's data is 4 bytes)

        ConversionResult r = kernel.convert(png, PNG_OUT);

        assertThat(r.warnings()).singleElement().asString().contains("gAMA").contains("bad CRC");
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()),
                SuiteFiles.reference(SUITE + "/ref", "basn2c08.png"), 1, "basn2c08 with a damaged gAMA");
    }

    @Test
    void aPngWithoutItsIendConvertsWithAWarning() throws Exception {
        byte[] png = SuiteFiles.bytes(SUITE, "basn6a08.png");
        byte[] cut = Arrays.copyOf(png, png.length - 12);

        assertConvertsWithCutShortWarning(cut, "basn6a08.png");
    }

    @Test
    void aPngCutInsideItsIendConvertsWithAWarning() throws Exception {
        byte[] png = SuiteFiles.bytes(SUITE, "basi0g08.png");
        byte[] cut = Arrays.copyOf(png, png.length - 5);

        assertConvertsWithCutShortWarning(cut, "basi0g08.png");
    }

    @Test
    void aPngCutInsideItsLastIdatAfterTheImageDataConvertsWithAWarning() throws Exception {
        // the zlib stream ends 4 bytes (its Adler-32) before the chunk's CRC: cut there, the image data is whole
        byte[] png = SuiteFiles.bytes(SUITE, "basn0g08.png");
        byte[] cut = Arrays.copyOf(png, indexOf(png, "IEND") - 4 - 4);

        assertConvertsWithCutShortWarning(cut, "basn0g08.png");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"basn0g08.png", "basi6a08.png"})
    void aPngWhoseLastIdatGoesOnAfterTheEndOfItsZlibStreamConvertsWithAWarning(String name) throws Exception {
        // libpng (ImageMagick) reads such a file with the warning "IDAT: Extra compressed data"; CRCs stay valid
        byte[] png = withLastIdatData(SuiteFiles.bytes(SUITE, name), data -> concat(data, new byte[] {7, 8, 9, 10, 11}));

        ConversionResult r = kernel.convert(png, PNG_OUT);

        assertThat(r.warnings()).singleElement().asString().contains("goes on for 5 bytes after the end of its"
                + " compressed image data");
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()), SuiteFiles.reference(SUITE + "/ref", name),
                1, name + " with bytes after its zlib stream");
    }

    @Test
    void aPngWithValidCrcsAndIendWhoseZlibStreamEndsEarlyFails() {
        // the encoder's own file, every CRC right, but its image data stops halfway: the JDK's reader fills black
        byte[] png = withLastIdatData(SuiteFiles.bytes(SUITE, "basn2c08.png"),
                data -> Arrays.copyOf(data, data.length / 2));

        assertThatThrownBy(() -> kernel.convert(png, PNG_OUT)).isInstanceOfSatisfying(ConversionException.class,
                e -> assertThat(e.reason()).contains("truncated or damaged").contains("ends early"));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"PLTE, basn3p08.png", "IDAT, basn3p08.png", "IDAT, basi0g16.png"})
    void aBadCrcInThePaletteOrTheImageDataFails(String chunk, String name) {
        byte[] png = SuiteFiles.bytes(SUITE, name);
        int type = indexOf(png, chunk);
        png[type + 4 + (int) u32(png, type - 4)] ^= 0x10; // the chunk's CRC

        assertThatThrownBy(() -> kernel.convert(png, PNG_OUT)).isInstanceOfSatisfying(ConversionException.class,
                e -> assertThat(e.reason()).contains("CRC of its " + chunk + " chunk"));
    }

    @Test
    void aPngWhoseImageDataEndsEarlyFails() {
        byte[] png = SuiteFiles.bytes(SUITE, "basn6a08.png");
        int idat = indexOf(png, "IDAT");
        byte[] cut = Arrays.copyOf(png, idat + 4 + (int) u32(png, idat - 4) / 2);

        assertThatThrownBy(() -> kernel.convert(cut, PNG_OUT)).isInstanceOfSatisfying(ConversionException.class,
                e -> assertThat(e.reason()).contains("truncated"));
    }

    @Test
    void aBadCrcInTheHeaderFailsEvenWhenTheHeaderIsValid() {
        byte[] png = SuiteFiles.bytes(SUITE, "basn0g08.png");
        png[8 + 8 + 13] ^= 0x40; // IHDR's CRC

        assertThatThrownBy(() -> kernel.convert(png, PNG_OUT)).isInstanceOfSatisfying(ConversionException.class,
                e -> assertThat(e.reason()).contains("CRC of its IHDR chunk"));
    }

    @Test
    void aRepairedChunkCrcIsWhatTheDecoderReads() throws Exception {
        // the damage test above is real: with its CRC recomputed, the same changed byte converts without a warning
        byte[] png = SuiteFiles.bytes(SUITE, "basn2c08.png");
        int gama = indexOf(png, "gAMA");
        png[gama + 4 + 3] ^= 0x01;
        CRC32 crc = new CRC32();
        crc.update(png, gama, 8);
        long v = crc.getValue();
        for (int i = 0; i < 4; i++) {
            png[gama + 8 + i] = (byte) (v >>> (24 - 8 * i));
        }

        assertThat(kernel.convert(png, PNG_OUT).warnings()).isEmpty();
    }

    private void assertConvertsWithCutShortWarning(byte[] cut, String name) throws Exception {
        ConversionResult r = kernel.convert(cut, PNG_OUT);

        assertThat(r.warnings()).singleElement().asString().contains("cut short");
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()), SuiteFiles.reference(SUITE + "/ref", name),
                1, name + " cut");
    }

    /** The PNG with its last IDAT's data changed, and that chunk's length and CRC made right for the new data. */
    private static byte[] withLastIdatData(byte[] png, UnaryOperator<byte[]> change) {
        int type = lastIndexOf(png, "IDAT");
        int length = (int) u32(png, type - 4);
        byte[] data = change.apply(Arrays.copyOfRange(png, type + 4, type + 4 + length));
        CRC32 crc = new CRC32();
        crc.update(png, type, 4);
        crc.update(data);
        ByteBuffer out = ByteBuffer.allocate(png.length - length + data.length);
        out.put(png, 0, type - 4).putInt(data.length).put(png, type, 4).put(data).putInt((int) crc.getValue());
        out.put(png, type + 4 + length + 4, png.length - (type + 4 + length + 4));
        return out.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static int lastIndexOf(byte[] b, String ascii) {
        int found = -1;
        for (int from = 0; ; from = found + 1) {
            int at = indexOf(b, ascii, from);
            if (at < 0) {
                return found;
            }
            found = at;
        }
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
    }

    private static int indexOf(byte[] b, String ascii) {
        int at = indexOf(b, ascii, 0);
        if (at < 0) {
            throw new AssertionError(ascii + " not found");
        }
        return at;
    }

    private static int indexOf(byte[] b, String ascii, int from) {
        byte[] needle = ascii.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i + needle.length <= b.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
