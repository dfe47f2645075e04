package trit.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Memory for repacked weights: on Linux, an anonymous mapping of its own, advised to use transparent huge
 * pages before anything touches it ({@code madvise(MADV_HUGEPAGE)}; this machine's kernel uses them only
 * where asked), and unmapped when the segment becomes unreachable. Weights stream from memory once per
 * token, and with 4 KB pages every 4 KB of them costs a page walk. It also keeps hundreds of MB of
 * weights outside the JVM's direct-memory limit, which is the heap's size by default. Elsewhere, or if
 * a call fails, an ordinary native segment.
 */
final class NativeMemory {
    private NativeMemory() {}

    private static final long HUGE = 2L << 20;
    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20, MADV_HUGEPAGE = 14;
    private static final boolean DISABLED = Boolean.getBoolean("trit.nohugepages");

    private static final MethodHandle MMAP, MUNMAP, MADVISE;

    static {
        MethodHandle mmap = null, munmap = null, madvise = null;
        if (!DISABLED && System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            } catch (RuntimeException | Error e) {
                mmap = null;
            }
        }
        MMAP = mmap;
        MUNMAP = munmap;
        MADVISE = madvise;
    }

    /** {@code bytes} of zeroed memory, 64-byte aligned at least, freed when the segment is unreachable. */
    static MemorySegment allocate(long bytes) {
        if (MMAP != null && bytes >= HUGE) {
            try {
                long size = (bytes + HUGE - 1) / HUGE * HUGE;
                // map one huge page more, so that a 2 MB-aligned range of the full size lies inside
                long mapped = size + HUGE;
                MemorySegment m = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, mapped, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
                if (m.address() != -1L && m.address() != 0L) {
                    long base = m.address(), aligned = (base + HUGE - 1) / HUGE * HUGE;
                    int ignored = (int) MADVISE.invokeExact(MemorySegment.ofAddress(aligned), size, MADV_HUGEPAGE);
                    MethodHandle unmap = MUNMAP;
                    return MemorySegment.ofAddress(aligned).reinterpret(bytes, Arena.ofAuto(), s -> {
                        try {
                            int r = (int) unmap.invokeExact(MemorySegment.ofAddress(base), mapped);
                        } catch (Throwable t) {
                            // nothing to do: the mapping stays until the process ends
                        }
                    });
                }
            } catch (Throwable t) {
                // fall through to an ordinary segment
            }
        }
        return Arena.ofAuto().allocate(bytes, 64);
    }
}
