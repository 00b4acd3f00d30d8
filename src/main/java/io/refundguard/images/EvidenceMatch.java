package io.refundguard.images;

/**
 * One of a request's evidence photos matched an indexed photo.
 *
 * @param imageId the request's own evidence image
 * @param exact matched by SHA-256 of the file bytes rather than by PDQ distance
 */
public record EvidenceMatch(String imageId, IndexedImage matched, int distance, boolean exact) {}
