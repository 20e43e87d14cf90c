package org.greylab.core.image;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libjpeg-turbo's TurboJPEG compressor (the system's {@code libturbojpeg.so.0}) through the Foreign Function &amp;
 * Memory API, for grey planes. libjpeg-turbo's accurate integer DCT, its quantization and the standard Huffman
 * tables give the very bytes of the JDK's libjpeg after the JFIF segment, which the caller writes; the JDK's writer
 * spends most of a thumbnail's time building a raster per row and its metadata, this spends none. Each image being
 * encoded has a handle and native buffers of its own, reused from image to image ({@link Reusables}).
 */
final class TurboJpegEncoder implements NativeJpegEncoder {

    private static final Logger LOG = LoggerFactory.getLogger(TurboJpegEncoder.class);
    private static final int TJSAMP_GRAY = 3;
    private static final int TJFLAG_NOREALLOC = 1024;
    /** Native buffers up to this size are kept between images; a bigger one is let go after its image. */
    private static final long KEPT_BUFFER_BYTES = 64L << 20;

    private final TurboJpeg turbo;
    private final MethodHandle initCompress;
    private final MethodHandle compress;
    private final MethodHandle bufferSize;
    private final Reusables<Worker> workers = new Reusables<>(this::newWorker);

    private TurboJpegEncoder(TurboJpeg turbo) {
        this.turbo = turbo;
        Linker linker = Linker.nativeLinker();
        initCompress = linker.downcallHandle(turbo.find("tjInitCompress"), FunctionDescriptor.of(ADDRESS));
        compress = linker.downcallHandle(turbo.find("tjCompress2"), FunctionDescriptor.of(JAVA_INT, ADDRESS,
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
        bufferSize = linker.downcallHandle(turbo.find("tjBufSize"), FunctionDescriptor.of(JAVA_LONG, JAVA_INT,
                JAVA_INT, JAVA_INT));
    }

    /**
     * Opens the library (called by {@link JpegEncoders} by name, which then compares it with the JDK's writer).
     *
     * @throws NativeLayer.Unavailable the library is missing or lacks a function
     */
    static TurboJpegEncoder open() throws NativeLayer.Unavailable {
        try {
            return new TurboJpegEncoder(TurboJpeg.open());
        } catch (IllegalStateException e) {
            throw TurboJpeg.tooOld(e);
        }
    }

    @Override
    public String description() {
        return TurboJpeg.DESCRIPTION;
    }

    @Override
    public byte[] encodeGrey(byte[] grey, int width, int height, int quality, byte[] app0) {
        Worker w = workers.take();
        try {
            return encodeGrey(w, grey, width, height, quality, app0);
        } finally {
            workers.giveBack(w);
        }
    }

    private byte[] encodeGrey(Worker w, byte[] grey, int width, int height, int quality, byte[] app0) {
        long capacity;
        try {
            capacity = (long) bufferSize.invokeExact(width, height, TJSAMP_GRAY);
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
        if (capacity <= 0) {
            return null;
        }
        MemorySegment in = w.input.atLeast(grey.length);
        MemorySegment.copy(grey, 0, in, JAVA_BYTE, 0, grey.length);
        MemorySegment out = w.output.atLeast(capacity);
        w.cells.set(ADDRESS, 0, out);
        w.cells.set(JAVA_LONG, ADDRESS.byteSize(), out.byteSize());
        int rc;
        try {
            rc = (int) compress.invokeExact(w.handle, in, width, 0, height, TurboJpeg.TJPF_GRAY, w.cells,
                    w.cells.asSlice(ADDRESS.byteSize()), TJSAMP_GRAY, quality,
                    TJFLAG_NOREALLOC | TurboJpeg.TJFLAG_ACCURATEDCT);
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
        if (rc != 0) {
            LOG.debug("TurboJPEG could not encode a {}x{} image ({}); the JDK's writer does", width, height,
                    turbo.error(w.handle));
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

    private Worker newWorker() {
        return turbo.withHandle(initCompress, "tjInitCompress", Worker::new);
    }

    /** A TurboJPEG handle, its native buffers and the cells {@code tjCompress2} writes to: one image's at a time. */
    private static final class Worker extends TurboJpeg.Worker {
        /** The output buffer's address and size, as {@code tjCompress2} takes them (pointers to both). */
        final MemorySegment cells = Arena.ofAuto().allocate(ADDRESS.byteSize() + JAVA_LONG.byteSize(), 8);

        Worker(MemorySegment handle) {
            super(handle, KEPT_BUFFER_BYTES);
        }
    }
}
