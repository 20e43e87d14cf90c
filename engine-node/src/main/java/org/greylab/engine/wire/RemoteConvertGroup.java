package org.greylab.engine.wire;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.engine.security.Sealer;

/**
 * Several images for one engine in one task: each travels as its own {@link RemoteConvertTask} (its own id, sealed
 * or not as a lone task would be), and the engine converts them one after the other in one slot, each with its own
 * start and finish times, and answers them together ({@link RemoteGroupOutcome}). A task of thumbnails pays the
 * dispatch (serialization, Hazelcast's invocation, the engine's queue, the answer) once, not once per image. An
 * interrupt (the client cancelled, or gave the group up at its deadline) ends it between two images or inside one.
 */
public final class RemoteConvertGroup implements Callable<RemoteGroupOutcome>, IdentifiedDataSerializable,
        HazelcastInstanceAware {

    /**
     * The most images a group may carry on the wire: a peer that claims more is refused before anything is
     * allocated. Four times what the client ever sends ({@code TaskGrouping.MAX_IMAGES}).
     */
    static final int MAX_IMAGES = 1024;

    private List<RemoteConvertTask> tasks;
    private transient HazelcastInstance engine;

    /** For the factory only. */
    RemoteConvertGroup() {
    }

    RemoteConvertGroup(List<RemoteConvertTask> tasks) {
        if (tasks.isEmpty() || tasks.size() > MAX_IMAGES) {
            throw new IllegalArgumentException("a group carries 1 to " + MAX_IMAGES + " images, not " + tasks.size());
        }
        // mutable: the engine lets go of each image once converted
        this.tasks = new ArrayList<>(tasks);
    }

    /** The images sealed for the wire, each under its own task id. */
    public static RemoteConvertGroup seal(List<ConvertTask> tasks, Sealer sealer) {
        return new RemoteConvertGroup(tasks.stream().map(t -> RemoteConvertTask.seal(t, sealer)).toList());
    }

    /** The images as they are, for an engine on loopback ({@link EngineGuard#acceptsUnsealed()}). */
    public static RemoteConvertGroup unsealed(List<ConvertTask> tasks) {
        return new RemoteConvertGroup(tasks.stream().map(RemoteConvertTask::unsealed).toList());
    }

    /** The images' wire tasks, in order (their ids and whether they went unsealed open the answers). */
    public List<RemoteConvertTask> tasks() {
        return java.util.Collections.unmodifiableList(tasks);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.engine = instance;
    }

    @Override
    public RemoteGroupOutcome call() throws InterruptedException {
        return KernelContext.run(this::convertAll);
    }

    private RemoteGroupOutcome convertAll() throws InterruptedException {
        List<RemoteOutcome> outcomes = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("the group was cancelled after " + i + " of " + tasks.size()
                        + " images");
            }
            RemoteConvertTask task = tasks.get(i);
            task.setHazelcastInstance(engine);
            outcomes.add(task.run());
            // its input is garbage now: a group holds one image's decoded pixels at a time, as a lone task does
            tasks.set(i, null);
        }
        return new RemoteGroupOutcome(outcomes);
    }

    @Override
    public int getFactoryId() {
        return WireTypes.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return WireTypes.CONVERT_GROUP;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(tasks.size());
        for (RemoteConvertTask task : tasks) {
            task.writeData(out);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int count = in.readInt();
        if (count < 1 || count > MAX_IMAGES) {
            throw new IOException("a group of " + count + " images; a group carries 1 to " + MAX_IMAGES);
        }
        List<RemoteConvertTask> read = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            RemoteConvertTask task = new RemoteConvertTask();
            task.readData(in);
            read.add(task);
        }
        // mutable: the engine lets go of each image once converted
        tasks = read;
    }
}
