package trit.roi;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Energy used while some work runs. Measured from Intel RAPL package counters
 * ({@code /sys/class/powercap/intel-rapl:N/energy_uj}) where the OS exposes them and lets us read them;
 * those count the whole package, other processes included. Otherwise estimated: this process's CPU
 * seconds times a stated power per busy core. Every reading says which it is and what it rests on.
 */
public final class EnergyMeter {
    /** The stated default: a server core under load draws roughly TDP / cores, e.g. 205 W / 20 cores. */
    public static final double DEFAULT_WATTS_PER_CORE = 10;
    private static final Path POWERCAP = Path.of("/sys/class/powercap");

    /**
     * @param label "measured" or "estimated"
     * @param method what the figure rests on, inputs included
     */
    public record Reading(double joules, double cpuSeconds, double wallSeconds, String label, String method) {
        public double joulesPer(double units) {
            return joules / units;
        }

        /** Electricity cost of the reading at {@code pricePerKwh}. */
        public double cost(double pricePerKwh) {
            return joules / 3.6e6 * pricePerKwh;
        }
    }

    private final Path root;
    private final List<Path> zones;
    private final long[] startMicroJoules;
    private final double wattsPerCore;
    private final long startCpuNanos, startWall;

    private EnergyMeter(Path root, double wattsPerCore) {
        this.root = root;
        this.wattsPerCore = wattsPerCore;
        this.zones = readableZones(root);
        this.startMicroJoules = new long[zones.size()];
        for (int i = 0; i < zones.size(); i++) startMicroJoules[i] = read(zones.get(i).resolve("energy_uj"));
        this.startCpuNanos = processCpuNanos();
        this.startWall = System.nanoTime();
    }

    /** Starts metering; {@code wattsPerCore} is the stated power model used when RAPL cannot be read. */
    public static EnergyMeter start(double wattsPerCore) {
        return start(POWERCAP, wattsPerCore);
    }

    static EnergyMeter start(Path powercap, double wattsPerCore) {
        if (!(wattsPerCore > 0)) throw new trit.TritException("--watts-per-core must be a positive number, got " + wattsPerCore);
        return new EnergyMeter(powercap, wattsPerCore);
    }

    public boolean rapl() {
        return !zones.isEmpty();
    }

    public Reading stop() {
        double cpu = (processCpuNanos() - startCpuNanos) / 1e9;
        double wall = (System.nanoTime() - startWall) / 1e9;
        if (!zones.isEmpty()) {
            double joules = 0;
            for (int i = 0; i < zones.size(); i++) {
                long now = read(zones.get(i).resolve("energy_uj"));
                long delta = now - startMicroJoules[i];
                if (delta < 0) delta += read(zones.get(i).resolve("max_energy_range_uj")); // the counter wrapped
                joules += delta / 1e6;
            }
            return new Reading(joules, cpu, wall, "measured", String.format(Locale.ROOT,
                    "RAPL package energy over %.2f s (%d zone%s under %s; counts the whole package, other processes too)",
                    wall, zones.size(), zones.size() == 1 ? "" : "s", root));
        }
        return new Reading(cpu * wattsPerCore, cpu, wall, "estimated", String.format(Locale.ROOT,
                "%.2f CPU-seconds x %.1f W per busy core (stated power model; RAPL not readable under %s)", cpu, wattsPerCore, root));
    }

    /** Top-level package zones (intel-rapl:N, not their sub-zones intel-rapl:N:M) whose counter we can read. */
    static List<Path> readableZones(Path root) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, "intel-rapl:*")) {
            for (Path p : ds) {
                if (p.getFileName().toString().chars().filter(c -> c == ':').count() != 1) continue;
                if (read(p.resolve("energy_uj")) >= 0) out.add(p);
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    private static long read(Path p) {
        try {
            return Long.parseLong(Files.readString(p).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            if (t >= 0) return t;
        }
        // without the extension, count this thread only: an underestimate, but a labelled one
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
