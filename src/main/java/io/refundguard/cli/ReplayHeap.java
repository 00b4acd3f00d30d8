package io.refundguard.cli;

import io.refundguard.job.ReplayStateBackend;
import io.refundguard.job.ReplayStateEstimate;
import io.refundguard.job.config.ReplaySettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * A replay's heap sized from its input. The launcher starts every command with the same default
 * heap (2 GB), which a month of requests with photos outgrows; RocksDB keeps such a replay within
 * it, but at two to three times the CPU. When the machine has the memory, restarting the replay
 * once with a heap that holds its estimated state is the faster way to the same output. Only the
 * launcher's default is resized: a heap the user chose ({@code REFUNDGUARD_JAVA_OPTS}) is theirs.
 */
final class ReplayHeap {
    /** Set by the launcher when it starts Java with its own default heap. */
    static final String DEFAULT_HEAP_PROPERTY = "refundguard.defaultHeap";
    /** Set on the restarted replay, so that it never restarts again. */
    static final String SIZED_ENV = "REFUNDGUARD_REPLAY_HEAP_SIZED";

    private ReplayHeap() {}

    /**
     * The heap to restart with, or empty to run in this JVM.
     *
     * @param availableBytes the memory the machine has available, or -1 when unknown
     */
    static OptionalLong sizeFor(ReplaySettings settings, ReplayStateEstimate estimate, long maxHeapBytes,
            long availableBytes, boolean launcherDefaultHeap) {
        if (!ReplayStateBackend.AUTO.equals(settings.stateBackend()) || !launcherDefaultHeap
                || settings.maxHeapShareOfMemory() <= 0 || availableBytes <= 0
                || ReplayStateBackend.fitsOnHeap(estimate, maxHeapBytes)) {
            return OptionalLong.empty();
        }
        long heap = ReplayStateBackend.heapToStayOnHeap(estimate);
        if (heap > (long) (availableBytes * settings.maxHeapShareOfMemory())) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(heap);
    }

    static boolean launcherDefaultHeap() {
        return Boolean.getBoolean(DEFAULT_HEAP_PROPERTY) && System.getenv(SIZED_ENV) == null;
    }

    /**
     * What the machine can give: Linux's MemAvailable (free memory plus what the page cache would
     * give back), within the JVM's view of the machine or container; -1 when neither is known.
     */
    static long availableMemory() {
        long total = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            total = os.getTotalMemorySize();
        }
        long available = memAvailable(Path.of("/proc/meminfo"));
        if (available > 0 && total > 0) {
            return Math.min(available, total);
        }
        return available > 0 ? available : total / 2;
    }

    static long memAvailable(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or a kernel without the field: fall back to the total.
        }
        return -1;
    }

    /**
     * This replay again, in a JVM with {@code heapBytes} of heap: same java, same JVM options but
     * the heap, same class path and arguments, same standard streams. Returns its exit code.
     * Stopping this process stops it too; Ctrl-C reaches both anyway (one process group).
     */
    static int restart(long heapBytes, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-Xmx") && !option.startsWith("-XX:MaxHeapSize")) {
                command.add(option);
            }
        }
        command.add("-Xmx" + (heapBytes >> 20) + "m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(SIZED_ENV, Long.toString(heapBytes));
        Process child = builder.start();
        Thread stopChild = new Thread(() -> {
            child.destroy();
            try {
                child.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-sized-replay");
        Runtime.getRuntime().addShutdownHook(stopChild);
        int exit = child.waitFor();
        Runtime.getRuntime().removeShutdownHook(stopChild);
        return exit;
    }

    static String describe(ReplayStateEstimate estimate, long maxHeapBytes, long heapBytes, long availableBytes,
            double share) {
        return String.format(Locale.ROOT,
                "replay: about %s of state does not fit the launcher's %s heap; restarting with -Xmx%dm"
                        + " (at most %d %% of the %s this machine has available, replay.maxHeapShareOfMemory)",
                gigabytes(estimate.heapBytes()), gigabytes(maxHeapBytes), heapBytes >> 20, Math.round(share * 100),
                gigabytes(availableBytes));
    }

    private static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }
}
