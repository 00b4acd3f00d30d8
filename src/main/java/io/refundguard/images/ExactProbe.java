package io.refundguard.images;

/**
 * An evidence photo routed to the exact-duplicate index by the SHA-256 of its file bytes: the same
 * file submitted twice, which survives no recompression but costs one lookup instead of 272.
 *
 * @param erase unfile the photo instead (its person was erased); {@code requestKey} is then null,
 *     since no request waits for the result
 */
public record ExactProbe(String sha256, String requestKey, IndexedImage image, boolean erase) {
    public ExactProbe(String sha256, String requestKey, IndexedImage image) {
        this(sha256, requestKey, image, false);
    }

    /** Removes an erased person's photo from the digest it was filed under. */
    public static ExactProbe erasing(String sha256, IndexedImage image) {
        return new ExactProbe(sha256, null, image, true);
    }

    public String probeId() {
        return image.imageKey() + (erase ? "@sha256/erase" : "@sha256");
    }
}
