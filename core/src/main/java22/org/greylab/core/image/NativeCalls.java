package org.greylab.core.image;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/** What the native decoders (libjpeg-turbo, libwebp, libheif through the FFM API) share to look up and call. */
final class NativeCalls {

    private NativeCalls() {
    }

    /** The symbol {@code name} of {@code library}, or an exception saying the installed library lacks it. */
    static MemorySegment find(SymbolLookup lib, String library, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException(library + " is too old: it has no "
                + name));
    }

    /** Calls a downcall handle, passing its unchecked failures on as they are. */
    static Object call(MethodHandle handle, Object... args) {
        try {
            return handle.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
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
