package io.refundguard.console;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One view's index for the person's timeline: the cases on each subject ({@code kind:key}), and the
 * detector's verdict (action and score only) of every request any case of the view lists.
 *
 * <p>Built as cases arrive, offline and live alike, so a case page finds the other cases of its
 * subject with one lookup instead of scanning 100k cases. The cases are the view's own rows (a
 * reference each, no copy); a verdict is kept only for a request some case lists, so the index grows
 * with the cases, not with the verdict topic (one record per refund request). Not thread-safe: its
 * view calls it under its own lock.
 */
final class SubjectIndex {
    /** What the timeline shows of a request's verdict. */
    record VerdictMark(String recommendedAction, int riskScore) {}

    /** A request listed by a case whose verdict has not been read (yet). */
    private static final VerdictMark PENDING = new VerdictMark(null, -1);
    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, List<CaseRow>> casesBySubject = new HashMap<>();
    private final Map<String, VerdictMark> verdictsByRequest = new HashMap<>();

    /** {@code kind:key} of an alert's subject; null when the alert names none. */
    static String subjectOf(JsonNode alert) {
        JsonNode subject = alert.path("subject");
        String kind = subject.path("kind").asText(null);
        String key = subject.path("key").asText(null);
        return kind == null || key == null ? null : kind + ":" + key;
    }

    /** {@code platform:requestId} of each request the alert lists (in a platform's view: its own only). */
    static List<String> requestKeys(JsonNode alert) {
        List<String> keys = new ArrayList<>();
        for (JsonNode request : alert.path("requests")) {
            String platform = request.path("platform").asText(null);
            JsonNode requestId = request.get("requestId");
            if (platform != null && requestId != null && !requestId.isNull()) {
                keys.add(platform + ":" + requestId.asText());
            }
        }
        return keys;
    }

    /**
     * Adds a case (once per alert id: its view checks).
     *
     * @return the keys of its requests, for the view to offer verdicts that arrived before the alert
     */
    List<String> add(CaseRow row, JsonNode alert) {
        String subject = subjectOf(alert);
        if (subject != null) {
            // Most subjects have one case: start small.
            casesBySubject.computeIfAbsent(subject, k -> new ArrayList<>(1)).add(row);
        }
        List<String> keys = requestKeys(alert);
        keys.forEach(k -> verdictsByRequest.putIfAbsent(k, PENDING));
        return keys;
    }

    /** True when some case lists this request, so its verdict belongs in the index. */
    boolean wants(String requestKey) {
        return verdictsByRequest.containsKey(requestKey);
    }

    /**
     * Keeps the verdict's action and score when some case lists its request; the latest verdict
     * wins. Reads the line only as far as those two fields: at start every verdict of a case's
     * request passes here.
     *
     * @throws IOException the line is not a JSON object
     */
    void offerVerdict(String requestKey, String line) throws IOException {
        if (!wants(requestKey)) {
            return;
        }
        String action = null;
        int score = -1;
        boolean scoreRead = false;
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME && (action == null || !scoreRead)) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("recommendedAction") && value == JsonToken.VALUE_STRING) {
                    // Four actions in all: interned, the marks share them.
                    action = parser.getText().intern();
                } else if (field.equals("riskScore") && value.isNumeric()) {
                    score = parser.getIntValue();
                    scoreRead = true;
                } else if (value.isStructStart()) {
                    parser.skipChildren();
                }
            }
        }
        verdictsByRequest.put(requestKey, new VerdictMark(action, score));
    }

    /** The cases on this subject in the order they arrived; empty for an unknown subject. */
    List<CaseRow> cases(String subject) {
        List<CaseRow> cases = subject == null ? null : casesBySubject.get(subject);
        return cases == null ? List.of() : List.copyOf(cases);
    }

    /** The verdict of the request, or null when the view has none. */
    VerdictMark verdict(String requestKey) {
        VerdictMark mark = verdictsByRequest.get(requestKey);
        return mark == PENDING ? null : mark;
    }
}
