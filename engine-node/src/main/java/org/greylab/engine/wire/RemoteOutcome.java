package org.greylab.engine.wire;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import org.greylab.core.schedule.TaskOutcome;
import org.greylab.engine.security.SealBrokenException;
import org.greylab.engine.security.Sealer;

/**
 * An engine's answer to one {@link RemoteConvertTask}: sealed under the cluster key with the task id bound in, or
 * {@link #refused} when the task did not open on the engine. The client opens it with the id of the task it sent,
 * never the id the answer claims, so an answer replayed for another task does not open. The answer to an unsealed
 * task (to an engine on loopback) comes unsealed, and only it.
 */
public final class RemoteOutcome implements IdentifiedDataSerializable {

    private long taskId;
    private boolean refused;
    private boolean unsealed;
    private byte[] sealed;

    /** For the factory only. */
    RemoteOutcome() {
    }

    static RemoteOutcome sealed(long taskId, byte[] sealed) {
        RemoteOutcome outcome = new RemoteOutcome();
        outcome.taskId = taskId;
        outcome.sealed = sealed;
        return outcome;
    }

    static RemoteOutcome unsealed(long taskId, byte[] plain) {
        RemoteOutcome outcome = sealed(taskId, plain);
        outcome.unsealed = true;
        return outcome;
    }

    static RemoteOutcome refused(long taskId) {
        RemoteOutcome outcome = new RemoteOutcome();
        outcome.taskId = taskId;
        outcome.refused = true;
        return outcome;
    }

    /** The engine could not open the task: it has another key. */
    public boolean refused() {
        return refused;
    }

    /**
     * The answer to task {@code sentTaskId}, as engine {@code engineId}'s outcome.
     *
     * @param sentUnsealed whether that task went unsealed: its answer must come the same way
     * @throws SealBrokenException when it does not open for that task, or its contents are malformed
     */
    public TaskOutcome open(Sealer sealer, long sentTaskId, boolean sentUnsealed, int engineId)
            throws SealBrokenException {
        if (refused || sealed == null) {
            throw new SealBrokenException("the engine refused the task");
        }
        if (unsealed != sentUnsealed) {
            throw new SealBrokenException(unsealed ? "came unsealed for a sealed task" : "came sealed for an unsealed"
                    + " task");
        }
        byte[] plain = unsealed ? sealed : sealer.open(Sealer.Purpose.ANSWER, sentTaskId, sealed).plain();
        WireCodec.Answer answer;
        try {
            answer = WireCodec.decodeAnswer(plain);
        } catch (IOException e) {
            throw new SealBrokenException("the answer opened but is malformed: " + e.getMessage());
        }
        return new TaskOutcome(answer.result(), answer.failedStage(), answer.failureReason(), engineId,
                answer.startedMicros(), answer.finishedMicros());
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
        out.writeLong(taskId);
        out.writeBoolean(refused);
        if (!refused) {
            out.writeBoolean(unsealed);
            out.writeByteArray(sealed);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        taskId = in.readLong();
        refused = in.readBoolean();
        if (!refused) {
            unsealed = in.readBoolean();
            sealed = in.readByteArray();
        }
    }
}
