package org.greylab.core.job;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import org.greylab.core.image.NativeCalls;

/**
 * {@code syncfs(2)} from the C library through the Foreign Function &amp; Memory API: the folder is opened read-only
 * for its file descriptor, the file system that holds it is synced, and the descriptor closed.
 */
final class LinuxSyncfs implements FileSystemSync {

    /** {@code O_RDONLY | O_CLOEXEC}: the same values on every Linux architecture Greylab runs on. */
    private static final int OPEN_FLAGS = 0x80000;
    private static final String LIBC = "the C library";

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private final MethodHandle open;
    private final MethodHandle syncfs;
    private final MethodHandle close;
    private final MethodHandle strerror;

    LinuxSyncfs() {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        // open is variadic (its third argument, the mode, is read only with O_CREAT): called as such
        open = linker.downcallHandle(NativeCalls.find(libc, LIBC, "open"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), errno, Linker.Option.firstVariadicArg(2));
        syncfs = linker.downcallHandle(NativeCalls.find(libc, LIBC, "syncfs"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
        close = linker.downcallHandle(NativeCalls.find(libc, LIBC, "close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        strerror = linker.downcallHandle(NativeCalls.find(libc, LIBC, "strerror"),
                FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    @Override
    public void sync(Path folder) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment path = arena.allocateFrom(folder.toAbsolutePath().toString());
            int fd = (int) open.invokeExact(state, path, OPEN_FLAGS, 0);
            if (fd < 0) {
                throw failure("cannot open " + folder + " to sync it", state);
            }
            try {
                int rc = (int) syncfs.invokeExact(state, fd);
                if (rc != 0) {
                    throw failure("syncing the file system of " + folder + " failed", state);
                }
            } finally {
                int ignored = (int) close.invokeExact(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
    }

    private IOException failure(String what, MemorySegment state) throws Throwable {
        int code = (int) ERRNO.get(state, 0L);
        MemorySegment text = (MemorySegment) strerror.invokeExact(code);
        return new IOException(what + ": " + text.reinterpret(256).getString(0) + " (errno " + code + ")");
    }
}
