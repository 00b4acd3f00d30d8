package io.refundguard.images;

/**
 * One photo as the near-duplicate index keeps it. The hash is four longs rather than a
 * {@link PdqHash} field: a flat, fixed-width serialised form with no nested type to evolve.
 *
 * @param imageKey EVIDENCE {@code platform:requestId:imageId}, CATALOG {@code
 *     platform:merchantId:productId:imageId}; a re-sent image with the same key replaces the old one
 * @param ownerKey EVIDENCE the person key, CATALOG {@code platform:merchantId:productId}
 * @param occurredAt event time, epoch millis; the index orders and expires by it
 * @param merchantIdentityHash CATALOG the seller across platforms, when its platform sent it; null
 *     otherwise, and always for EVIDENCE (evidence is many, so it carries nothing it does not need)
 */
public record IndexedImage(
        ImageOrigin origin,
        String imageKey,
        String ownerKey,
        String platform,
        long w0,
        long w1,
        long w2,
        long w3,
        int quality,
        long occurredAt,
        String merchantIdentityHash) {

    /** A photo without a seller: evidence, or a listing photo sent without one. */
    public IndexedImage(ImageOrigin origin, String imageKey, String ownerKey, String platform, long w0, long w1, long w2,
            long w3, int quality, long occurredAt) {
        this(origin, imageKey, ownerKey, platform, w0, w1, w2, w3, quality, occurredAt, null);
    }

    public static IndexedImage of(
            ImageOrigin origin,
            String imageKey,
            String ownerKey,
            String platform,
            PdqHash hash,
            int quality,
            long occurredAt) {
        return new IndexedImage(origin, imageKey, ownerKey, platform,
                hash.w0(), hash.w1(), hash.w2(), hash.w3(), quality, occurredAt);
    }

    public PdqHash hash() {
        return new PdqHash(w0, w1, w2, w3);
    }

    /** Hamming distance without allocating hashes: the operator calls this per candidate. */
    public int distanceTo(IndexedImage other) {
        return Long.bitCount(w0 ^ other.w0)
                + Long.bitCount(w1 ^ other.w1)
                + Long.bitCount(w2 ^ other.w2)
                + Long.bitCount(w3 ^ other.w3);
    }
}
