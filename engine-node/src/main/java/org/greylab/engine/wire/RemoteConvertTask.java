package org.greylab.engine.wire;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.greylab.core.image.ConversionException;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.Stage;
import org.greylab.core.schedule.ConvertTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ConvertTask} on the wire, and what an engine runs for it: the kernel on the task's bytes. A kernel failure
 * is an answer ({@link RemoteOutcome} with a stage and reason), not an exception; an interrupt (the client cancelled)
 * ends the task.
 */
public final class RemoteConvertTask implements Callable<RemoteOutcome>, IdentifiedDataSerializable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteConvertTask.class);
    private static final GreyscaleKernel KERNEL = new GreyscaleKernel();

    private ConvertTask task;

    /** For the factory only. */
    RemoteConvertTask() {
    }

    public RemoteConvertTask(ConvertTask task) {
        this.task = task;
    }

    public ConvertTask task() {
        return task;
    }

    @Override
    public RemoteOutcome call() throws InterruptedException {
        long started = epochMicros();
        try {
            ConversionResult result = KERNEL.convert(task.input(), task.settings());
            long finished = epochMicros();
            LOG.debug("converted {} (task {}) in {} ms", task.relativePath(), task.taskId(), (finished - started) / 1000);
            return RemoteOutcome.converted(result, started, finished);
        } catch (ConversionException e) {
            LOG.debug("{} (task {}) failed at {}: {}", task.relativePath(), task.taskId(), e.stage().label(), e.reason());
            return RemoteOutcome.failed(e.stage(), e.reason(), started, epochMicros());
        } catch (OutOfMemoryError e) {
            // one oversized image must not take the engine down with it: its arrays are garbage by now
            LOG.warn("{} (task {}) needs more memory than this engine has", task.relativePath(), task.taskId());
            return RemoteOutcome.failed(Stage.DECODE, "the engine has not enough memory for this image",
                    started, epochMicros());
        } catch (RuntimeException e) {
            LOG.warn("{} (task {}): unexpected kernel error", task.relativePath(), task.taskId(), e);
            return RemoteOutcome.failed(Stage.CONVERT, "unexpected error on the engine: " + e, started,
                    epochMicros());
        }
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    @Override
    public int getFactoryId() {
        return WireTypes.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return WireTypes.CONVERT_TASK;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(task.taskId());
        out.writeString(task.relativePath());
        out.writeByteArray(task.input());
        WireCodec.writeSettings(out, task.settings());
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        long taskId = in.readLong();
        String relativePath = in.readString();
        byte[] input = in.readByteArray();
        task = new ConvertTask(taskId, relativePath, input, WireCodec.readSettings(in));
    }
}
