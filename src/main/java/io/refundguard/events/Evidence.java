package io.refundguard.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One evidence image of a refund request.
 *
 * @param sha256 lower-case hex of the file bytes, or null
 * @param pdq 64 lower-case hex chars (256-bit PDQ hash), or null
 * @param pdqQuality 0-100, or null when there is no PDQ hash
 * @param localFeatures keypoints and a small thumbnail for the local comparison with listing photos,
 *     or null; a photo without them is compared by its hashes only
 * @param fetchError why the detector could not fingerprint the image at {@code uri} itself (one
 *     line), or null. Set only by the detector, never read from a platform's record: it explains
 *     to a reviewer why an image that had a {@code uri} still carries no PDQ hash.
 */
public record Evidence(
        String imageId,
        String sha256,
        String uri,
        String pdq,
        Integer pdqQuality,
        Provenance provenance,
        @JsonInclude(JsonInclude.Include.NON_NULL) LocalFeatures localFeatures,
        // Omitted when null whatever the writer's settings, so records without it read as before.
        @JsonInclude(JsonInclude.Include.NON_NULL) String fetchError) {

    public Evidence(String imageId, String sha256, String uri, String pdq, Integer pdqQuality, Provenance provenance,
            String fetchError) {
        this(imageId, sha256, uri, pdq, pdqQuality, provenance, null, fetchError);
    }

    /** This image, unchanged, with the reason it could not be fetched or fingerprinted. */
    public Evidence withFetchError(String reason) {
        return new Evidence(imageId, sha256, uri, pdq, pdqQuality, provenance, localFeatures, reason);
    }

    /**
     * This image without its local features: once compared with the listing photos they weigh ~10 KB
     * and nothing downstream reads them.
     */
    public Evidence withoutLocalFeatures() {
        return localFeatures == null ? this : new Evidence(imageId, sha256, uri, pdq, pdqQuality, provenance, null, fetchError);
    }
}
