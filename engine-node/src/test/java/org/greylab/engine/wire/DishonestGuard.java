package org.greylab.engine.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.greylab.core.image.ConversionResult;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.security.Sealer;

/**
 * The guard of an engine that has the cluster key but does not answer honestly, or of a network that changes its
 * answers on the way: for tests of what the client does with such answers.
 */
public final class DishonestGuard extends EngineGuard {

    private enum Lie { FLIP_A_BIT, REPLAY_THE_FIRST, GARBAGE_OUTPUT }

    private final Lie lie;
    private final AtomicReference<byte[]> first = new AtomicReference<>();

    private DishonestGuard(ClusterKey key, Lie lie) {
        super(key);
        this.lie = lie;
    }

    /** Each answer has one bit changed after it was sealed, as by someone on the wire. */
    public static DishonestGuard flippingABitOfEachAnswer(ClusterKey key) {
        return new DishonestGuard(key, Lie.FLIP_A_BIT);
    }

    /** Every answer after the first is the first answer again, sealed for the first task. */
    public static DishonestGuard replayingTheFirstAnswer(ClusterKey key) {
        return new DishonestGuard(key, Lie.REPLAY_THE_FIRST);
    }

    /** Answers sealed properly, but their output bytes are not an image. */
    public static DishonestGuard sendingGarbageOutput(ClusterKey key) {
        return new DishonestGuard(key, Lie.GARBAGE_OUTPUT);
    }

    @Override
    protected byte[] sealAnswer(Sealer.Keys keys, long taskId, byte[] plain) {
        switch (lie) {
            case FLIP_A_BIT -> {
                byte[] sealed = super.sealAnswer(keys, taskId, plain);
                sealed[sealed.length / 2] ^= 0x10;
                return sealed;
            }
            case REPLAY_THE_FIRST -> {
                byte[] sealed = super.sealAnswer(keys, taskId, plain);
                first.compareAndSet(null, sealed);
                return first.get();
            }
            default -> {
                try {
                    WireCodec.Answer answer = WireCodec.decodeAnswer(plain);
                    ConversionResult r = answer.result();
                    if (r == null) {
                        return super.sealAnswer(keys, taskId, plain);
                    }
                    ConversionResult garbage = new ConversionResult(
                            "<script>not an image</script>".getBytes(StandardCharsets.UTF_8), r.outputFormat(),
                            r.inputFormat(), r.width(), r.height(), r.bitDepth(), r.warnings(), r.timings());
                    return super.sealAnswer(keys, taskId, WireCodec.encodeAnswer(garbage, null, null,
                            answer.startedMicros(), answer.finishedMicros()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
