package org.greylab.engine.security;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF (RFC 5869) over HMAC-SHA256, written out because Java 17 has no HKDF API. Checked against the RFC's own test
 * vectors (HkdfTest).
 */
public final class Hkdf {

    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LENGTH = 32;

    private Hkdf() {
    }

    /** RFC 5869 section 2.2: PRK = HMAC-Hash(salt, IKM); an empty salt stands for HashLen zero bytes. */
    public static byte[] extract(byte[] salt, byte[] inputKeyMaterial) {
        byte[] realSalt = salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        return hmac(realSalt, inputKeyMaterial);
    }

    /** RFC 5869 section 2.3: T(i) = HMAC-Hash(PRK, T(i-1) | info | i), the first {@code length} bytes of T. */
    public static byte[] expand(byte[] pseudoRandomKey, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 gives 1 to 8160 bytes, not " + length);
        }
        byte[] okm = new byte[length];
        byte[] previous = new byte[0];
        int written = 0;
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(pseudoRandomKey, HMAC));
            for (int i = 1; written < length; i++) {
                mac.update(previous);
                mac.update(info == null ? new byte[0] : info);
                mac.update((byte) i);
                previous = mac.doFinal();
                int n = Math.min(previous.length, length - written);
                System.arraycopy(previous, 0, okm, written, n);
                written += n;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
        Arrays.fill(previous, (byte) 0);
        return okm;
    }

    /** Extract, then expand. */
    public static byte[] derive(byte[] salt, byte[] inputKeyMaterial, byte[] info, int length) {
        byte[] prk = extract(salt, inputKeyMaterial);
        try {
            return expand(prk, info, length);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }
}
