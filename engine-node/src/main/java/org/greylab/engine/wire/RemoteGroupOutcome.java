package org.greylab.engine.wire;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An engine's answer to a {@link RemoteConvertGroup}: one {@link RemoteOutcome} per image, in the group's order, each
 * sealed (or not) and opened as the answer to a lone task would be, with the id of the image's own task.
 */
public final class RemoteGroupOutcome implements IdentifiedDataSerializable {

    private List<RemoteOutcome> outcomes;

    /** For the factory only. */
    RemoteGroupOutcome() {
    }

    RemoteGroupOutcome(List<RemoteOutcome> outcomes) {
        this.outcomes = List.copyOf(outcomes);
    }

    /** The images' answers, in the order they were sent. */
    public List<RemoteOutcome> outcomes() {
        return outcomes;
    }

    @Override
    public int getFactoryId() {
        return WireTypes.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return WireTypes.GROUP_OUTCOME;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(outcomes.size());
        for (RemoteOutcome outcome : outcomes) {
            outcome.writeData(out);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > RemoteConvertGroup.MAX_IMAGES) {
            throw new IOException("an answer of " + count + " images; a group carries at most "
                    + RemoteConvertGroup.MAX_IMAGES);
        }
        List<RemoteOutcome> read = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            RemoteOutcome outcome = new RemoteOutcome();
            outcome.readData(in);
            read.add(outcome);
        }
        outcomes = List.copyOf(read);
    }
}
