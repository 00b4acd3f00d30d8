package io.refundguard.job;

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

    public static ReplayStateBackend choose(String configured, ReplayStateEstimate estimate, long maxHeapBytes) {
        if (!AUTO.equals(configured)) {
            return new ReplayStateBackend(configured, "replay.stateBackend=" + configured);
        }
        long budget = (long) (maxHeapBytes * HEAP_SHARE);
        long needed = estimate.heapBytes();
        String sizes = String.format(Locale.ROOT, "%,d requests, %,d evidence and %,d listing photos: about %s of state",
                estimate.requests(), estimate.evidencePhotos(), estimate.listingPhotos(), gigabytes(needed));
        if (needed <= budget) {
            return new ReplayStateBackend("hashmap", String.format(Locale.ROOT,
                    "auto: on the heap (%s, within %s, 60 %% of the %s heap)", sizes, gigabytes(budget),
                    gigabytes(maxHeapBytes)));
        }
        long heapToStay = (long) Math.ceil(needed / HEAP_SHARE / (1L << 30)) + 1;
        return new ReplayStateBackend("rocksdb", String.format(Locale.ROOT,
                "auto: in RocksDB (%s, over %s, 60 %% of the %s heap); REFUNDGUARD_JAVA_OPTS=-Xmx%dg keeps it on"
                        + " the heap, which is faster", sizes, gigabytes(budget), gigabytes(maxHeapBytes), heapToStay));
    }

    private static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }
}
