package io.refundguard.patterns;

import io.refundguard.settings.DurationJson;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code detector-control} record of a rule set, as JSON: what operators publish, and what
 * broadcast state and the network hold ({@link RuleSetUpdateTypeInfo}). Its shape is the {@code
 * rules} section of {@code config/refundguard.yaml} under a small envelope:
 *
 * <pre>{"schemaVersion": 1, "type": "RULE_SET", "effectiveFrom": "2026-11-25T00:00:00Z", "rules": {...}}</pre>
 *
 * <p>Stored as this record, a rule set in a savepoint depends on the names of the settings, which
 * the contract keeps, not on the Java classes that hold them: a rule class may be renamed, moved
 * or gain a component without making savepoints unreadable. Reading back from state is lenient
 * where the control topic is strict ({@code ControlRecords}): a setting this build no longer
 * knows is ignored, and one it added is left to the record's own default (absent allow-list:
 * none), because a rule set once accepted must restore, not be rejected again.
 */
public final class RuleSetRecord {
    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE = "RULE_SET";

    private static final ObjectMapper WRITER = new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(Duration.class, new DurationJson.Writer()));
    private static final ObjectMapper STATE_READER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationJson.Reader()));

    static {
        // Money is a decimal string on every wire of this project, never a JSON number.
        WRITER.configOverride(BigDecimal.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
    }

    private RuleSetRecord() {}

    /** The record that makes {@code rules} decide from {@code effectiveFrom} on. */
    public static String encode(RuleSet rules, OffsetDateTime effectiveFrom) {
        ObjectNode record = WRITER.createObjectNode();
        record.put("schemaVersion", SCHEMA_VERSION);
        record.put("type", TYPE);
        record.put("effectiveFrom", effectiveFrom.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        record.set("rules", WRITER.valueToTree(rules));
        try {
            return WRITER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rule set not serialisable: " + e.getOriginalMessage(), e);
        }
    }

    /** An update as its record, UTF-8 (effectiveFrom in UTC, to the millisecond). */
    static byte[] toBytes(RuleSetUpdate update) throws IOException {
        OffsetDateTime from = Instant.ofEpochMilli(update.effectiveFrom()).atOffset(ZoneOffset.UTC);
        try {
            return encode(update.rules(), from).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** An update from a record this or another build wrote to state (see the class comment). */
    static RuleSetUpdate fromBytes(byte[] bytes) throws IOException {
        JsonNode record = STATE_READER.readTree(bytes);
        if (record == null || !TYPE.equals(record.path("type").asText()) || !record.path("rules").isObject()) {
            throw new IOException("stored rule set: expected a " + TYPE + " record, got " + abbreviated(bytes));
        }
        long effectiveFrom;
        try {
            effectiveFrom = OffsetDateTime.parse(record.path("effectiveFrom").asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            throw new IOException("stored rule set: effectiveFrom: " + e.getMessage(), e);
        }
        try {
            return new RuleSetUpdate(STATE_READER.treeToValue(record.get("rules"), RuleSet.class), effectiveFrom);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException("stored rule set " + record.path("rules").path("version").asText("?")
                    + " does not bind to this build's rules: " + e.getMessage(), e);
        }
    }

    private static String abbreviated(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 80), StandardCharsets.UTF_8);
        return bytes.length > 80 ? text + "…" : text;
    }
}
