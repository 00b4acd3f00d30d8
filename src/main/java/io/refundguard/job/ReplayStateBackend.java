package io.refundguard.job;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The state backend a replay runs on. {@code auto} keeps state on the heap (several times faster)
 * when the estimated state fits in {@link #HEAP_SHARE} of the heap, and otherwise on RocksDB, whose
 * heap use does not grow with the input: a replay of any length finishes with the launcher's
 * default memory instead of sinking into full garbage collections.
 *
 * @param backend {@code hashmap} or {@code rocksdb}, as Flink's {@code state.backend.type} takes it
 * @param reason one line for the replay's summary
 */
public record ReplayStateBackend(String backend, String reason) {
    public static final String AUTO = "auto";

    /**
     * The share of the heap the state may take. The rest is G1's working room (below about 40 %
     * free, concurrent marking falls behind and full collections take seconds each) plus network
     * buffers and records in flight.
     */
    static final double HEAP_SHARE = 0.6;

    /**
     * Scans the input only for {@code auto}: a forced backend needs no estimate, and the scan reads
     * the whole file once more.
     *
     * @param catalog the listing photos' file, or null
     */
    public static ReplayStateBackend choose(String configured, Path events, Path catalog, long maxHeapBytes)
            throws IOException {
        if (!AUTO.equals(configured)) {
            return forced(configured);
        }
        return choose(configured, ReplayStateEstimate.scan(events, catalog), maxHeapBytes);
    }

    /** @param estimate the input's estimate; unused (and may be null) for a forced backend */
    public static ReplayStateBackend choose(String configured, ReplayStateEstimate estimate, long maxHeapBytes) {
        if (!AUTO.equals(configured)) {
            return forced(configured);
        }
        long budget = (long) (maxHeapBytes * HEAP_SHARE);
        long needed = estimate.heapBytes();
        String sizes = String.format(Locale.ROOT, "%,d requests, %,d evidence and %,d listing photos: about %s of state",
                estimate.requests(), estimate.evidencePhotos(), estimate.listingPhotos(), gigabytes(needed));
        if (fitsOnHeap(estimate, maxHeapBytes)) {
            return new ReplayStateBackend("hashmap", String.format(Locale.ROOT,
                    "auto: on the heap (%s, within %s, %d %% of the %s heap)", sizes, gigabytes(budget),
                    sharePercent(), gigabytes(maxHeapBytes)));
        }
        long heapToStay = (long) Math.ceil(heapToStayOnHeap(estimate) / (double) (1L << 30));
        return new ReplayStateBackend("rocksdb", String.format(Locale.ROOT,
                "auto: in RocksDB (%s, over %s, %d %% of the %s heap); REFUNDGUARD_JAVA_OPTS=-Xmx%dg keeps it on"
                        + " the heap, which is faster", sizes, gigabytes(budget), sharePercent(), gigabytes(maxHeapBytes),
                heapToStay));
    }

    /**
     * The heap on which {@code auto} keeps this input's state on the heap: the state is
     * {@link #HEAP_SHARE} of it, plus room for the MiniCluster itself (network buffers, operators,
     * records in flight), rounded up to 256 MB.
     */
    public static long heapToStayOnHeap(ReplayStateEstimate estimate) {
        long quarterGigabyte = 1L << 28;
        long heap = (long) Math.ceil(estimate.heapBytes() / HEAP_SHARE) + (1L << 29);
        return (heap + quarterGigabyte - 1) / quarterGigabyte * quarterGigabyte;
    }

    /** Whether {@code auto} keeps this input's state on a heap of {@code maxHeapBytes}. */
    public static boolean fitsOnHeap(ReplayStateEstimate estimate, long maxHeapBytes) {
        return estimate.heapBytes() <= (long) (maxHeapBytes * HEAP_SHARE);
    }

    private static ReplayStateBackend forced(String configured) {
        return new ReplayStateBackend(configured, "replay.stateBackend=" + configured);
    }

    private static long sharePercent() {
        return Math.round(HEAP_SHARE * 100);
    }

    private static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }
}
