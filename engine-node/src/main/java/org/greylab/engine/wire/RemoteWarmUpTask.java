package org.greylab.engine.wire;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.greylab.core.image.KernelWarmUp;
import org.greylab.engine.security.SealBrokenException;
import org.greylab.engine.security.Sealer;

/**
 * Asks an engine to warm its kernel up ({@link KernelWarmUp}) for about a given time; answers how many synthetic
 * photos it converted (-1: refused). It runs in one of the engine's slots like an image, so real images sent
 * meanwhile wait at most that long. Its budget is sealed like a task, so that no one without the key can keep an
 * engine busy with warm-ups, and capped at {@link #MAX_BUDGET}.
 */
public final class RemoteWarmUpTask implements Callable<Integer>, IdentifiedDataSerializable, HazelcastInstanceAware {

    static final Duration MAX_BUDGET = Duration.ofSeconds(10);

    private long id;
    private byte[] sealedBudget;
    private transient HazelcastInstance engine;

    /** For the factory only. */
    RemoteWarmUpTask() {
    }

    public RemoteWarmUpTask(Duration budget, Sealer sealer) {
        this.id = Sealer.randomId();
        this.sealedBudget = sealer.seal(Sealer.Purpose.WARM_UP, id, WireCodec.encodeLong(budget.toMillis()));
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.engine = instance;
    }

    @Override
    public Integer call() {
        EngineGuard guard = EngineGuard.of(engine);
        long millis;
        try {
            millis = WireCodec.decodeLong(guard.sealer().open(Sealer.Purpose.WARM_UP, id, sealedBudget).plain());
        } catch (SealBrokenException | IOException e) {
            guard.refuse("warm-up", e.getMessage());
            return -1;
        }
        Duration budget = Duration.ofMillis(Math.max(0, Math.min(millis, MAX_BUDGET.toMillis())));
        return KernelContext.run(() -> KernelWarmUp.run(budget));
    }

    @Override
    public int getFactoryId() {
        return WireTypes.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return WireTypes.WARM_UP;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(id);
        out.writeByteArray(sealedBudget);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        id = in.readLong();
        sealedBudget = in.readByteArray();
    }
}
