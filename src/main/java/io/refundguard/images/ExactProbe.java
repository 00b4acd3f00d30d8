package io.refundguard.images;

/**
 * An evidence photo routed to the exact-duplicate index by the SHA-256 of its file bytes: the same
 * file submitted twice, which survives no recompression but costs one lookup instead of 272.
 */
public record ExactProbe(String sha256, String requestKey, IndexedImage image) {
    public String probeId() {
        return image.imageKey() + "@sha256";
    }
}
