package io.refundguard.patterns;

import io.refundguard.alerts.Severity;
import io.refundguard.images.CopyFinding;
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

    /**
     * @param merchantIdentityHash the seller the request is filed against, across platforms, or null:
     *     a listing photo of that seller elsewhere is its own photo
     */
    public static Optional<PatternFinding> evaluate(CatalogMatchRule rule, ImageFindings findings, RequestRecord request,
            String merchantIdentityHash) {
        List<Map<String, Object>> listings = new ArrayList<>();
        boolean sameProduct = false;
        boolean sameSeller = false;
        for (EvidenceMatch match : findings.matches()) {
            if (match.matched().origin() == ImageOrigin.CATALOG) {
                boolean own = match.matched().ownerKey().equals(request.productKey());
                boolean seller = !own && merchantIdentityHash != null
                        && merchantIdentityHash.equals(match.matched().merchantIdentityHash());
                sameProduct |= own;
                sameSeller |= seller;
                Map<String, Object> listing = describe(match.imageId(), match.matched().imageKey(), match.distance(), own);
                if (seller) {
                    listing.put("sellersOwnPhoto", true);
                }
                listing.put("matchedBy", match.copy() != null ? "LOCAL_COMPARISON" : match.exact() ? "SHA256" : "PDQ");
                if (match.copy() != null) {
                    listing.putAll(describeChanges(match.copy()));
                }
                listings.add(listing);
            }
        }
        if (listings.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(finding(rule, request, sameProduct, sameSeller, listings));
    }

    /**
     * A listing photo published after the request matched its evidence. The request's seller is not
     * kept in the person's history (a hash per request for two years), so a later listing of the
     * same seller on another platform counts as another shop's listing here.
     */
    public static PatternFinding late(CatalogMatchRule rule, RequestRecord request, String imageId, String listingKey,
            String listingOwner, int distance) {
        boolean own = listingOwner.equals(request.productKey());
        Map<String, Object> listing = describe(imageId, listingKey, distance, own);
        listing.put("matchedBy", "PDQ");
        listing.put("listingPublishedAfterRequest", true);
        return finding(rule, request, own, false, List.of(listing));
    }

    private static PatternFinding finding(CatalogMatchRule rule, RequestRecord request, boolean sameProduct,
            boolean sameSeller, List<Map<String, Object>> listings) {
        Severity severity = sameProduct ? rule.sameProductSeverity()
                : sameSeller ? rule.sameSellerSeverity() : rule.otherListingSeverity();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sameProduct", sameProduct);
        if (sameSeller && !sameProduct) {
            details.put("sameSeller", true);
        }
        details.put("listingMatches", listings);
        return new PatternFinding(PatternCode.CATALOG_IMAGE_MATCH, severity, sameProduct ? 1 : 0, List.of(request),
                request.amount(), request.currency(), details);
    }

    private static Map<String, Object> describe(String imageId, String listingKey, int distance, boolean sameProduct) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("imageId", imageId);
        m.put("listingImage", listingKey);
        if (distance >= 0) {
            m.put("distance", distance);
        }
        m.put("merchantsOwnProductPhoto", sameProduct);
        return m;
    }

    /**
     * Where and how the copy differs from the listing photo, for the reviewer: boxes in the listing
     * photo's pixels, the share of its frame they cover, the kinds of change, and how the listing
     * sits in the evidence (size, turn, mirror).
     */
    private static Map<String, Object> describeChanges(CopyFinding copy) {
        Map<String, Object> m = new LinkedHashMap<>();
        // Insertion order, as everywhere in details: Map.of iterates in an order that changes from
        // one JVM to the next, and a replay must write the same text as the live run.
        Map<String, Object> size = new LinkedHashMap<>();
        size.put("width", copy.listingWidth());
        size.put("height", copy.listingHeight());
        m.put("listingSize", size);
        List<Map<String, Object>> boxes = new ArrayList<>();
        for (CopyFinding.Box box : copy.changedRegions()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("x", box.x());
            b.put("y", box.y());
            b.put("width", box.width());
            b.put("height", box.height());
            boxes.add(b);
        }
        m.put("changedRegions", boxes);
        m.put("changedShare", copy.changedShare());
        m.put("changes", copy.changes());
        Map<String, Object> placement = new LinkedHashMap<>();
        placement.put("scale", copy.scale());
        placement.put("rotationDegrees", copy.rotationDegrees());
        placement.put("mirrored", copy.mirrored());
        m.put("placement", placement);
        m.put("keypointInliers", copy.inliers());
        if (copy.listingUri() != null) {
            m.put("listingUri", copy.listingUri());
        }
        return m;
    }
}
