package io.refundguard.images.provenance;

import io.refundguard.events.Provenance;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How many evidence files one core reads provenance from per second, per kind of file. A plain
 * main, not a test: timings depend on the machine and its load, so they are printed, never
 * asserted.
 *
 * <p>Run: {@code mvn -q -DskipTests package} then {@code java -cp
 * target/classes:target/test-classes:$(cat target/test.classpath)
 * io.refundguard.images.provenance.ProvenanceReaderBenchmark [seconds-per-round]}
 *
 * <p>One thread reads one file in a loop: warm-up, then five timed rounds. Rates are per second of
 * the reading thread's own CPU time, which is what "per core" means and what other processes on
 * a shared machine do not inflate (a wall-clock rate drops by the load factor; it is shown for
 * comparison). GC and JIT threads' CPU is not included. The median round is the figure to use;
 * the best is shown to tell noise from signal.
 */
public final class ProvenanceReaderBenchmark {
    private static final int ROUNDS = 5;

    private ProvenanceReaderBenchmark() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("ocsp.jpg", "JPEG, C2PA in 5 APP11 segments, 2 manifests");
        kinds.put("C.jpg", "JPEG, C2PA in 1 APP11 segment");
        kinds.put("no_manifest.jpg", "JPEG, stripped C2PA (EXIF+XMP)");
        kinds.put("IMG_0003.jpg", "JPEG, camera EXIF + XMP, no marks");
        kinds.put("synthetic-tc260-xmp.jpg", "JPEG, GB 45438 label in XMP");
        kinds.put("synthetic-tc260-xmp-itxt.png", "PNG, GB 45438 label in iTXt XMP");
        kinds.put("synthetic-a1111-parameters.png", "PNG, A1111 parameters tEXt");
        kinds.put("libpng-test.png", "PNG, no metadata");

        ProvenanceReader reader = new ProvenanceReader();
        System.out.printf(Locale.ROOT, "nproc=%d, cpu=%s, java=%s (%s), %d rounds of %.1f s per file, 1 thread%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), ROUNDS, seconds);
        // Other processes share the cores: the load says how far to trust the numbers.
        System.out.println("load average at start: " + loadAverage());
        System.out.println();
        System.out.printf(Locale.ROOT, "| %-31s | %-44s | %7s | %14s | %14s | %16s | %14s |%n",
                "file", "kind", "KiB", "files/s/core", "best round", "CPU µs/file", "wall files/s");
        System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(33), "-".repeat(46), "-".repeat(9),
                "-".repeat(16), "-".repeat(16), "-".repeat(18), "-".repeat(16));
        long sink = 0;
        for (Map.Entry<String, String> kind : kinds.entrySet()) {
            byte[] file = TestImages.fixture(kind.getKey());
            sink += loop(reader, file, seconds)[1]; // warm-up
            List<Double> cpuRates = new ArrayList<>();
            List<Double> wallRates = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                long[] result = loop(reader, file, seconds);
                sink += result[1];
                cpuRates.add(result[0] / (result[3] / 1e9));
                wallRates.add(result[0] / (result[2] / 1e9));
            }
            double median = median(cpuRates);
            System.out.printf(Locale.ROOT, "| %-31s | %-44s | %7.1f | %,14.0f | %,14.0f | %,16.1f | %,14.0f |%n",
                    kind.getKey(), kind.getValue(), file.length / 1024.0, median,
                    cpuRates.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), 1e6 / median,
                    median(wallRates));
        }
        System.out.println();
        System.out.println("load average at end: " + loadAverage() + " (checksum " + sink + ")");
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    /**
     * Reads until {@code seconds} of wall time have passed; returns {reads, checksum, elapsed
     * wall nanos, elapsed CPU nanos of this thread}.
     */
    private static long[] loop(ProvenanceReader reader, byte[] file, double seconds) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long budget = (long) (seconds * 1e9);
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long reads = 0;
        long checksum = 0;
        long elapsed;
        do {
            for (int i = 0; i < 16; i++) {
                Provenance p = reader.read(file);
                checksum += p.hashCode();
                reads++;
            }
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        return new long[] {reads, checksum, elapsed, threads.getCurrentThreadCpuTime() - cpuStart};
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            // Not Linux: leave the model out.
        }
        return "unknown";
    }
}
