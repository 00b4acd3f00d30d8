package io.refundguard.events;

/**
 * One evidence image of a refund request.
 *
 * @param sha256 lower-case hex of the file bytes, or null
 * @param pdq 64 lower-case hex chars (256-bit PDQ hash), or null
 * @param pdqQuality 0-100, or null when there is no PDQ hash
 */
public record Evidence(
        String imageId,
        String sha256,
        String uri,
        String pdq,
        Integer pdqQuality,
        Provenance provenance) {}
