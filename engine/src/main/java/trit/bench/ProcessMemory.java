package trit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc (Linux); -1 where the OS does not expose it. */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Peak resident set size (VmHWM) in bytes. */
    public static long peakRss() {
        return status("VmHWM:");
    }

    /**
     * Resets the peak to the current RSS (Linux: writing 5 to /proc/self/clear_refs), so that a later
     * {@link #peakRss()} covers only what runs after; returns false where that is not possible. A full
     * collection comes first: the heap that loading grew (building a synthetic model allocates its float
     * weights) is given back then, so that it does not count as the run's memory (2B4T i2_s synthesized
     * in-process: 4.3-4.55 GiB without it under the Serial GC, which gives the heap back over a few
     * collections).
     */
    public static boolean resetPeak() {
        // the Serial GC shrinks the heap by a growing fraction at each full collection (0, 10, 40, 100%)
        for (int i = 0; i < 4; i++) System.gc();
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Current resident set size (VmRSS) in bytes. */
    public static long rss() {
        return status("VmRSS:");
    }

    private static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] f = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024; // kB
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return -1;
    }
}
