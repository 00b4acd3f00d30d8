package io.refundguard.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What the inbox needs of one alert in one view, without the alert's tree: a console over 100k
 * cases keeps these and the raw line, and parses the full alert only when a case is opened.
 *
 * @param line the alert exactly as the view carries it (one JSON line)
 */
public record CaseRow(String alertId, String pattern, String severity, OffsetDateTime eventTime, List<String> platforms,
        String amountTotal, String currency, String legalTier, String ruleSetVersion, String subjectKind,
        String triggerPlatform, String triggerRequestId, int requestCount, String line) {

    static CaseRow of(JsonNode alert, String line) {
        List<String> platforms = new ArrayList<>();
        alert.path("platforms").forEach(p -> platforms.add(p.asText()));
        JsonNode trigger = alert.path("trigger");
        int requests = alert.path("requests").size();
        for (JsonNode other : alert.path("otherPlatforms")) {
            requests += other.path("requestCount").asInt();
        }
        int counted = alert.path("details").path("requestCount").asInt(0);
        return new CaseRow(
                required(alert, "alertId"),
                required(alert, "pattern"),
                required(alert, "severity"),
                OffsetDateTime.parse(required(alert, "eventTime")),
                List.copyOf(platforms),
                alert.path("amountTotal").asText(null),
                alert.path("currency").asText(null),
                alert.path("legalTier").asText(null),
                alert.path("ruleSetVersion").asText(null),
                alert.path("subject").path("kind").asText(null),
                textOrNull(trigger.get("platform")),
                textOrNull(trigger.get("requestId")),
                Math.max(requests, counted),
                line);
    }

    /** The day of the trigger in its own platform's offset, as the analyst reads the time. */
    public String day() {
        return eventTime.toLocalDate().toString();
    }

    private static String required(JsonNode alert, String field) {
        JsonNode value = alert.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("alert without \"" + field + "\"");
        }
        return value.asText();
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
