package io.refundguard.images;

/**
 * A stored photo that matched a probe.
 *
 * @param distance PDQ Hamming distance between the two hashes
 * @param copy what the local comparison found, when it decided the match; null when the hashes did
 */
public record ImageMatch(IndexedImage matched, int distance, CopyFinding copy) {
    public ImageMatch(IndexedImage matched, int distance) {
        this(matched, distance, null);
    }
}
