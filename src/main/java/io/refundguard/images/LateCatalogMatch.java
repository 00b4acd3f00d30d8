package io.refundguard.images;

/**
 * A listing photo published after a request matches that request's evidence: the buyer had the
 * listing photo before the merchant's catalog feed caught up.
 */
public record LateCatalogMatch(String evidenceImageKey, IndexedImage listing, int distance) {
    public String requestKey() {
        return EvidenceKeys.requestKeyOf(evidenceImageKey);
    }
}
