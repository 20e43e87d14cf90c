package org.greylab.engine.wire;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.time.Duration;
import org.greylab.core.image.KernelWarmUp;
import java.util.concurrent.Callable;

/**
 * Asks an engine to warm its kernel up ({@link KernelWarmUp}) for about a given time; answers how many synthetic
 * photos it converted. It runs in one of the engine's slots like an image, so real images sent meanwhile wait at
 * most that long.
 */
public final class RemoteWarmUpTask implements Callable<Integer>, IdentifiedDataSerializable {

    private long budgetMillis;

    /** For the factory only. */
    RemoteWarmUpTask() {
    }

    public RemoteWarmUpTask(Duration budget) {
        this.budgetMillis = budget.toMillis();
    }

    @Override
    public Integer call() {
        return KernelWarmUp.run(Duration.ofMillis(budgetMillis));
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
        out.writeLong(budgetMillis);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        budgetMillis = in.readLong();
    }
}
