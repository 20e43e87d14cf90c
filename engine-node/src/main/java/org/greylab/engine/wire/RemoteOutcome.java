package org.greylab.engine.wire;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.Stage;
import org.greylab.core.schedule.TaskOutcome;

/** An engine's answer to one {@link RemoteConvertTask}; the client adds the engine id it knows the engine by. */
public final class RemoteOutcome implements IdentifiedDataSerializable {

    private ConversionResult result;
    private Stage failedStage;
    private String failureReason;
    private long startedMicros;
    private long finishedMicros;

    /** For the factory only. */
    RemoteOutcome() {
    }

    static RemoteOutcome converted(ConversionResult result, long startedMicros, long finishedMicros) {
        RemoteOutcome outcome = new RemoteOutcome();
        outcome.result = result;
        outcome.startedMicros = startedMicros;
        outcome.finishedMicros = finishedMicros;
        return outcome;
    }

    static RemoteOutcome failed(Stage stage, String reason, long startedMicros, long finishedMicros) {
        RemoteOutcome outcome = new RemoteOutcome();
        outcome.failedStage = stage;
        outcome.failureReason = reason;
        outcome.startedMicros = startedMicros;
        outcome.finishedMicros = finishedMicros;
        return outcome;
    }

    public TaskOutcome toTaskOutcome(int engineId) {
        return new TaskOutcome(result, failedStage, failureReason, engineId, startedMicros, finishedMicros);
    }

    @Override
    public int getFactoryId() {
        return WireTypes.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return WireTypes.OUTCOME;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(startedMicros);
        out.writeLong(finishedMicros);
        out.writeBoolean(result != null);
        if (result != null) {
            WireCodec.writeResult(out, result);
        } else {
            out.writeString(failedStage.name());
            out.writeString(failureReason);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        startedMicros = in.readLong();
        finishedMicros = in.readLong();
        if (in.readBoolean()) {
            result = WireCodec.readResult(in);
        } else {
            failedStage = Stage.valueOf(in.readString());
            failureReason = in.readString();
        }
    }
}
