package org.greylab.core.image;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.function.Function;

/**
 * What libjpeg-turbo's decoder and encoder share: the system's {@code libturbojpeg.so.0}, its words for an error,
 * TurboJPEG handles freed once unreachable, and native buffers kept from image to image.
 */
final class TurboJpeg {

    static final String LIBRARY = "libturbojpeg.so.0";
    /** What the user is told of the decoder and the encoder alike: the library and how it is reached. */
    static final String DESCRIPTION = JpegDecoders.TURBO_DESCRIPTION_START + LIBRARY
            + ", through the Foreign Function & Memory API)";
    /** TurboJPEG's one-byte grey pixel format. */
    static final int TJPF_GRAY = 6;
    /** The accurate integer DCT, as the JDK's libjpeg uses, both ways. */
    static final int TJFLAG_ACCURATEDCT = 4096;
    private static final Cleaner CLEANER = Cleaner.create();

    private final SymbolLookup lib;
    private final MethodHandle errorText;
    private final MethodHandle destroy;

    private TurboJpeg(SymbolLookup lib) {
        this.lib = lib;
        Linker linker = Linker.nativeLinker();
        errorText = linker.downcallHandle(find("tjGetErrorStr2"), FunctionDescriptor.of(ADDRESS, ADDRESS));
        destroy = linker.downcallHandle(find("tjDestroy"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /**
     * Opens the library.
     *
     * @throws NativeLayer.Unavailable it is not installed, or too old to have the functions every user needs
     */
    static TurboJpeg open() throws NativeLayer.Unavailable {
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new NativeLayer.Unavailable(LIBRARY + " is not installed (Debian and Ubuntu:"
                    + " apt install libturbojpeg0)");
        }
        try {
            return new TurboJpeg(lib);
        } catch (IllegalStateException e) {
            throw tooOld(e);
        }
    }

    static NativeLayer.Unavailable tooOld(IllegalStateException missing) {
        return new NativeLayer.Unavailable(LIBRARY + " is too old: " + missing.getMessage());
    }

    /** The symbol {@code name}, or an {@link IllegalStateException} saying the installed library lacks it. */
    MemorySegment find(String name) {
        return NativeCalls.find(lib, LIBRARY, name);
    }

    /** The library's own words for the last error of {@code handle}. */
    String error(MemorySegment handle) {
        MemorySegment text;
        try {
            text = (MemorySegment) errorText.invokeExact(handle);
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
        return text.equals(MemorySegment.NULL) ? "no message" : text.reinterpret(1024).getString(0);
    }

    /**
     * A new handle from {@code init} (a {@code tjInit...} downcall, named {@code initName} for its failure), handed
     * to {@code newOwner}; TurboJPEG frees it once the owner made is unreachable.
     */
    <T> T withHandle(MethodHandle init, String initName, Function<MemorySegment, T> newOwner) {
        MemorySegment handle;
        try {
            handle = (MemorySegment) init.invokeExact();
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
        if (handle.equals(MemorySegment.NULL)) {
            throw new IllegalStateException(initName + " failed");
        }
        T owner = newOwner.apply(handle);
        MethodHandle free = destroy;
        CLEANER.register(owner, () -> {
            try {
                int ignored = (int) free.invokeExact(handle);
            } catch (Throwable t) {
                throw NativeCalls.failure(t);
            }
        });
        return owner;
    }

    /**
     * A TurboJPEG handle and its input and output buffers, kept between images up to
     * {@code keptBytes} each.
     */
    static class Worker {
        final MemorySegment handle;
        final Buffer input;
        final Buffer output;

        Worker(MemorySegment handle, long keptBytes) {
            this.handle = handle;
            this.input = new Buffer(keptBytes);
            this.output = new Buffer(keptBytes);
        }

        /** Lets a buffer made for an unusually large image go, rather than holding it for good. */
        void trim() {
            input.trim();
            output.trim();
        }
    }

    /**
     * A native buffer kept between images up to {@code keptBytes}, and let go after an image that needed more;
     * freed by the GC once unreachable. It grows at least twofold: a folder of ever larger photos would otherwise pay
     * a fresh buffer for most of them.
     */
    static final class Buffer {
        private final long keptBytes;
        private MemorySegment segment = MemorySegment.NULL;

        Buffer(long keptBytes) {
            this.keptBytes = keptBytes;
        }

        MemorySegment atLeast(long size) {
            if (segment.byteSize() < size) {
                segment = PageBuffers.allocate(Math.max(size, Math.min(2 * segment.byteSize(), keptBytes)));
            }
            return segment;
        }

        void trim() {
            if (segment.byteSize() > keptBytes) {
                segment = MemorySegment.NULL;
            }
        }
    }
}
