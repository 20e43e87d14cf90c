package org.greylab.core.image;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * libheif's C API (the system's {@code libheif.so.1}) through the Foreign Function &amp; Memory API: the primary
 * image of a HEIC or AVIF file, decoded to interleaved 8-bit RGBA with its rotation and mirroring applied, as
 * {@code heif-convert} writes it.
 */
final class LibHeifDecoder implements NativeHeifDecoder {

    private static final String LIBRARY = "libheif.so.1";
    private static final int COLORSPACE_RGB = 1;
    private static final int CHROMA_INTERLEAVED_RGBA = 11;
    private static final int CHANNEL_INTERLEAVED = 10;
    /** struct heif_error { enum heif_error_code code; enum heif_suberror_code subcode; const char* message; } */
    private static final StructLayout ERROR = MemoryLayout.structLayout(JAVA_INT.withName("code"),
            JAVA_INT.withName("subcode"), ADDRESS.withName("message"));

    // linked on first use: saying whether libheif is here (every run and engine start) links only its version
    private final NativeCalls.Downcall contextAlloc;
    private final NativeCalls.Downcall contextFree;
    private final NativeCalls.Downcall readFromMemory;
    private final NativeCalls.Downcall primaryHandle;
    private final NativeCalls.Downcall handleWidth;
    private final NativeCalls.Downcall handleHeight;
    private final NativeCalls.Downcall handleRelease;
    private final NativeCalls.Downcall decodeImage;
    private final NativeCalls.Downcall imageWidth;
    private final NativeCalls.Downcall imageHeight;
    private final NativeCalls.Downcall planeReadonly;
    private final NativeCalls.Downcall imageRelease;
    private final String version;

