package io.refundguard.events;

/**
 * A fingerprint of a merchant's listing photo from the compacted {@code catalog-images} topic.
 *
 * @param pdq null for a tombstone, and for a photo given only by {@code uri} until the detector
 *     fetched it
 * @param deleted a tombstone: the listing photo is gone and must no longer match
 * @param uri where the detector may fetch the photo itself, or null
 * @param localFeatures keypoints and thumbnail for the local comparison with evidence, or null
 * @param merchantIdentityHash the seller across platforms (HMAC of its unified social credit code), or
 *     null when the platform did not send it
 * @param fetchError why the detector could not fetch or read the photo at {@code uri}; set only by
 *     the detector
 */
public record CatalogImage(
        String platform,
        String merchantId,
        String merchantIdentityHash,
        String productId,
        String imageId,
        String pdq,
        int pdqQuality,
        long occurredAt,
        boolean deleted,
        String uri,
        LocalFeatures localFeatures,
        String fetchError) {

    public CatalogImage(String platform, String merchantId, String productId, String imageId, String pdq,
            int pdqQuality, long occurredAt, boolean deleted) {
        this(platform, merchantId, null, productId, imageId, pdq, pdqQuality, occurredAt, deleted, null, null, null);
    }

    /** {@code platform:merchantId:productId}: the product whose listing this photo is. */
    public String productKey() {
        return platform + ":" + merchantId + ":" + productId;
    }

    /** This listing photo as the detector fingerprinted it from its {@code uri}. */
    public CatalogImage fingerprinted(String newPdq, int quality, LocalFeatures features) {
        return new CatalogImage(platform, merchantId, merchantIdentityHash, productId, imageId, newPdq, quality,
                occurredAt, deleted, uri, features, null);
    }

    /** This listing photo, which could not be fetched or read, with the reason. */
    public CatalogImage withFetchError(String reason) {
        return new CatalogImage(platform, merchantId, merchantIdentityHash, productId, imageId, pdq, pdqQuality,
                occurredAt, deleted, uri, localFeatures, reason);
    }

    /** {@code platform:merchantId:productId:imageId}, the record key on the topic. */
    public String catalogKey() {
        return platform + ":" + merchantId + ":" + productId + ":" + imageId;
    }
}
