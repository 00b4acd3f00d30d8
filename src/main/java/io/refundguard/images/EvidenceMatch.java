package io.refundguard.images;

/**
 * One of a request's evidence photos matched an indexed photo.
 *
 * @param imageId the request's own evidence image
 * @param exact matched by SHA-256 of the file bytes rather than by PDQ distance
 * @param copy set when the local comparison found the photo a copy of a listing photo: how it was
 *     changed and where; null for matches of the hashes alone
 */
public record EvidenceMatch(String imageId, IndexedImage matched, int distance, boolean exact, CopyFinding copy) {
    public EvidenceMatch(String imageId, IndexedImage matched, int distance, boolean exact) {
        this(imageId, matched, distance, exact, null);
    }
}
