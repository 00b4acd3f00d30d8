package io.refundguard.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.DeadLetter;
import io.refundguard.events.RawRecord;
import io.refundguard.patterns.DecodedRuleSetUpdate;
import io.refundguard.patterns.RuleSet;
import io.refundguard.patterns.RuleSets;
import io.refundguard.settings.Durations;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RefundGuardConfig CONFIG = ConfigLoader.load(List.of());
    private static final ControlRecords RECORDS = new ControlRecords(
            CONFIG.input(), new RuleSetLimits(CONFIG.rules(), CONFIG.state().personHistoryTtl()));

    private static final OffsetDateTime T = OffsetDateTime.parse("2026-11-25T00:00:00.000+08:00");
    private static final long T_MILLIS = 1_795_536_000_000L; // 2026-11-24T16:00:00Z

    private static final String TOPIC = "detector-control";
    private static final int PARTITION = 3;
    private static final long OFFSET = 42L;
    private static final long TIMESTAMP = 1_795_000_000_000L;
    private static final byte[] KEY = "rules".getBytes(StandardCharsets.UTF_8);

    // ---- helpers ----

    private static RawRecord raw(byte[] value) {
        return new RawRecord(TOPIC, PARTITION, OFFSET, TIMESTAMP, KEY, value);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(JsonNode tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The encoded record of the configured rules at {@link #T}, as an editable tree. */
    private static ObjectNode record() {
        return parse(ControlRecords.encode(CONFIG.rules(), T));
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode rules(ObjectNode record) {
        return (ObjectNode) record.get("rules");
    }

    private static ObjectNode rule(ObjectNode record, String name) {
        return (ObjectNode) rules(record).get(name);
    }

    private static RuleSet accepted(byte[] value) {
        DecodedRuleSetUpdate decoded = RECORDS.decode(raw(value));
        assertThat(decoded.rejected()).as("dead letter of an acceptable record").isNull();
        assertThat(decoded.update()).isNotNull();
        assertThat(decoded.value()).isSameAs(decoded.update());
        return decoded.update().rules();
    }

    /** Decodes, asserts a rejection carrying the original record and a reason with every part. */
    private static DeadLetter assertRejected(byte[] value, String... reasonParts) {
        DecodedRuleSetUpdate decoded = RECORDS.decode(raw(value));
        assertThat(decoded.update()).as("update of a record that should be rejected").isNull();
        DeadLetter dead = decoded.rejected();
        assertThat(dead).isNotNull();
        assertThat(dead.reason()).contains(reasonParts).doesNotContain("\n", "\r");
        assertThat(dead.reason()).doesNotStartWith("internal error");
        assertThat(dead.value()).isEqualTo(Base64.getEncoder().encodeToString(value));
        assertThat(Base64.getDecoder().decode(dead.value())).isEqualTo(value);
        assertThat(dead.key()).isEqualTo(Base64.getEncoder().encodeToString(KEY));
        assertThat(dead.topic()).isEqualTo(TOPIC);
        assertThat(dead.partition()).isEqualTo(PARTITION);
        assertThat(dead.offset()).isEqualTo(OFFSET);
        assertThat(dead.timestamp()).isEqualTo(TIMESTAMP);
        return dead;
    }

    private static DeadLetter assertRejected(JsonNode record, String... reasonParts) {
        return assertRejected(bytes(record), reasonParts);
    }

    // ---- 1, 2: round trip ----

    @Test
    void theConfiguredRulesRoundTrip() {
        String encoded = ControlRecords.encode(CONFIG.rules(), T);

        DecodedRuleSetUpdate decoded = RECORDS.decode(raw(bytes(encoded)));

        assertThat(decoded.rejected()).isNull();
        assertThat(decoded.update().rules()).isEqualTo(CONFIG.rules());
        assertThat(decoded.update().effectiveFrom()).isEqualTo(T.toInstant().toEpochMilli()).isEqualTo(T_MILLIS);
        assertThat(decoded.update().version()).isEqualTo(CONFIG.rules().version());
    }

    @Test
    void theEncodedRecordHasTheWireShape() {
        ObjectNode record = record();

        assertThat(record.get("schemaVersion").isInt()).isTrue();
        assertThat(record.get("schemaVersion").intValue()).isEqualTo(1);
        assertThat(record.get("type").textValue()).isEqualTo("RULE_SET");
        assertThat(record.get("effectiveFrom").textValue()).isEqualTo("2026-11-25T00:00:00+08:00");
        assertThat(OffsetDateTime.parse(record.get("effectiveFrom").textValue())).isEqualTo(T);

        ObjectNode amountTier = rule(record, "amountTier");
        // Money is a decimal string, never a JSON number.
        assertThat(amountTier.get("large").isTextual()).as("large is a string: %s", amountTier).isTrue();
        assertThat(amountTier.get("large").textValue()).isEqualTo("3000");
        assertThat(amountTier.get("huge").textValue()).isEqualTo("30000");
        assertThat(amountTier.get("especiallyHuge").textValue()).isEqualTo("500000");
        // Durations as people write them in config/.
        assertThat(amountTier.get("window").textValue()).isEqualTo("730d");
        assertThat(rule(record, "repeatRefunder").get("window").textValue()).isEqualTo("30d");
        assertThat(rule(record, "merchantBurst").get("bucket").textValue()).isEqualTo("1h");
        assertThat(rule(record, "merchantBurst").get("window").textValue()).isEqualTo("2h");
        assertThat(rule(record, "alerts").get("cooldown").textValue()).isEqualTo("7d");
        assertThat(rule(record, "repeatRefunder").get("minRequests").isInt()).isTrue();
        assertThat(rules(record).get("version").textValue()).isEqualTo(CONFIG.rules().version());
        // Exactly the rules section's keys, nothing derived (alpha(), bucketsPerWindow() ...).
        assertThat(iterable(rules(record).fieldNames())).containsExactlyInAnyOrder("version", "repeatRefunder",
                "amountTier", "imageReuse", "catalogMatch", "aiGenerated", "sharedAttributeRing", "merchantBurst",
                "alerts", "verdict", "photoAllowList");
        assertThat(iterable(rule(record, "photoAllowList").fieldNames())).containsExactlyInAnyOrder("radius", "photos");
        assertThat(iterable(rule(record, "merchantBurst").fieldNames())).containsExactlyInAnyOrder("bucket",
                "window", "baselineBuckets", "factor", "floor", "defaultBaselinePerBucket", "highMultiple");
        assertThat(iterable(record.fieldNames())).containsExactlyInAnyOrder("schemaVersion", "type", "effectiveFrom", "rules");
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void aChangedRuleSetRoundTripsWithItsVersion() {
        RuleSet v2 = RuleSets.withRepeatRefunder(CONFIG.rules(), "v2", 3);

        RuleSet decoded = accepted(bytes(ControlRecords.encode(v2, T)));

        assertThat(decoded).isEqualTo(v2).isNotEqualTo(CONFIG.rules());
        assertThat(decoded.version()).isEqualTo("v2");
        assertThat(decoded.repeatRefunder().minRequests()).isEqualTo(3);
    }

    @Test
    void exchangeRatesRoundTripAsDecimalStrings() {
        RuleSet withRates = ConfigLoader.load(List.of("rules.amountTier.exchangeRates.USD=7.1")).rules();
        ObjectNode record = parse(ControlRecords.encode(withRates, T));

        assertThat(rule(record, "amountTier").get("exchangeRates").get("USD").textValue()).isEqualTo("7.1");
        RuleSet decoded = accepted(bytes(record));
        assertThat(decoded).isEqualTo(withRates);
        assertThat(decoded.amountTier().exchangeRates()).containsEntry("USD", new BigDecimal("7.1"));
    }

    @Test
    void anEffectiveFromInAnotherOffsetIsTheSameInstant() {
        ObjectNode record = record();
        record.put("effectiveFrom", "2026-11-24T16:00:00Z");

        DecodedRuleSetUpdate decoded = RECORDS.decode(raw(bytes(record)));

        assertThat(decoded.rejected()).isNull();
        assertThat(decoded.update().effectiveFrom()).isEqualTo(T_MILLIS);
    }

    // ---- 3: rejections ----

    @Test
    void notJsonIsRejected() {
        assertRejected(bytes("schemaVersion=1"), "not valid JSON");
    }

    @Test
    void anEmptyRecordIsRejected() {
        assertRejected(new byte[0], "empty record");
    }

    @Test
    void aJsonArrayIsRejected() {
        assertRejected(bytes("[" + ControlRecords.encode(CONFIG.rules(), T) + "]"), "expected a JSON object, got array");
    }

    @Test
    void anotherSchemaVersionIsRejected() {
        ObjectNode record = record();
        record.put("schemaVersion", 2);
        assertRejected(record, "schemaVersion: expected 1, got 2");
    }

    @Test
    void aMissingOrTextualSchemaVersionIsRejected() {
        ObjectNode missing = record();
        missing.remove("schemaVersion");
        assertRejected(missing, "schemaVersion: expected 1, got null");

        ObjectNode text = record();
        text.put("schemaVersion", "1");
        assertRejected(text, "schemaVersion: expected 1");
    }

    @Test
    void aMissingTypeIsRejected() {
        ObjectNode record = record();
        record.remove("type");
        assertRejected(record, "type: expected \"RULE_SET\", got null");
    }

    @Test
    void anotherTypeIsRejected() {
        ObjectNode record = record();
        record.put("type", "RULE_PATCH");
        assertRejected(record, "type: expected \"RULE_SET\", got \"RULE_PATCH\"");
    }

    @Test
    void aMissingEffectiveFromIsRejected() {
        ObjectNode record = record();
        record.remove("effectiveFrom");
        assertRejected(record, "effectiveFrom: expected an ISO-8601 time with offset");
    }

    @Test
    void anEffectiveFromWithoutOffsetIsRejected() {
        ObjectNode record = record();
        record.put("effectiveFrom", "2026-11-25T00:00:00.000");
        assertRejected(record, "effectiveFrom: expected an ISO-8601 time with offset, got \"2026-11-25T00:00:00.000\"");
    }

    @Test
    void anEffectiveFromThatIsNotATimeIsRejected() {
        ObjectNode record = record();
        record.put("effectiveFrom", "next tuesday");
        assertRejected(record, "effectiveFrom: expected an ISO-8601 time with offset, got \"next tuesday\"");

        ObjectNode number = record();
        number.put("effectiveFrom", T_MILLIS);
        assertRejected(number, "effectiveFrom: expected an ISO-8601 time with offset");
    }

    @Test
    void anEffectiveFromBeyondEpochMillisIsRejectedNamingTheField() {
        ObjectNode record = record();
        record.put("effectiveFrom", "+999999999-12-31T23:59:59Z");
        assertRejected(record, "effectiveFrom");
    }

    @Test
    void missingRulesAreRejected() {
        ObjectNode record = record();
        record.remove("rules");
        assertRejected(record, "rules: expected an object");

        ObjectNode notObject = record();
        notObject.put("rules", "2026-11-22.1");
        assertRejected(notObject, "rules: expected an object");
    }

    @Test
    void aMissingRulesKeyIsRejectedNamingTheSetting() {
        ObjectNode record = record();
        rule(record, "repeatRefunder").remove("window");
        assertRejected(record, "rules.repeatRefunder.window: missing setting");
    }

    @Test
    void aMissingRulesSectionIsRejectedNamingIt() {
        ObjectNode record = record();
        rules(record).remove("merchantBurst");
        assertRejected(record, "rules.merchantBurst: missing setting");
    }

    @Test
    void aNullRulesKeyIsRejectedNamingTheSetting() {
        ObjectNode record = record();
        rule(record, "alerts").putNull("cooldown");
        assertRejected(record, "rules.alerts.cooldown");
    }

    @Test
    void anUnknownKeyInsideRulesIsRejected() {
        ObjectNode record = record();
        rule(record, "repeatRefunder").put("maxRequests", 9);
        DeadLetter dead = assertRejected(record, "unknown setting", "repeatRefunder.maxRequests", "known here",
                "minRequests");
        assertThat(dead.reason()).contains("rules.");
    }

    @Test
    void anUnknownKeyInsideRulesIsNamedWithItsFullPath() {
        ObjectNode record = record();
        rule(record, "repeatRefunder").put("maxRequests", 9);
        DeadLetter dead = assertRejected(record, "unknown setting rules.repeatRefunder.maxRequests (known here: ");
        assertThat(dead.reason()).doesNotStartWith("rules.unknown");
    }

    @Test
    void anUnknownTopLevelRulesKeyIsRejected() {
        ObjectNode record = record();
        rules(record).put("velocity", "on");
        assertRejected(record, "unknown setting", "velocity", "known here");
    }

    @Test
    void aWrongTypeIsRejectedNamingTheSetting() {
        ObjectNode record = record();
        rule(record, "repeatRefunder").put("minRequests", "four");
        assertRejected(record, "rules.repeatRefunder.minRequests: expected int, got \"four\"");
    }

    @Test
    void aBadDurationIsRejectedNamingTheSetting() {
        ObjectNode record = record();
        rule(record, "sharedAttributeRing").put("window", "a month");
        assertRejected(record, "rules.sharedAttributeRing.window", "expected a duration like");
    }

    @Test
    void aValueTheRuleRefusesIsRejectedNamingTheSetting() {
        ObjectNode record = record();
        rule(record, "repeatRefunder").put("minRequests", 0);
        assertRejected(record, "rules.repeatRefunder.minRequests");

        ObjectNode blankVersion = record();
        rules(blankVersion).put("version", " ");
        assertRejected(blankVersion, "rules.version");
    }

    @Test
    void aRecordLargerThanMaxRecordBytesIsRejected() {
        int max = CONFIG.input().maxRecordBytes();
        ObjectNode record = record();
        String encoded = JSON.valueToTree(record).toString();
        // Padding in an ignored top-level field: valid in every other way.
        record.put("comment", "x".repeat(max - encoded.length() + 100));
        byte[] value = bytes(record);
        assertThat(value.length).isGreaterThan(max);

        assertRejected(value, "record is " + value.length + " bytes; the maximum is " + max);
    }

    @Test
    void aRecordOfExactlyMaxRecordBytesIsAccepted() {
        int max = CONFIG.input().maxRecordBytes();
        ObjectNode record = record();
        record.put("comment", "");
        int base = bytes(record).length;
        record.put("comment", "x".repeat(max - base));
        byte[] value = bytes(record);
        assertThat(value.length).isEqualTo(max);

        assertThat(accepted(value)).isEqualTo(CONFIG.rules());
    }

    @Test
    void invalidUtf8IsRejectedAndTheBytesSurviveInTheDeadLetter() {
        byte[] good = bytes(record());
        // A lone continuation byte inside the version string.
        String text = new String(good, StandardCharsets.UTF_8);
        int at = text.substring(0, text.indexOf(CONFIG.rules().version())).getBytes(StandardCharsets.UTF_8).length;
        byte[] bad = Arrays.copyOf(good, good.length);
        bad[at] = (byte) 0x80;

        DeadLetter dead = assertRejected(bad, "not valid UTF-8", "byte offset");
        assertThat(Base64.getDecoder().decode(dead.value())[at]).isEqualTo((byte) 0x80);
    }

    @Test
    void duplicateKeysAreRejected() {
        String encoded = ControlRecords.encode(CONFIG.rules(), T);
        String duplicated = encoded.replaceFirst("\"type\":\"RULE_SET\"", "\"type\":\"RULE_SET\",\"type\":\"RULE_SET\"");
        assertThat(duplicated).isNotEqualTo(encoded);
        assertRejected(bytes(duplicated), "not valid JSON");
    }

    // ---- 3: limits ----

    @Test
    void aLongerRingWindowThanAtStartIsRejected() {
        ObjectNode record = record();
        rule(record, "sharedAttributeRing").put("window", "31d");
        assertRejected(record, "rules.sharedAttributeRing.window: 31d is longer than the window the job started with (30d)");
    }

    @Test
    void aRepeatRefunderWindowBeyondPersonHistoryTtlIsRejected() {
        assertThat(CONFIG.state().personHistoryTtl()).isEqualTo(Duration.ofDays(760));
        ObjectNode record = record();
        rule(record, "repeatRefunder").put("window", "761d");
        assertRejected(record, "rules.repeatRefunder.window: 761d is longer than state.personHistoryTtl (760d)");
    }

    @Test
    void aRepeatRefunderWindowUpToPersonHistoryTtlIsAccepted() {
        // Longer than at start (30d) is fine for the person's windows: their state lives personHistoryTtl.
        ObjectNode record = record();
        rule(record, "repeatRefunder").put("window", "760d");
        assertThat(accepted(bytes(record)).repeatRefunder().window()).isEqualTo(Duration.ofDays(760));
    }

    @Test
    void anAmountTierWindowBeyondPersonHistoryTtlIsRejected() {
        ObjectNode record = record();
        rule(record, "amountTier").put("window", "761d");
        assertRejected(record, "rules.amountTier.window: 761d is longer than state.personHistoryTtl (760d)");
    }

    @Test
    void aLongerCooldownThanAtStartIsRejected() {
        ObjectNode record = record();
        rule(record, "alerts").put("cooldown", "8d");
        assertRejected(record, "rules.alerts.cooldown: 8d is longer than the cooldown the job started with (7d)");
    }

    @Test
    void aLongerMerchantBurstWindowOrBaselineSpanIsRejected() {
        ObjectNode window = record();
        rule(window, "merchantBurst").put("window", "3h");
        assertRejected(window, "rules.merchantBurst.window: 3h is longer than the window the job started with (2h)");

        ObjectNode span = record();
        rule(span, "merchantBurst").put("baselineBuckets", 73);
        assertRejected(span, "rules.merchantBurst.bucket x baselineBuckets: 73h is longer than the baseline span");
    }

    @Test
    void everyBrokenLimitIsNamed() {
        ObjectNode record = record();
        rule(record, "sharedAttributeRing").put("window", "31d");
        rule(record, "alerts").put("cooldown", "8d");
        assertRejected(record, "rules.sharedAttributeRing.window", "; ", "rules.alerts.cooldown");
    }

    @Test
    void aLongerWindowByOneMillisecondIsRejected() {
        ObjectNode record = record();
        rule(record, "sharedAttributeRing").put("window", "PT720H0.001S");
        assertRejected(record, "rules.sharedAttributeRing.window", "is longer than the window the job started with");
    }

    @Test
    void shorterWindowsAreAccepted() {
        ObjectNode record = record();
        rule(record, "sharedAttributeRing").put("window", "14d");
        rule(record, "repeatRefunder").put("window", "7d");
        rule(record, "alerts").put("cooldown", "1d");
        rule(record, "merchantBurst").put("window", "1h");

        RuleSet decoded = accepted(bytes(record));

        assertThat(decoded.sharedAttributeRing().window()).isEqualTo(Duration.ofDays(14));
        assertThat(decoded.repeatRefunder().window()).isEqualTo(Duration.ofDays(7));
        assertThat(decoded.alerts().cooldown()).isEqualTo(Duration.ofDays(1));
        assertThat(decoded.merchantBurst().window()).isEqualTo(Duration.ofHours(1));
        assertThat(decoded).isNotEqualTo(CONFIG.rules());
    }

    @Test
    void equalWindowsAreAccepted() {
        ObjectNode record = record();
        rule(record, "sharedAttributeRing").put("window", "720h");
        assertThat(accepted(bytes(record))).isEqualTo(CONFIG.rules());
    }

    // ---- 4: forward compatibility ----

    @Test
    void unknownTopLevelFieldsAreIgnored() {
        ObjectNode record = record();
        record.put("comment", "raise the repeat-refunder bar for Double 11");
        record.putObject("producer").put("tool", "jobs/refundguard rules");

        DecodedRuleSetUpdate decoded = RECORDS.decode(raw(bytes(record)));

        assertThat(decoded.rejected()).isNull();
        assertThat(decoded.update().rules()).isEqualTo(CONFIG.rules());
        assertThat(decoded.update().effectiveFrom()).isEqualTo(T_MILLIS);
    }
}
