package org.greylab.core.image;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Large native buffers straight from the kernel ({@code mmap}), in 2 MB pages where Linux gives them on request
 * ({@code madvise(MADV_HUGEPAGE)}), unmapped once unreachable. {@code Arena.allocate} zeroes a new buffer byte by
 * byte and the kernel maps it 4 KB at a time: a fresh engine's first batch of photos spent about a third of its time
 * in page faults and that zeroing while its decoder's buffers grew (perf, 105 photos), where the kernel's pages come
 * zeroed already. Elsewhere (not Linux, or {@code mmap} missing) buffers come from {@code Arena.ofAuto()} as before.
 */
final class PageBuffers {

    private static final Logger LOG = LoggerFactory.getLogger(PageBuffers.class);

    /** Below this, a buffer is not worth a mapping of its own. */
    private static final long MAPPED_FROM = 2L << 20;
    private static final long HUGE_PAGE = 2L << 20;
    // Linux's values (x86-64 and AArch64 alike)
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;

    private static final PageBuffers INSTANCE = open();

    private final MethodHandle mmap;
    private final MethodHandle munmap;
    private final MethodHandle madvise;

    private PageBuffers(MethodHandle mmap, MethodHandle munmap, MethodHandle madvise) {
        this.mmap = mmap;
        this.munmap = munmap;
        this.madvise = madvise;
    }

    private static PageBuffers open() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            return new PageBuffers(
                    linker.downcallHandle(NativeCalls.find(libc, "libc", "mmap"), FunctionDescriptor.of(ADDRESS,
                            ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG)),
                    linker.downcallHandle(NativeCalls.find(libc, "libc", "munmap"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG)),
                    linker.downcallHandle(NativeCalls.find(libc, "libc", "madvise"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT)));
        } catch (RuntimeException e) {
            LOG.debug("native buffers from the arena: {}", e.toString());
            return null;
        }
    }

    /** A zeroed native buffer of at least {@code size} bytes, 64-byte aligned, freed once unreachable. */
    static MemorySegment allocate(long size) {
        MemorySegment mapped = INSTANCE == null || size < MAPPED_FROM ? null : INSTANCE.map(size);
        return mapped != null ? mapped : Arena.ofAuto().allocate(size, 64);
    }

    private MemorySegment map(long size) {
        long length = (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
        MemorySegment address;
        try {
            address = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, length, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (address.address() == -1L) {
                return null;
            }
            // advice only: where the kernel gives no huge pages on request, the mapping stays in small pages
            int ignored = (int) madvise.invokeExact(address, length, MADV_HUGEPAGE);
        } catch (Throwable t) {
            throw NativeCalls.failure(t);
        }
        MethodHandle unmap = munmap;
        return address.reinterpret(length, Arena.ofAuto(), segment -> {
            try {
                int ignored = (int) unmap.invokeExact(segment, length);
            } catch (Throwable t) {
                throw NativeCalls.failure(t);
            }
        });
    }
}
