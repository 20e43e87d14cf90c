package org.greylab.engine.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens what crosses the wire between a client and its engines: AES-256-GCM under a key derived from the
 * cluster key with HKDF-SHA256, a fresh random 96-bit nonce per message, and the message's purpose (task, answer,
 * warm-up) and task id bound in as associated data, so that a captured task cannot be played back as an answer, nor
 * an answer as another task's. Sealed bytes are {@code nonce | ciphertext | 128-bit tag}.
 *
 * <p>It also computes the MAC an engine proves the key with ({@link #proof}), under a second derived key.
 *
 * <p>An engine's sealer may accept more than one key (the new and the old one while a key is rotated): it opens
 * with whichever fits and answers under that same key ({@link Opened#keys()}), so a client of either key reads it.
 */
public final class Sealer {

    private static final byte[] SALT = "greylab cluster key v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEAL_INFO = "greylab seal aes-256-gcm".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROOF_INFO = "greylab member proof hmac-sha256".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AAD_PREFIX = "greylab/1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROOF_PREFIX = "greylab/1/proof".getBytes(StandardCharsets.US_ASCII);
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Sealing switched off, on both sides, for measuring what it costs: a JVM property for that measurement only,
     * never a user option. Sealed bytes are then the plain bytes, and nothing is authenticated.
     */
    public static final String UNSEALED_PROPERTY = "greylab.measure.unsealed";
    static final boolean UNSEALED_FOR_MEASUREMENT = Boolean.getBoolean(UNSEALED_PROPERTY);

    /** What a message is, bound into its seal. */
    public enum Purpose {
        TASK(1), ANSWER(2), WARM_UP(3);

        private final byte code;

        Purpose(int code) {
            this.code = (byte) code;
        }
    }

    /** The keys derived from one cluster key. */
    public static final class Keys {
        private final SecretKeySpec sealKey;
        private final byte[] proofKey;
        private final boolean none;

        private Keys(ClusterKey key) {
            byte[] secret = key.bytes();
            this.sealKey = new SecretKeySpec(Hkdf.derive(SALT, secret, SEAL_INFO, 32), "AES");
            this.proofKey = Hkdf.derive(SALT, secret, PROOF_INFO, 32);
            this.none = key.isNone();
            java.util.Arrays.fill(secret, (byte) 0);
        }
    }

    /** Plain bytes, and the keys that opened them (an answer goes back under those). */
    public record Opened(byte[] plain, Keys keys) {
    }

    private final List<Keys> keys;

    private Sealer(List<Keys> keys) {
        this.keys = List.copyOf(keys);
    }

    public static Sealer of(ClusterKey key) {
        return new Sealer(List.of(new Keys(key)));
    }

    /** Seals with {@code current}; opens with it or any of {@code alsoAccepted} (a key being rotated out). */
    public static Sealer of(ClusterKey current, List<ClusterKey> alsoAccepted) {
        List<Keys> all = new ArrayList<>();
        all.add(new Keys(current));
        alsoAccepted.forEach(k -> all.add(new Keys(k)));
        return new Sealer(all);
    }

    /** Whether this is the public all-zero key of a cluster without one. */
    public boolean insecure() {
        return keys.get(0).none;
    }

    /** Seals under the current key. */
    public byte[] seal(Purpose purpose, long id, byte[] plain) {
        return seal(keys.get(0), purpose, id, plain);
    }

    /** Seals under {@code with} (the keys a task was opened with). */
    public static byte[] seal(Keys with, Purpose purpose, long id, byte[] plain) {
        if (UNSEALED_FOR_MEASUREMENT) {
            return plain.clone();
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, with.sealKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(purpose, id));
            byte[] out = new byte[NONCE_BYTES + cipher.getOutputSize(plain.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            cipher.doFinal(plain, 0, plain.length, out, NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is missing from this Java runtime", e);
        }
    }

    /**
     * Opens sealed bytes for {@code purpose} and {@code id}.
     *
     * @throws SealBrokenException when no accepted key opens them for that purpose and id
     */
    public Opened open(Purpose purpose, long id, byte[] sealed) throws SealBrokenException {
        if (UNSEALED_FOR_MEASUREMENT) {
            return new Opened(sealed.clone(), keys.get(0));
        }
        if (sealed == null || sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealBrokenException("too short to be sealed");
        }
        for (Keys k : keys) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, k.sealKey, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
                cipher.updateAAD(aad(purpose, id));
                return new Opened(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), k);
            } catch (AEADBadTagException wrongKeyOrChanged) {
                // try the next accepted key
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/GCM is missing from this Java runtime", e);
            }
        }
        throw new SealBrokenException("does not open with the cluster key (another key, changed on the way, or"
                + " meant for another task)");
    }

    /**
     * The MACs an engine answers a challenge with, one per accepted key: HMAC-SHA256 under the proof key over the
     * challenge, the engine's own member UUID and its address, so that a member cannot pass by relaying the challenge
     * to a real engine (whose answer names that engine, not the relay).
     */
    public List<byte[]> proofs(byte[] challenge, UUID member, String address) {
        List<byte[]> all = new ArrayList<>();
        for (Keys k : keys) {
            all.add(proof(k, challenge, member, address));
        }
        return all;
    }

    /** Whether one of {@code answered} is this sealer's current-key proof for that challenge, member and address. */
    public boolean verifies(byte[] challenge, UUID member, String address, List<byte[]> answered) {
        byte[] expected = proof(keys.get(0), challenge, member, address);
        boolean ok = false;
        for (byte[] mac : answered) {
            ok |= mac != null && MessageDigest.isEqual(expected, mac);
        }
        return ok;
    }

    private static byte[] proof(Keys k, byte[] challenge, UUID member, String address) {
        byte[] addressBytes = address.getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = ByteBuffer.allocate(PROOF_PREFIX.length + 4 + challenge.length + 16 + addressBytes.length);
        data.put(PROOF_PREFIX).putInt(challenge.length).put(challenge)
                .putLong(member.getMostSignificantBits()).putLong(member.getLeastSignificantBits()).put(addressBytes);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k.proofKey, "HmacSHA256"));
            return mac.doFinal(data.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    private static byte[] aad(Purpose purpose, long id) {
        return ByteBuffer.allocate(AAD_PREFIX.length + 1 + Long.BYTES).put(AAD_PREFIX).put(purpose.code).putLong(id)
                .array();
    }

    /** A fresh random challenge or id. */
    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    public static long randomId() {
        return RANDOM.nextLong();
    }
}
