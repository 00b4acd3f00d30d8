package io.refundguard.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much heap a replay's keyed state would take on the heap backend, from a quick scan of its
 * input (no JSON parsing: counting request types and photo ids in the raw bytes costs about a
 * second per gigabyte, next to minutes of replay).
 *
 * <p>The per-item costs are the live heap measured at the end of replays of simulated traffic
 * (docs/benchmarks.md, "Replay memory"): a replay keeps every request for the longest retention
 * (erasure routes, person histories, rings, bursts, dedupe ids, timers), and every evidence photo
 * in the exact and near-duplicate indexes and the image clusters. The cost per request was 3,000
 * bytes until a 400,000-request replay without photos, estimated at 1.1 GB, filled the 2 GB heap
 * (1.94 GB still live after mixed collections, 45 s of pauses, twice the job time of a run
 * earlier that day), so it is 4,500. It is an upper bound: events
 * older than a pattern's window are expired on the way, which a history of months benefits from.
 *
 * @param requests REFUND_REQUESTED events
 * @param evidencePhotos evidence photos on those requests
 * @param listingPhotos catalog-images records
 * @param listingBytes their size on disk (listing photos with local features carry ~10 KB each)
 */
public record ReplayStateEstimate(long requests, long evidencePhotos, long listingPhotos, long listingBytes) {
    static final long BYTES_PER_REQUEST = 4_500;
    static final long BYTES_PER_EVIDENCE_PHOTO = 4_000;
    static final long BYTES_PER_LISTING_PHOTO = 2_000;

    private static final byte[] REQUEST = "\"REFUND_REQUESTED\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IMAGE_ID = "\"imageId\"".getBytes(StandardCharsets.US_ASCII);

    /** @param catalog the listing photos' file, or null */
    public static ReplayStateEstimate scan(Path events, Path catalog) throws IOException {
        long[] eventCounts = count(events, REQUEST, IMAGE_ID);
        long listingPhotos = 0;
        long listingBytes = 0;
        if (catalog != null) {
            listingPhotos = count(catalog, new byte[] {'\n'})[0];
            listingBytes = Files.size(catalog);
        }
        return new ReplayStateEstimate(eventCounts[0], eventCounts[1], listingPhotos, listingBytes);
    }

    public long heapBytes() {
        return requests * BYTES_PER_REQUEST
                + evidencePhotos * BYTES_PER_EVIDENCE_PHOTO
                + listingPhotos * BYTES_PER_LISTING_PHOTO
                + listingBytes;
    }

    /**
     * Occurrences of each pattern in the file. Patterns here start with a byte that occurs nowhere
     * else in them ({@code "} or a newline), so after a mismatch the search restarts at that byte
     * without missing an overlapping match.
     */
    static long[] count(Path file, byte[]... patterns) throws IOException {
        long[] counts = new long[patterns.length];
        int[] matched = new int[patterns.length];
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    byte b = buffer[i];
                    for (int p = 0; p < patterns.length; p++) {
                        byte[] pattern = patterns[p];
                        if (pattern[matched[p]] == b) {
                            if (++matched[p] == pattern.length) {
                                counts[p]++;
                                matched[p] = 0;
                            }
                        } else {
                            matched[p] = pattern[0] == b ? 1 : 0;
                        }
                    }
                }
            }
        }
        return counts;
    }
}
