package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.alerts.Reason;
import io.refundguard.alerts.RecommendedAction;
import io.refundguard.alerts.Severity;
import io.refundguard.events.RawRecord;
import io.refundguard.images.PhotoAllowList;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.ControlRecords;
import io.refundguard.job.config.RuleSetLimits;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The serializer of the rule-set updates in broadcast state and on the wire, and what a savepoint
 * needs of it: it stores the control record, which reads whatever shape the rule classes have;
 * the snapshot and the Java-serialized updates an earlier release wrote still read.
 */
class RuleSetUpdateTypeInfoTest {
    private static final RuleSet CONFIGURED = ConfigLoader.load(List.of()).rules();
    private static final TypeSerializer<RuleSetUpdate> SERIALIZER = new RuleSetUpdateTypeInfo().createSerializer(null);

    @Test
    void anUpdateSurvivesFlinksSerializerUnchanged() throws Exception {
        RuleSetUpdate update = new RuleSetUpdate(RuleSets.withRepeatRefunder(CONFIGURED, "v2", 3), 1_700_000_000_000L);
        DataOutputSerializer out = new DataOutputSerializer(256);
        SERIALIZER.serialize(update, out);
        RuleSetUpdate back = SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(update);

        DataOutputSerializer copied = new DataOutputSerializer(out.length());
        SERIALIZER.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    @Test
    void anUpdateIsStoredAsItsControlRecord() throws Exception {
        RuleSetUpdate update = new RuleSetUpdate(RuleSets.withRepeatRefunder(CONFIGURED, "v2", 3), 1_700_000_000_000L);
        DataOutputSerializer out = new DataOutputSerializer(256);
        SERIALIZER.serialize(update, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        byte[] record = new byte[in.readInt()];
        in.readFully(record);
        assertThat(in.available()).isZero();

        JsonNode json = new ObjectMapper().readTree(record);
        assertThat(json.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(json.get("type").asText()).isEqualTo("RULE_SET");
        assertThat(json.get("effectiveFrom").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(json.at("/rules/version").asText()).isEqualTo("v2");
        assertThat(json.at("/rules/repeatRefunder/minRequests").asInt()).isEqualTo(3);
        assertThat(json.at("/rules/repeatRefunder/window").asText()).isEqualTo("30d");
        // What state holds is a record the control topic itself accepts, deciding the same.
        DecodedRuleSetUpdate published = new ControlRecords(ConfigLoader.load(List.of()).input(),
                new RuleSetLimits(CONFIGURED, Duration.ofDays(760)))
                .decode(new RawRecord("detector-control", 0, 0L, 0L, null, record));
        assertThat(published.update()).isEqualTo(update);
    }

    @Test
    void aRecordWrittenWithOtherRuleClassesReads() throws Exception {
        // As a build whose rule classes differ would have written it: without the allow-list
        // (added later), with a setting and a whole rule this build does not know.
        ObjectNode record = (ObjectNode) new ObjectMapper().readTree(
                ControlRecords.encode(RuleSets.withVersion(CONFIGURED, "other-classes"), java.time.OffsetDateTime.parse("2026-11-25T00:00:00+08:00")));
        ObjectNode rules = (ObjectNode) record.get("rules");
        rules.remove("photoAllowList");
        ((ObjectNode) rules.get("repeatRefunder")).put("retiredSetting", 7);
        rules.putObject("retiredPattern").put("window", "3d");
        byte[] bytes = new ObjectMapper().writeValueAsBytes(record);
        DataOutputSerializer out = new DataOutputSerializer(bytes.length + 4);
        out.writeInt(bytes.length);
        out.write(bytes);

        RuleSetUpdate read = SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(read.effectiveFrom()).isEqualTo(java.time.OffsetDateTime.parse("2026-11-25T00:00:00+08:00").toInstant().toEpochMilli());
        assertThat(read.rules()).isEqualTo(RuleSets.withAllowList(CONFIGURED, "other-classes", PhotoAllowList.NONE));
    }

    @Test
    void theSnapshotAnEarlierReleaseStoredRestoresWithAMigrationToTheRecord() throws Exception {
        TypeSerializerSnapshot<RuleSetUpdate> stored = storedSnapshot();
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(stored).isCompatibleAfterMigration()).isTrue();
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(SERIALIZER.snapshotConfiguration())
                .isCompatibleAsIs()).isTrue();
    }

    @Test
    void anUpdateAnEarlierReleaseStoredStillReads() throws Exception {
        // Read by the serializer its snapshot restores, as Flink does before it migrates the state.
        RuleSetUpdate stored = storedSnapshot().restoreSerializer()
                .deserialize(new DataInputDeserializer(resource("rule-set-update.bin")));
        assertThat(stored.effectiveFrom()).isEqualTo(1_795_000_000_000L);
        assertThat(stored.version()).isEqualTo("2026-11-22.1");
        assertThat(stored.rules().repeatRefunder().minRequests()).isEqualTo(4);
    }

    /** Rules stored before sellers across platforms and live capture existed decide as they did. */
    @Test
    void anUpdateStoredBeforeSellersAndLiveCaptureDecidesAsItDid() throws Exception {
        RuleSet stored = storedSnapshot().restoreSerializer()
                .deserialize(new DataInputDeserializer(resource("rule-set-update.bin"))).rules();
        assertThat(stored.catalogMatch().sameSellerSeverity()).isEqualTo(stored.catalogMatch().otherListingSeverity());
        assertThat(stored.verdict().weightOf(PatternCode.EVIDENCE_LOW_QUALITY, Severity.CRITICAL)).isZero();
        assertThat(stored.verdict().actionFor(25, List.of(new Reason(PatternCode.EVIDENCE_UNREADABLE, Severity.MEDIUM, 25))))
                .isEqualTo(RecommendedAction.REQUIRE_RETURN);
    }

    private static TypeSerializerSnapshot<RuleSetUpdate> storedSnapshot() throws IOException {
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(resource("rule-set-update.snapshot")), RuleSetUpdateTypeInfoTest.class.getClassLoader());
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = RuleSetUpdateTypeInfoTest.class.getResourceAsStream("/savepoint/" + name)) {
            return in.readAllBytes();
        }
    }
}
