package io.refundguard.patterns;

import io.refundguard.events.Evidence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds the trigger request's photo links to an image pattern's details: {@code evidenceUri} next to
 * every {@code imageId} of a photo the platform sent with a {@code uri}, so a reviewer's console can
 * show the photo. The links come from the request in hand and are never kept in state; the earlier
 * photos a request matched are known to the detector by their fingerprints only, so they get none.
 */
final class EvidenceLinks {
    private EvidenceLinks() {}

    static PatternFinding added(PatternFinding finding, List<Evidence> evidence) {
        Map<String, String> uris = new HashMap<>();
        for (Evidence image : evidence) {
            if (image.uri() != null && !image.uri().isBlank()) {
                uris.put(image.imageId(), image.uri());
            }
        }
        if (uris.isEmpty()) {
            return finding;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        finding.details().forEach((key, value) -> details.put(key, linked(value, uris)));
        return new PatternFinding(finding.pattern(), finding.severity(), finding.level(), finding.requests(),
                finding.amountTotal(), finding.currency(), details);
    }

    /** Lists of photo entries ({@code imageId} …) get the link after the id; other values stay as they are. */
    private static Object linked(Object value, Map<String, String> uris) {
        if (!(value instanceof List<?> list)) {
            return value;
        }
        List<Object> entries = new ArrayList<>(list.size());
        for (Object element : list) {
            if (element instanceof Map<?, ?> entry && entry.get("imageId") instanceof String imageId
                    && uris.containsKey(imageId) && !entry.containsKey("evidenceUri")) {
                Map<String, Object> copy = new LinkedHashMap<>();
                entry.forEach((k, v) -> {
                    copy.put((String) k, v);
                    if ("imageId".equals(k)) {
                        copy.put("evidenceUri", uris.get(imageId));
                    }
                });
                entries.add(copy);
            } else {
                entries.add(element);
            }
        }
        return entries;
    }
}
