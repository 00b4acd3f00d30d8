package io.refundguard.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The case page's photo block, in words: the evidence photo beside the listing photo or the
 * person's earlier photo, the distance and the changed regions, and for a photo that is missing,
 * why. The template gets plain maps; the images themselves load from the console's own
 * {@code /cases/{alertId}/photos/…}, never from the platform's link.
 */
final class PhotoPanel {
    private PhotoPanel() {}

    /** @param view the viewer's platform, null for the operator (who sees every platform's links) */
    static Map<String, Object> of(CasePhotos.Shown shown, Map<CasePhotos.Kind, CasePhotos.Rendered> outcome, Messages m,
            String view) {
        JsonNode entry = shown.entry();
        Map<String, Object> panel = new HashMap<>();
        panel.put("facts", facts(shown, m));
        String imageId = entry.path("imageId").asText("–");
        panel.put("evidence", photo(outcome.get(CasePhotos.Kind.EVIDENCE), "evidence",
                m.format("photos.evidence", imageId), m.format("photos.evidence.alt", imageId), false, m));
        if ("CATALOG_IMAGE_MATCH".equals(shown.pattern())) {
            String listing = entry.path("listingImage").asText(entry.path("listingPlatform").asText("–"));
            panel.put("listing", photo(outcome.get(CasePhotos.Kind.LISTING), "listing",
                    m.format("photos.listing", listing), m.format("photos.listing.alt", listing),
                    CasePhotos.framesRegions(shown), m));
        } else if ("IMAGE_REUSE".equals(shown.pattern())) {
            String platform = earlierPlatform(entry);
            if (shown.link(CasePhotos.Kind.EARLIER) != null) {
                String earlierId = entry.path("earlierImageId").asText("–");
                panel.put("earlier", photo(outcome.get(CasePhotos.Kind.EARLIER), "earlier",
                        m.format("photos.earlier", earlierId, platform), m.format("photos.earlier.alt", earlierId, platform), false, m));
            } else {
                panel.put("earlierWords", m.format(othersPhoto(entry, view) ? "photos.earlier.foreign" : "photos.earlier.noLink", platform));
            }
        }
        return panel;
    }

    private static String earlierPlatform(JsonNode entry) {
        return entry.path("reusedFromPlatform").asText(entry.path("matchedPlatform").asText("–"));
    }

    /** A platform's view drops the link and id of an earlier photo filed on another platform. */
    private static boolean othersPhoto(JsonNode entry, String view) {
        JsonNode from = entry.path("reusedFromPlatform");
        return view != null && from.isTextual() && !from.asText().equals(view);
    }

    private static Map<String, Object> photo(CasePhotos.Rendered rendered, String path, String label, String alt,
            boolean framesRegions, Messages m) {
        Map<String, Object> photo = new HashMap<>();
        photo.put("path", path);
        photo.put("label", label);
        photo.put("alt", alt);
        CasePhotos.Status status = rendered.status();
        // Without a link there is nothing to load: the words say so, and no image is drawn.
        photo.put("img", status != CasePhotos.Status.NO_LINK);
        if (status != CasePhotos.Status.SHOWN) {
            List<String> problem = new ArrayList<>();
            problem.add(m.get("photos.problem." + status.name()));
            if (framesRegions && status != CasePhotos.Status.NO_LINK && status != CasePhotos.Status.PENDING) {
                problem.add(m.get("photos.frameOnly"));
            }
            photo.put("problem", String.join(" ", problem));
            photo.put("detail", rendered.detail().isBlank() ? null : m.format("photos.detail", rendered.detail()));
        }
        return photo;
    }

    private static List<String> facts(CasePhotos.Shown shown, Messages m) {
        JsonNode entry = shown.entry();
        List<String> facts = new ArrayList<>();
        if ("IMAGE_REUSE".equals(shown.pattern())) {
            facts.add(reuse(entry, m));
            return facts;
        }
        boolean exact = entry.path("exact").asBoolean(false) || "SHA256".equals(entry.path("matchedBy").asText());
        if (exact) {
            facts.add(m.get("photos.exact"));
        }
        if (entry.path("distance").isInt() && entry.path("distance").asInt() >= 0) {
            facts.add(m.format("photos.distance", entry.path("distance").asInt()));
        } else if ("CATALOG_IMAGE_MATCH".equals(shown.pattern()) && !exact) {
            facts.add(m.get("photos.distance.none"));
        }
        if ("CATALOG_IMAGE_MATCH".equals(shown.pattern())) {
            int regions = entry.path("changedRegions").size();
            facts.add(entry.path("changedRegions").isArray() ? m.format("photos.regions", regions)
                    : m.get("photos.regions.none"));
        } else if ("AI_GENERATED_EVIDENCE".equals(shown.pattern())) {
            facts.add(m.get("photos.ai"));
        }
        return facts;
    }

    /** One sentence: whose photo it repeats and how closely. */
    private static String reuse(JsonNode entry, Messages m) {
        String platform = earlierPlatform(entry);
        if (entry.path("exact").asBoolean(false)) {
            return m.format("photos.reuse.exact", platform);
        }
        JsonNode distance = entry.path("distance");
        return distance.isInt() && distance.asInt() >= 0 ? m.format("photos.reuse", platform, distance.asInt())
                : m.format("photos.reuse.plain", platform);
    }
}
