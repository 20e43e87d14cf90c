package org.greylab.engine.wire;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
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
import org.greylab.engine.security.SealBrokenException;
import org.greylab.engine.security.Sealer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ConvertTask} on the wire, sealed ({@link Sealer}): only its task id travels in clear, the image, its path
 * and the settings are sealed under the cluster key with the task id bound in. The engine opens it, runs the kernel
 * and seals the answer the same way. A task that does not open is refused: counted, logged, and answered with
 * {@link RemoteOutcome#refused} (nothing about the image). A kernel failure is an answer with a stage and reason, not
 * an exception; an interrupt (the client cancelled) ends the task.
 *
 * <p>To an engine on loopback a client may send the task unsealed ({@link #unsealed}); it is answered the same way.
 * Only an engine that listens on loopback alone takes one ({@link EngineGuard#acceptsUnsealed()}).
 */
public final class RemoteConvertTask implements Callable<RemoteOutcome>, IdentifiedDataSerializable,
        HazelcastInstanceAware {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteConvertTask.class);

    /**
     * Made at the first conversion, not when the class loads: the class loads when a task is deserialized, on a
     * thread whose context class loader is the wire's narrow one, and the kernel's image plugins need the engine's.
     */
    private static final class Kernel {
        static final GreyscaleKernel INSTANCE = new GreyscaleKernel();
    }

    private long taskId;
    private boolean unsealed;
    private byte[] sealed;
    private transient HazelcastInstance engine;

    /** For the factory only. */
    RemoteConvertTask() {
    }

    RemoteConvertTask(long taskId, boolean unsealed, byte[] sealed) {
        this.taskId = taskId;
        this.unsealed = unsealed;
        this.sealed = sealed;
    }

    /** The task sealed for the wire. */
    public static RemoteConvertTask seal(ConvertTask task, Sealer sealer) {
        return new RemoteConvertTask(task.taskId(), false, sealer.seal(Sealer.Purpose.TASK, task.taskId(),
                WireCodec.encodeTask(task)));
    }

    /** The task as it is, for an engine on loopback ({@link EngineGuard#acceptsUnsealed()}). */
    public static RemoteConvertTask unsealed(ConvertTask task) {
        return new RemoteConvertTask(task.taskId(), true, WireCodec.encodeTask(task));
    }

    public long taskId() {
        return taskId;
    }

    /** Whether it travels unsealed, and its answer must too. */
    public boolean isUnsealed() {
        return unsealed;
    }

    /** The sealed bytes as they travel (tests change or replay them). */
    byte[] sealedForTest() {
        return sealed;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.engine = instance;
    }

    @Override
    public RemoteOutcome call() throws InterruptedException {
        return KernelContext.run(this::run);
    }

    /** Opens, converts and answers, on the calling thread as it is (a group runs its images through this). */
    @SuppressWarnings("try") // the pixel permit is held for the try's body, not used in it
    RemoteOutcome run() throws InterruptedException {
        EngineGuard guard = EngineGuard.of(engine);
        Sealer.Opened opened;
        ConvertTask task;
        if (unsealed && !guard.acceptsUnsealed()) {
            guard.refuse("task", "it came unsealed, and this engine is not on loopback");
            return RemoteOutcome.refused(taskId);
        }
        try {
            opened = unsealed ? null : guard.sealer().open(Sealer.Purpose.TASK, taskId, sealed);
            task = WireCodec.decodeTask(taskId, unsealed ? sealed : opened.plain());
        } catch (SealBrokenException | IOException e) {
            guard.refuse("task", e.getMessage() == null ? e.toString() : e.getMessage());
            return RemoteOutcome.refused(taskId);
        }
        sealed = null;
        if (task.settings().maxPixels() > guard.maxPixels()) {
            // the engine's --max-megapixels bounds its own memory: a task may lower the limit, never raise it
            task = new ConvertTask(taskId, task.relativePath(), task.input(),
                    task.settings().withMaxPixels(guard.maxPixels()));
        }
        // the slots share a pixel budget: a huge image waits here until the others have let go of theirs
        byte[] input = task.input();
        java.util.Optional<ImageSize> size = org.greylab.core.image.ImageFormat.sniff(input)
                .flatMap(format -> ImageSize.of(input, format));
        try (EngineGuard.PixelPermit permit = guard.reservePixels(size)) {
            return convert(guard, opened, task);
        }
    }

    private RemoteOutcome convert(EngineGuard guard, Sealer.Opened opened, ConvertTask task)
            throws InterruptedException {
        TestStall.maybeStall(task.relativePath());
        long started = epochMicros();
        byte[] answer;
        try {
            ConversionResult result = Kernel.INSTANCE.convert(task.input(), task.settings());
            long finished = epochMicros();
            LOG.debug("converted {} (task {}) in {} ms", task.relativePath(), taskId, (finished - started) / 1000);
            answer = WireCodec.encodeAnswer(result, null, null, started, finished);
        } catch (ConversionException e) {
            LOG.debug("{} (task {}) failed at {}: {}", task.relativePath(), taskId, e.stage().label(), e.reason());
            answer = WireCodec.encodeAnswer(null, e.stage(), e.reason(), started, epochMicros());
        } catch (OutOfMemoryError e) {
            // one oversized image must not take the engine down with it: its arrays are garbage by now
            LOG.warn("{} (task {}) needs more memory than this engine has", task.relativePath(), taskId);
            answer = WireCodec.encodeAnswer(null, Stage.DECODE, "the engine has not enough memory for this image",
                    started, epochMicros());
        } catch (RuntimeException e) {
            LOG.warn("{} (task {}): unexpected kernel error", task.relativePath(), taskId, e);
            answer = WireCodec.encodeAnswer(null, Stage.CONVERT, "unexpected error on the engine: " + e, started,
                    epochMicros());
        }
        return opened == null ? RemoteOutcome.unsealed(taskId, answer)
                : RemoteOutcome.sealed(taskId, guard.sealAnswer(opened.keys(), taskId, answer));
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
        out.writeLong(taskId);
        out.writeBoolean(unsealed);
        out.writeByteArray(sealed);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        taskId = in.readLong();
        unsealed = in.readBoolean();
        sealed = in.readByteArray();
    }
}
