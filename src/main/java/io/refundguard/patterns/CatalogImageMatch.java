package io.refundguard.patterns;

import io.refundguard.alerts.Severity;
import io.refundguard.images.EvidenceMatch;
import io.refundguard.images.ImageFindings;
import io.refundguard.images.ImageOrigin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** CATALOG_IMAGE_MATCH: a request's evidence is (nearly) a listing photo. */
public final class CatalogImageMatch {
    private CatalogImageMatch() {}

    public static Optional<PatternFinding> evaluate(CatalogMatchRule rule, ImageFindings findings, RequestRecord request) {
        List<Map<String, Object>> listings = new ArrayList<>();
        boolean sameProduct = false;
        for (EvidenceMatch match : findings.matches()) {
            if (match.matched().origin() == ImageOrigin.CATALOG) {
                boolean own = match.matched().ownerKey().equals(request.productKey());
                sameProduct |= own;
                listings.add(describe(match.imageId(), match.matched().imageKey(), match.distance(), own));
            }
        }
        if (listings.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(finding(rule, request, sameProduct, listings));
    }

    /** A listing photo published after the request matched its evidence. */
    public static PatternFinding late(CatalogMatchRule rule, RequestRecord request, String imageId, String listingKey,
            String listingOwner, int distance) {
        boolean own = listingOwner.equals(request.productKey());
        Map<String, Object> listing = describe(imageId, listingKey, distance, own);
        listing.put("listingPublishedAfterRequest", true);
        return finding(rule, request, own, List.of(listing));
    }

    private static PatternFinding finding(CatalogMatchRule rule, RequestRecord request, boolean sameProduct,
            List<Map<String, Object>> listings) {
        Severity severity = sameProduct ? rule.sameProductSeverity() : rule.otherListingSeverity();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sameProduct", sameProduct);
        details.put("listingMatches", listings);
        return new PatternFinding(PatternCode.CATALOG_IMAGE_MATCH, severity, sameProduct ? 1 : 0, List.of(request),
                request.amount(), request.currency(), details);
    }

    private static Map<String, Object> describe(String imageId, String listingKey, int distance, boolean sameProduct) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("imageId", imageId);
        m.put("listingImage", listingKey);
        m.put("distance", distance);
        m.put("merchantsOwnProductPhoto", sameProduct);
        return m;
    }
}
