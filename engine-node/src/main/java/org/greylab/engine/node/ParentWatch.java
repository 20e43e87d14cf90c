package org.greylab.engine.node;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops an engine when the process that started it ends, however it ended (SIGKILL included), so that engines a
 * client started never outlive it.
 */
final class ParentWatch {

    private ParentWatch() {
    }

    /** Runs {@code onGone} once, within about a second of process {@code pid} ending (at once if it is gone). */
    static void watch(long pid, Runnable onGone) {
        AtomicBoolean fired = new AtomicBoolean();
        Runnable once = () -> {
            if (fired.compareAndSet(false, true)) {
                onGone.run();
            }
        };
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            once.run();
            return;
        }
        ProcessHandle handle = parent.get();
        handle.onExit().thenRun(once);
        // For a process that is not its child, the JDK's onExit polls with sleeps growing to 5 s; a check of our
        // own every second keeps the promise of "within 5 s" however long the engine has run.
        Watch.until("greylab-parent-watch", Duration.ofSeconds(1), () -> !handle.isAlive(), once);
    }
}
