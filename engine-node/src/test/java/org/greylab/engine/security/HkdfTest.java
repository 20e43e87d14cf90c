package org.greylab.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 5869, appendix A: the three HKDF-SHA256 test cases. */
class HkdfTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    private static byte[] range(int from, int toInclusive) {
        byte[] b = new byte[toInclusive - from + 1];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static byte[] repeat(int value, int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void basicTestCaseOneGivesTheRfcsPseudoRandomKeyAndOutput() {
        byte[] prk = Hkdf.extract(range(0x00, 0x0c), repeat(0x0b, 22));

        assertThat(prk).isEqualTo(hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"));
        assertThat(Hkdf.expand(prk, range(0xf0, 0xf9), 42)).isEqualTo(hex(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"));
    }

    @Test
    void longerInputsTestCaseTwoGivesTheRfcsOutput() {
        byte[] prk = Hkdf.extract(range(0x60, 0xaf), range(0x00, 0x4f));

        assertThat(prk).isEqualTo(hex("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244"));
        assertThat(Hkdf.expand(prk, range(0xb0, 0xff), 82)).isEqualTo(hex(
                "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09"
                        + "da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"));
    }

    @Test
    void emptySaltAndInfoTestCaseThreeGivesTheRfcsOutput() {
        byte[] okm = Hkdf.derive(new byte[0], repeat(0x0b, 22), new byte[0], 42);

        assertThat(Hkdf.extract(new byte[0], repeat(0x0b, 22)))
                .isEqualTo(hex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"));
        assertThat(okm).isEqualTo(hex(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
    }
}