    private LibHeifDecoder(SymbolLookup lib) {
        contextAlloc = downcall(lib, "heif_context_alloc", FunctionDescriptor.of(ADDRESS));
        contextFree = downcall(lib, "heif_context_free", FunctionDescriptor.ofVoid(ADDRESS));
        readFromMemory = downcall(lib, "heif_context_read_from_memory_without_copy",
                FunctionDescriptor.of(ERROR, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        primaryHandle = downcall(lib, "heif_context_get_primary_image_handle",
                FunctionDescriptor.of(ERROR, ADDRESS, ADDRESS));
        handleWidth = downcall(lib, "heif_image_handle_get_width", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        handleHeight = downcall(lib, "heif_image_handle_get_height", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        handleRelease = downcall(lib, "heif_image_handle_release", FunctionDescriptor.ofVoid(ADDRESS));
        decodeImage = downcall(lib, "heif_decode_image",
                FunctionDescriptor.of(ERROR, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        imageWidth = downcall(lib, "heif_image_get_width", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        imageHeight = downcall(lib, "heif_image_get_height", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        planeReadonly = downcall(lib, "heif_image_get_plane_readonly",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        imageRelease = downcall(lib, "heif_image_release", FunctionDescriptor.ofVoid(ADDRESS));
        MethodHandle getVersion = downcall(lib, "heif_get_version", FunctionDescriptor.of(ADDRESS)).handle();
        try {
            version = ((MemorySegment) getVersion.invokeExact()).reinterpret(64).getString(0);
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
    }

    /** Opens the library (called by {@link HeifDecoders} by name). */
    static LibHeifDecoder open() {
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(LIBRARY + " is not installed (Debian and Ubuntu: apt install libheif1)");
        }
        return new LibHeifDecoder(lib);
    }

    @Override
    public String description() {
        return "libheif " + version + " (" + LIBRARY + ", through the Foreign Function & Memory API)";
    }

    @Override
    public BufferedImage decode(byte[] heif, long maxPixels) throws ConversionException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(heif.length);
            MemorySegment.copy(heif, 0, data, JAVA_BYTE, 0, heif.length);
            SegmentAllocator errors = arena;
            MemorySegment context;
            MemorySegment handle = MemorySegment.NULL;
            MemorySegment image = MemorySegment.NULL;
            try {
                context = (MemorySegment) contextAlloc.handle().invokeExact();
            } catch (Throwable t) {
                throw NativeCalls.failure(t);
            }
            try {
                check((MemorySegment) readFromMemory.handle().invokeExact(errors, context, data, (long) heif.length,
                        MemorySegment.NULL));
                MemorySegment handleOut = arena.allocate(ADDRESS);
                check((MemorySegment) primaryHandle.handle().invokeExact(errors, context, handleOut));
                handle = handleOut.get(ADDRESS, 0);
                int w = (int) handleWidth.handle().invokeExact(handle);
                int h = (int) handleHeight.handle().invokeExact(handle);
                if ((long) w * h > maxPixels) {
                    throw ImageDecoder.tooLarge(w, h, maxPixels);
                }
                MemorySegment imageOut = arena.allocate(ADDRESS);
                check((MemorySegment) decodeImage.handle().invokeExact(errors, handle, imageOut, COLORSPACE_RGB,
                        CHROMA_INTERLEAVED_RGBA, MemorySegment.NULL));
                image = imageOut.get(ADDRESS, 0);
                int width = (int) imageWidth.handle().invokeExact(image, CHANNEL_INTERLEAVED);
                int height = (int) imageHeight.handle().invokeExact(image, CHANNEL_INTERLEAVED);
                MemorySegment strideOut = arena.allocate(JAVA_INT);
                MemorySegment plane = (MemorySegment) planeReadonly.handle().invokeExact(image, CHANNEL_INTERLEAVED,
                        strideOut);
                int stride = strideOut.get(JAVA_INT, 0);
                if (plane.equals(MemorySegment.NULL) || width <= 0 || height <= 0) {
                    throw new ConversionException(Stage.DECODE, "libheif decoded no pixels from this file");
                }
                return toImage(plane.reinterpret((long) stride * height), width, height, stride);
            } catch (ConversionException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw NativeCalls.failure(t);
            } finally {
                release(image, handle, context);
            }
        }
    }

    private void release(MemorySegment image, MemorySegment handle, MemorySegment context) {
        try {
            if (!image.equals(MemorySegment.NULL)) {
                imageRelease.handle().invokeExact(image);
            }
            if (!handle.equals(MemorySegment.NULL)) {
                handleRelease.handle().invokeExact(handle);
            }
            contextFree.handle().invokeExact(context);
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
    }

    /** RGBA rows to ARGB ints; without alpha when every pixel is opaque. */
    private static BufferedImage toImage(MemorySegment plane, int width, int height, int stride) {
        BufferedImage argb = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] px = ((DataBufferInt) argb.getRaster().getDataBuffer()).getData();
        byte[] row = new byte[4 * width];
        boolean opaque = true;
        for (int y = 0; y < height; y++) {
            MemorySegment.copy(plane, JAVA_BYTE, (long) y * stride, row, 0, row.length);
            for (int x = 0, i = 0; x < width; x++, i += 4) {
                int a = row[i + 3] & 0xFF;
                opaque &= a == 0xFF;
                px[y * width + x] = a << 24 | (row[i] & 0xFF) << 16 | (row[i + 1] & 0xFF) << 8 | (row[i + 2] & 0xFF);
            }
        }
        if (!opaque) {
            return argb;
        }
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        System.arraycopy(px, 0, ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData(), 0, px.length);
        return rgb;
    }

    private static void check(MemorySegment e) throws ConversionException {
        int code = e.get(JAVA_INT, 0);
        if (code != 0) {
            MemorySegment message = e.get(ADDRESS, 8);
            String text = message.equals(MemorySegment.NULL) ? "error " + code
                    : message.reinterpret(1024).getString(0);
            throw new ConversionException(Stage.DECODE, "libheif could not decode this file: " + text);
        }
    }

    private static NativeCalls.Downcall downcall(SymbolLookup lib, String name, FunctionDescriptor descriptor) {
        return new NativeCalls.Downcall(lib, LIBRARY, name, descriptor);
    }
}
