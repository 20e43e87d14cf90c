package org.greylab.engine.wire;

/**
 * Kernel work on a Hazelcast thread: Hazelcast runs tasks with the wire's narrow class loader as the thread's context
 * class loader, and the kernel needs the engine's own (ImageIO finds its plugins, TwelveMonkeys' among them, through
 * it). Every task that converts or warms the kernel runs its work through here.
 */
final class KernelContext {

    /** Work that may throw {@code E}. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private KernelContext() {
    }

    /** Runs {@code work} with the engine's class loader as the context class loader, then puts the wire's back. */
    static <T, E extends Exception> T run(Work<T, E> work) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader wire = thread.getContextClassLoader();
        thread.setContextClassLoader(KernelContext.class.getClassLoader());
        try {
            return work.run();
        } finally {
            thread.setContextClassLoader(wire);
        }
    }
}
