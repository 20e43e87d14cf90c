package org.greylab.engine.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.greylab.engine.security.Sealer.Purpose;
import org.junit.jupiter.api.Test;

class SealerTest {

    private final ClusterKey key = ClusterKey.generate();
    private final Sealer sealer = Sealer.of(key);
    private final byte[] plain = "a photo's bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void sealedBytesOpenForTheSamePurposeAndIdAndHideThePlainText() throws Exception {
        byte[] sealed = sealer.seal(Purpose.TASK, 42, plain);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("photo");
        assertThat(Sealer.of(key).open(Purpose.TASK, 42, sealed).plain()).isEqualTo(plain);
    }

    @Test
    void eachSealHasAFreshNonce() {
        assertThat(sealer.seal(Purpose.TASK, 1, plain)).isNotEqualTo(sealer.seal(Purpose.TASK, 1, plain));
    }

    @Test
    void aChangedByteAnywhereIsRefused() {
        byte[] sealed = sealer.seal(Purpose.ANSWER, 7, plain);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> sealer.open(Purpose.ANSWER, 7, tampered))
                    .isInstanceOf(SealBrokenException.class);
        }
    }

    @Test
    void anAnswerReplayedForAnotherTaskIsRefused() {
        byte[] answerToSeven = sealer.seal(Purpose.ANSWER, 7, plain);

        assertThatThrownBy(() -> sealer.open(Purpose.ANSWER, 8, answerToSeven)).isInstanceOf(SealBrokenException.class);
    }

    @Test
    void aTaskReflectedAsAnAnswerIsRefused() {
        byte[] task = sealer.seal(Purpose.TASK, 7, plain);

        assertThatThrownBy(() -> sealer.open(Purpose.ANSWER, 7, task)).isInstanceOf(SealBrokenException.class);
    }

    @Test
    void anotherKeyCannotOpen() {
        byte[] sealed = sealer.seal(Purpose.TASK, 7, plain);

        assertThatThrownBy(() -> Sealer.of(ClusterKey.generate()).open(Purpose.TASK, 7, sealed))
                .isInstanceOf(SealBrokenException.class);
        assertThatThrownBy(() -> Sealer.of(ClusterKey.none()).open(Purpose.TASK, 7, sealed))
                .isInstanceOf(SealBrokenException.class);
    }

    @Test
    void whileAKeyIsRotatedTheEngineOpensBothAndAnswersUnderTheOneThatOpened() throws Exception {
        ClusterKey newKey = ClusterKey.generate();
        Sealer engine = Sealer.of(newKey, List.of(key));
        byte[] fromOldClient = sealer.seal(Purpose.TASK, 3, plain);

        Sealer.Opened opened = engine.open(Purpose.TASK, 3, fromOldClient);
        byte[] answer = Sealer.seal(opened.keys(), Purpose.ANSWER, 3, plain);

        assertThat(sealer.open(Purpose.ANSWER, 3, answer).plain()).isEqualTo(plain);
        assertThat(Sealer.of(newKey).open(Purpose.TASK, 4, engine.seal(Purpose.TASK, 4, plain)).plain())
                .isEqualTo(plain);
    }

    @Test
    void aProofNamesTheMemberItWasMadeFor() {
        byte[] challenge = Sealer.randomBytes(32);
        UUID engine = UUID.randomUUID();
        List<byte[]> proofs = sealer.proofs(challenge, engine, "10.0.0.5:5701");

        assertThat(Sealer.of(key).verifies(challenge, engine, "10.0.0.5:5701", proofs)).isTrue();
        assertThat(sealer.verifies(challenge, UUID.randomUUID(), "10.0.0.5:5701", proofs)).isFalse();
        assertThat(sealer.verifies(challenge, engine, "10.0.0.6:5701", proofs)).isFalse();
        assertThat(sealer.verifies(Sealer.randomBytes(32), engine, "10.0.0.5:5701", proofs)).isFalse();
        assertThat(Sealer.of(ClusterKey.generate()).verifies(challenge, engine, "10.0.0.5:5701", proofs)).isFalse();
    }
}
