package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a batch's decoders follow from its parties', and how an engine's published words read back. */
class DecodersTest {

    private static final Decoders ALL_NATIVE = new Decoders(JpegDecoding.TURBO, true, true);

    @Test
    void aBatchUsesANativeDecoderOnlyWhenEveryPartyHasIt() {
        Decoders noWebp = new Decoders(JpegDecoding.TURBO, false, true);
        Decoders noTurbo = new Decoders(JpegDecoding.JAVA, true, true);

        assertThat(ALL_NATIVE.and(ALL_NATIVE)).isEqualTo(ALL_NATIVE);
        assertThat(ALL_NATIVE.and(noWebp)).isEqualTo(noWebp);
        assertThat(noWebp.and(noTurbo)).isEqualTo(new Decoders(JpegDecoding.JAVA, false, true));
        assertThat(ALL_NATIVE.and(Decoders.JAVA_ONLY)).isEqualTo(Decoders.JAVA_ONLY);
    }

    @Test
    void aPartyLacksWhatTheBatchUsesAndItHasNot() {
        Decoders webpBatch = new Decoders(JpegDecoding.JAVA, true, false);

        assertThat(Decoders.JAVA_ONLY.lacking(webpBatch)).containsExactly("libwebp");
        assertThat(Decoders.JAVA_ONLY.lacking(ALL_NATIVE)).containsExactly("libjpeg-turbo", "libwebp", "libheif");
        assertThat(ALL_NATIVE.lacking(webpBatch)).isEmpty();
        assertThat(Decoders.JAVA_ONLY.lacking(Decoders.JAVA_ONLY)).isEmpty();
    }

    @Test
    void theWordsAnEngineSaysReadBackAsItsDecodersAndAnEngineThatSaysNothingHasTheJavaOnes() {
        assertThat(Decoders.fromWords(ALL_NATIVE.jpeg().word(), ALL_NATIVE.webpWord(), ALL_NATIVE.heifWord()))
                .isEqualTo(ALL_NATIVE);
        assertThat(Decoders.fromWords("java", "java", "none")).isEqualTo(Decoders.JAVA_ONLY);
        assertThat(Decoders.fromWords(null, null, null)).isEqualTo(Decoders.JAVA_ONLY);
    }

    @Test
    void whatAProcessAllowsFollowsItsPropertiesWithoutOpeningALibrary() {
        // a batch narrowed by what this process has gets exactly that, whatever it allowed (asked first: the
        // process's choice is made once, and must not be made under the properties changed below)
        assertThat(ALL_NATIVE.and(Decoders.preferred())).isEqualTo(Decoders.preferred());
        String jpeg = System.getProperty(JpegDecoders.PROPERTY);
        String webp = System.getProperty(WebpDecoders.PROPERTY);
        try {
            System.clearProperty(JpegDecoders.PROPERTY);
            System.clearProperty(WebpDecoders.PROPERTY);
            assertThat(Decoders.allowed()).isEqualTo(ALL_NATIVE);
            System.setProperty(JpegDecoders.PROPERTY, "java");
            assertThat(Decoders.allowed()).isEqualTo(new Decoders(JpegDecoding.JAVA, true, true));
            System.setProperty(WebpDecoders.PROPERTY, " Java ");
            assertThat(Decoders.allowed()).isEqualTo(new Decoders(JpegDecoding.JAVA, false, true));
        } finally {
            restore(JpegDecoders.PROPERTY, jpeg);
            restore(WebpDecoders.PROPERTY, webp);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
