package io.refundguard.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** The JSON API's shapes: a case in the list, a case in full, a decision. */
final class CaseJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CaseJson() {}

    static ObjectMapper mapper() {
        return MAPPER;
    }

    static JsonNode parse(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode listItem(CaseRow row, Optional<Decision> latest) {
        ObjectNode item = MAPPER.createObjectNode();
        item.put("alertId", row.alertId());
        item.put("pattern", row.pattern());
        item.put("severity", row.severity());
        item.put("status", latest.isPresent() ? "decided" : "open");
        item.put("eventTime", row.eventTime().toString());
        ArrayNode platforms = item.putArray("platforms");
        row.platforms().forEach(platforms::add);
        item.put("requestCount", row.requestCount());
        item.put("amountTotal", row.amountTotal());
        item.put("currency", row.currency());
        item.put("legalTier", row.legalTier());
        item.put("ruleSetVersion", row.ruleSetVersion());
        latest.ifPresent(d -> item.set("decision", decision(d)));
        return item;
    }

    static ObjectNode full(CaseRow row, JsonNode alert, Optional<String> verdict, List<Decision> history, Messages m) {
        ObjectNode item = listItem(row, history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1)));
        item.put("summary", CaseWords.summary(alert, m));
        item.set("alert", alert);
        item.set("verdict", verdict.map(CaseJson::parse).orElse(null));
        ArrayNode decisions = item.putArray("decisions");
        history.forEach(d -> decisions.add(decision(d)));
        return item;
    }

    static ObjectNode decision(Decision d) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("verdict", d.verdict().name());
        node.put("note", d.note());
        node.put("user", d.user());
        node.put("decidedAt", d.decidedAt());
        ArrayNode ids = node.putArray("outcomeEventIds");
        d.outcomeEventIds().forEach(ids::add);
        return node;
    }

    static String error(String message) {
        return MAPPER.createObjectNode().put("error", message).toString();
    }
}
