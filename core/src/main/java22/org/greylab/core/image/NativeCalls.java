package org.greylab.core.image;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * What the native calls (libjpeg-turbo, libwebp, libheif, and the C library's {@code syncfs} for the outputs' group
 * syncs, through the FFM API) share to look up and call.
 */
public final class NativeCalls {

    private NativeCalls() {
    }

    /** The symbol {@code name} of {@code library}, or an exception saying the installed library lacks it. */
    public static MemorySegment find(SymbolLookup lib, String library, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException(library + " is too old: it has no "
                + name));
    }

    /**
     * What a failed {@code invokeExact} of a downcall threw, to rethrow: unchecked failures as they are, anything
     * else wrapped. (Callers use {@code invokeExact} with the handle's exact types, not {@code invokeWithArguments}:
     * that adapts and boxes every call and spun enough method-handle classes at start-up for the JIT to compile the
     * JDK's class-file writer, a few hundred milliseconds of CPU in every run.)
     */
    public static RuntimeException failure(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return t instanceof RuntimeException e ? e : new IllegalStateException(t);
    }

    /**
     * A downcall linked on its first use: linking one costs milliseconds of generated code, so a decoder that only
     * has to say whether its library is there links only what that takes, and the rest when a file needs it.
     */
    static final class Downcall {
        private final MemorySegment address;
        private final FunctionDescriptor descriptor;
        private volatile MethodHandle handle;

        Downcall(SymbolLookup lib, String library, String name, FunctionDescriptor descriptor) {
            this.address = find(lib, library, name);
            this.descriptor = descriptor;
        }

        MethodHandle handle() {
            MethodHandle h = handle;
            if (h == null) {
                h = Linker.nativeLinker().downcallHandle(address, descriptor);
                handle = h;
            }
            return h;
        }
    }

    /** A resource beside {@code owner} (a decoder's self-test image), whole. */
    static byte[] resource(Class<?> owner, String name) throws IOException {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name);
            }
            return in.readAllBytes();
        }
    }
}
