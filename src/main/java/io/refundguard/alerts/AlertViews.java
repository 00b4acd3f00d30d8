package io.refundguard.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.identity.PersonKeys;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-platform views of an alert: a platform must not learn another platform's account, order or
 * request ids, so each involved platform gets the alert with the others' requests reduced to
 * platform, count, amount and time span.
 */
public final class AlertViews {
    private AlertViews() {}

    public static Alert forPlatform(Alert alert, String platform) {
        List<AlertRequest> own = new ArrayList<>();
        Map<String, List<AlertRequest>> others = new TreeMap<>();
        for (AlertRequest r : alert.requests()) {
            if (r.platform().equals(platform)) {
                own.add(r);
            } else {
                others.computeIfAbsent(r.platform(), p -> new ArrayList<>()).add(r);
            }
        }
        List<PlatformSummary> summaries = new ArrayList<>();
        others.forEach((other, requests) -> summaries.add(summarise(other, requests)));
        Trigger trigger = alert.trigger().platform().equals(platform)
                ? viewOfOwnTrigger(alert.trigger(), platform)
                : new Trigger(alert.trigger().platform(), null, null);
        return new Alert(alert.alertId(), alert.pattern(), alert.severity(), viewOfSubject(alert.subject(), platform),
                trigger, alert.platforms(), own, alert.amountTotal(), alert.currency(), alert.legalTier(),
                viewOfDetails(alert.details(), alert.trigger().platform(), platform), alert.recommendedAction(),
                alert.ruleSetVersion(), alert.eventTime(), alert.detectedAt(), summaries);
    }

    /**
     * A listing photo published later triggers with the event id {@code catalog:<listing key>}, and
     * the listing may be another platform's: then only its platform is shown.
     */
    private static Trigger viewOfOwnTrigger(Trigger trigger, String platform) {
        String eventId = trigger.eventId();
        if (eventId != null && eventId.startsWith(CATALOG_TRIGGER)) {
            String listingPlatform = platformOf(eventId.substring(CATALOG_TRIGGER.length()));
            if (!listingPlatform.equals(platform)) {
                return new Trigger(trigger.platform(), trigger.requestId(), CATALOG_TRIGGER + listingPlatform);
            }
        }
        return trigger;
    }

    private static final String CATALOG_TRIGGER = "catalog:";

    /**
     * The details without other platforms' identifiers: the patterns write them for the operator,
     * who sees everything. Evidence {@code imageId}s belong to the trigger's request (its platform
     * only); a {@code listingImage} ({@code platform:merchantId:productId:imageId}) of another
     * platform is reduced to {@code listingPlatform}; {@code merchantId}/{@code productId} next to
     * another platform's {@code platform} are dropped. Photo links go with the ids they belong to:
     * {@code evidenceUri} with the trigger's {@code imageId}, {@code listingUri} with its {@code
     * listingImage} (a link names the platform's photo store, and anyone holding it can fetch the
     * photo), {@code earlierImageId}/{@code earlierUri} with their {@code reusedFromPlatform}.
     * Counts, distances and kinds stay.
     */
    static String viewOfDetails(String details, String triggerPlatform, String platform) {
        if (details == null) {
            return null;
        }
        try {
            JsonNode tree = OutputJson.mapper().readTree(details);
            redact(tree, !triggerPlatform.equals(platform), platform);
            return OutputJson.mapper().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            // Details are written by OutputJson; unreadable ones are a bug, and must not leak either.
            return "{}";
        }
    }

    private static void redact(JsonNode node, boolean hideImageIds, String platform) {
        if (node instanceof ArrayNode array) {
            array.forEach(element -> redact(element, hideImageIds, platform));
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        if (hideImageIds) {
            object.remove("imageId");
            object.remove("evidenceUri");
        }
        JsonNode listing = object.get("listingImage");
        if (listing != null && listing.isTextual() && !platformOf(listing.asText()).equals(platform)) {
            object.remove("listingImage");
            object.remove("listingUri");
            object.put("listingPlatform", platformOf(listing.asText()));
        } else if (listing == null || !listing.isTextual()) {
            // A link whose listing is not named cannot be shown to be this platform's.
            object.remove("listingUri");
        }
        JsonNode reusedFrom = object.get("reusedFromPlatform");
        if (object.has("earlierImageId") || object.has("earlierUri")) {
            // An earlier photo (IMAGE_REUSE) belongs to the platform it was sent to.
            if (reusedFrom == null || !reusedFrom.isTextual() || !reusedFrom.asText().equals(platform)) {
                object.remove("earlierImageId");
                object.remove("earlierUri");
            }
        }
        JsonNode owner = object.get("platform");
        if (owner != null && owner.isTextual() && !owner.asText().equals(platform)) {
            object.remove("merchantId");
            object.remove("productId");
        }
        object.forEach(child -> redact(child, hideImageIds, platform));
    }

    /** The platform of a key {@code platform:...}. */
    private static String platformOf(String key) {
        int colon = key.indexOf(':');
        return colon < 0 ? key : key.substring(0, colon);
    }

    /** A fallback person key is {@code platform:accountId}: only its own platform may see it. */
    private static Subject viewOfSubject(Subject subject, String platform) {
        if (subject.kind() == SubjectKind.IDENTITY
                && PersonKeys.isFallback(subject.key())
                && !subject.key().startsWith(platform + ":")) {
            return new Subject(subject.kind(), "other-platform-account");
        }
        return subject;
    }

    private static PlatformSummary summarise(String platform, List<AlertRequest> requests) {
        BigDecimal total = BigDecimal.ZERO;
        String currency = null;
        String first = null;
        String last = null;
        for (AlertRequest r : requests) {
            total = total.add(new BigDecimal(r.amount()));
            currency = currency == null || currency.equals(r.currency()) ? r.currency() : "MIXED";
            // ISO strings in one platform's offset compare chronologically only per offset;
            // requests come sorted by time already, so first and last are taken by position.
            first = first == null ? r.occurredAt() : first;
            last = r.occurredAt();
        }
        return new PlatformSummary(platform, requests.size(), total.toPlainString(), currency, first, last);
    }
}
