package io.refundguard.images;

import java.util.List;

/**
 * Everything the image indexes found for one request's evidence, one entry per (own photo, matched
 * photo), the closest distance kept. Empty when the photos match nothing.
 */
public record ImageFindings(List<EvidenceMatch> matches) {
    public static final ImageFindings NONE = new ImageFindings(List.of());
}
