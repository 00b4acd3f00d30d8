package io.refundguard.events;

/**
 * A fingerprint of a merchant's listing photo from the compacted {@code catalog-images} topic.
 *
 * @param deleted a tombstone: the listing photo is gone and must no longer match
 */
public record CatalogImage(
        String platform,
        String merchantId,
        String productId,
        String imageId,
        String pdq,
        int pdqQuality,
        long occurredAt,
        boolean deleted) {

    /** {@code platform:merchantId:productId:imageId}, the record key on the topic. */
    public String catalogKey() {
        return platform + ":" + merchantId + ":" + productId + ":" + imageId;
    }
}
