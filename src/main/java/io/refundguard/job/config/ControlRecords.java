package io.refundguard.job.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.EventDecoder;
import io.refundguard.events.InputLimits;
import io.refundguard.events.RawRecord;
import io.refundguard.patterns.DecodedRuleSetUpdate;
import io.refundguard.patterns.RuleSet;
import io.refundguard.patterns.RuleSetRecord;
import io.refundguard.patterns.RuleSetUpdate;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The {@code detector-control} record: one complete rule set, in the shape of the {@code rules}
 * section of {@code config/refundguard.yaml}, and the event time from which it decides.
 *
 * <pre>{"schemaVersion": 1, "type": "RULE_SET", "effectiveFrom": "2026-11-25T00:00:00.000+08:00",
 *  "rules": {"version": "2026-11-25.1", "repeatRefunder": {...}, ...}}</pre>
 *
 * <p>Complete rather than a patch: the record alone says what decided an alert, whatever
 * {@code config/} the reading job started with, so a replay of the topic is reproducible. {@code
 * jobs/refundguard rules} writes one from {@code config/} plus {@code --set} overrides. A record
 * that is not valid, or that breaks {@link RuleSetLimits}, is dead-lettered with the reason and
 * the running rules stay.
 */
public final class ControlRecords implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String TYPE = RuleSetRecord.TYPE;

    private final EventDecoder json;
    private final RuleSetLimits limits;

    public ControlRecords(InputLimits input, RuleSetLimits limits) {
        this.json = new EventDecoder(input);
        this.limits = limits;
    }

    public DecodedRuleSetUpdate decode(RawRecord raw) {
        try {
            return DecodedRuleSetUpdate.ok(parse(raw.value()));
        } catch (IllegalArgumentException | ConfigException e) {
            return DecodedRuleSetUpdate.rejected(EventDecoder.deadLetter(raw, e.getMessage()));
        } catch (RuntimeException e) {
            return DecodedRuleSetUpdate.rejected(EventDecoder.deadLetter(raw, "internal error while decoding: " + e));
        }
    }

    private RuleSetUpdate parse(byte[] value) {
        JsonNode root = json.readJson(value);
        if (!(root instanceof ObjectNode record)) {
            throw new IllegalArgumentException("expected a JSON object, got " + root.getNodeType().name().toLowerCase());
        }
        JsonNode version = record.get("schemaVersion");
        if (version == null || !version.isInt() || version.intValue() != 1) {
            throw new IllegalArgumentException("schemaVersion: expected 1, got " + version);
        }
        JsonNode type = record.get("type");
        if (type == null || !TYPE.equals(type.asText(null))) {
            throw new IllegalArgumentException("type: expected \"" + TYPE + "\", got " + type);
        }
        long effectiveFrom = effectiveFrom(record.get("effectiveFrom"));
        JsonNode rules = record.get("rules");
        if (rules == null || !rules.isObject()) {
            throw new IllegalArgumentException("rules: expected an object with the rules section of config/refundguard.yaml");
        }
        // Unknown top-level fields are ignored (forward compatibility); inside rules every key counts.
        RuleSet ruleSet = ConfigLoader.bindRules(rules);
        List<String> problems = limits.violations(ruleSet);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new RuleSetUpdate(ruleSet, effectiveFrom);
    }

    private static long effectiveFrom(JsonNode node) {
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("effectiveFrom: expected an ISO-8601 time with offset, e.g. 2026-11-25T00:00:00.000+08:00");
        }
        try {
            return OffsetDateTime.parse(node.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("effectiveFrom: expected an ISO-8601 time with offset, got \""
                    + node.asText() + "\"");
        }
    }

    /** The record that makes {@code rules} decide from {@code effectiveFrom} on. */
    public static String encode(RuleSet rules, OffsetDateTime effectiveFrom) {
        return RuleSetRecord.encode(rules, effectiveFrom);
    }
}
