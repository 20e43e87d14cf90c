package org.greylab.core.image;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libjpeg-turbo's TurboJPEG compressor (the system's {@code libturbojpeg.so.0}) through the Foreign Function &amp;
 * Memory API, for grey planes. libjpeg-turbo's accurate integer DCT, its quantization and the standard Huffman
 * tables give the very bytes of the JDK's libjpeg after the JFIF segment, which the caller writes; the JDK's writer
 * spends most of a thumbnail's time building a raster per row and its metadata, this spends none. Each thread has
 * its own handle and native buffers, reused from image to image.
 */
final class TurboJpegEncoder implements NativeJpegEncoder {

    private static final Logger LOG = LoggerFactory.getLogger(TurboJpegEncoder.class);
    private static final String LIBRARY = "libturbojpeg.so.0";
    private static final int TJPF_GRAY = 6;
    private static final int TJSAMP_GRAY = 3;
    private static final int TJFLAG_NOREALLOC = 1024;
    private static final int TJFLAG_ACCURATEDCT = 4096;
    /** A thread keeps native buffers up to this size between images; a bigger one is let go after its image. */
    private static final long KEPT_BUFFER_BYTES = 64L << 20;
    private static final Cleaner CLEANER = Cleaner.create();

    private final MethodHandle initCompress;
    private final MethodHandle compress;
    private final MethodHandle bufferSize;
    private final MethodHandle errorText;
    private final MethodHandle destroy;
    private final ThreadLocal<Worker> workers = ThreadLocal.withInitial(this::newWorker);

    private TurboJpegEncoder(SymbolLookup lib) {
        Linker linker = Linker.nativeLinker();
        initCompress = linker.downcallHandle(find(lib, "tjInitCompress"), FunctionDescriptor.of(ADDRESS));
        compress = linker.downcallHandle(find(lib, "tjCompress2"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
        bufferSize = linker.downcallHandle(find(lib, "tjBufSize"), FunctionDescriptor.of(JAVA_LONG, JAVA_INT,
                JAVA_INT, JAVA_INT));
        errorText = linker.downcallHandle(find(lib, "tjGetErrorStr2"), FunctionDescriptor.of(ADDRESS, ADDRESS));
        destroy = linker.downcallHandle(find(lib, "tjDestroy"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /**
     * Opens the library (called by {@link JpegEncoders} by name, which then compares it with the JDK's writer).
     *
     * @throws NativeLayer.Unavailable the library is missing or lacks a function
     */
    static TurboJpegEncoder open() throws NativeLayer.Unavailable {
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new NativeLayer.Unavailable(LIBRARY + " is not installed (Debian and Ubuntu:"
                    + " apt install libturbojpeg0)");
        }
        try {
            return new TurboJpegEncoder(lib);
        } catch (IllegalStateException e) {
            throw new NativeLayer.Unavailable(LIBRARY + " is too old: " + e.getMessage());
        }
    }

    @Override
    public String description() {
        return "libjpeg-turbo (" + LIBRARY + ", through the Foreign Function & Memory API)";
    }

    @Override
    public byte[] encodeGrey(byte[] grey, int width, int height, int quality, byte[] app0) {
        Worker w = workers.get();
        long capacity;
        try {
            capacity = (long) bufferSize.invokeExact(width, height, TJSAMP_GRAY);
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
        if (capacity <= 0) {
            return null;
        }
        MemorySegment in = w.input(grey.length);
        MemorySegment.copy(grey, 0, in, JAVA_BYTE, 0, grey.length);
        MemorySegment out = w.output(capacity);
        w.cells.set(ADDRESS, 0, out);
        w.cells.set(JAVA_LONG, ADDRESS.byteSize(), out.byteSize());
        int rc;
        try {
            rc = (int) compress.invokeExact(w.handle, in, width, 0, height, TJPF_GRAY, w.cells,
                    w.cells.asSlice(ADDRESS.byteSize()), TJSAMP_GRAY, quality, TJFLAG_NOREALLOC | TJFLAG_ACCURATEDCT);
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
        if (rc != 0) {
            LOG.debug("TurboJPEG could not encode a {}x{} image ({}); the JDK's writer does", width, height,
                    error(w));
            w.trim();
            return null;
        }
        long size = w.cells.get(JAVA_LONG, ADDRESS.byteSize());
        int tables = afterApp0(out, size);
        if (tables < 0) {
            w.trim();
            return null;
        }
        byte[] jpeg = new byte[Math.toIntExact(2 + app0.length + size - tables)];
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        System.arraycopy(app0, 0, jpeg, 2, app0.length);
        MemorySegment.copy(out, JAVA_BYTE, tables, jpeg, 2 + app0.length, (int) (size - tables));
        w.trim();
        return jpeg;
    }

    /** Where the library's output goes on after its SOI and APP0 segments; -1 when it is not laid out so. */
    private static int afterApp0(MemorySegment out, long size) {
        if (size < 4 || u8(out, 0) != 0xFF || u8(out, 1) != 0xD8) {
            return -1;
        }
        int pos = 2;
        while (pos + 4 <= size && u8(out, pos) == 0xFF && u8(out, pos + 1) == 0xE0) {
            pos += 2 + (u8(out, pos + 2) << 8 | u8(out, pos + 3));
        }
        return pos + 2 <= size && u8(out, pos) == 0xFF ? pos : -1;
    }

    private static int u8(MemorySegment s, long offset) {
        return s.get(JAVA_BYTE, offset) & 0xFF;
    }

    private String error(Worker w) {
        MemorySegment text;
        try {
            text = (MemorySegment) errorText.invokeExact(w.handle);
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
        return text.equals(MemorySegment.NULL) ? "no message" : text.reinterpret(1024).getString(0);
    }

    private Worker newWorker() {
        MemorySegment handle;
        try {
            handle = (MemorySegment) initCompress.invokeExact();
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
        if (handle.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("tjInitCompress failed");
        }
        Worker worker = new Worker(handle);
        MethodHandle free = destroy;
        // the handle outlives no thread: when the thread (and so its worker) is gone, TurboJPEG frees it
        CLEANER.register(worker, () -> {
            try {
                int ignored = (int) free.invokeExact(handle);
            } catch (Throwable t) {
                throw NativeCalls.failure(t);
            }
        });
        return worker;
    }

    /** One thread's TurboJPEG handle and native buffers (freed by the GC once unreachable). */
    private static final class Worker {
        final MemorySegment handle;
        /** The output buffer's address and size, as {@code tjCompress2} takes them (pointers to both). */
        final MemorySegment cells = Arena.ofAuto().allocate(ADDRESS.byteSize() + JAVA_LONG.byteSize(), 8);
        private MemorySegment input = MemorySegment.NULL;
        private MemorySegment output = MemorySegment.NULL;

        Worker(MemorySegment handle) {
            this.handle = handle;
        }

        MemorySegment input(long size) {
            if (input.byteSize() < size) {
                input = Arena.ofAuto().allocate(Math.max(size, Math.min(2 * input.byteSize(), KEPT_BUFFER_BYTES)));
            }
            return input;
        }

        MemorySegment output(long size) {
            if (output.byteSize() < size) {
                output = Arena.ofAuto().allocate(Math.max(size, Math.min(2 * output.byteSize(), KEPT_BUFFER_BYTES)));
            }
            return output;
        }

        void trim() {
            if (input.byteSize() > KEPT_BUFFER_BYTES) {
                input = MemorySegment.NULL;
            }
            if (output.byteSize() > KEPT_BUFFER_BYTES) {
                output = MemorySegment.NULL;
            }
        }
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        return NativeCalls.find(lib, LIBRARY, name);
    }
}
