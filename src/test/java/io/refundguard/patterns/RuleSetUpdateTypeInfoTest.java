package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.alerts.Reason;
import io.refundguard.alerts.RecommendedAction;
import io.refundguard.alerts.Severity;
import io.refundguard.job.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The serializer of the rule-set updates in broadcast state and on the wire, and what a savepoint
 * needs of it: its snapshot, and the updates an earlier release wrote, must still read.
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
    void theSnapshotAnEarlierReleaseStoredRestoresThisSerializerAsIs() throws Exception {
        TypeSerializerSnapshot<RuleSetUpdate> stored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(resource("rule-set-update.snapshot")), getClass().getClassLoader());
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(stored).isCompatibleAsIs()).isTrue();
    }

    @Test
    void anUpdateAnEarlierReleaseStoredStillReads() throws Exception {
        RuleSetUpdate stored = SERIALIZER.deserialize(new DataInputDeserializer(resource("rule-set-update.bin")));
        assertThat(stored.effectiveFrom()).isEqualTo(1_795_000_000_000L);
        assertThat(stored.version()).isEqualTo("2026-11-22.1");
        assertThat(stored.rules().repeatRefunder().minRequests()).isEqualTo(4);
    }

    /** Rules stored before sellers across platforms and live capture existed decide as they did. */
    @Test
    void anUpdateStoredBeforeSellersAndLiveCaptureDecidesAsItDid() throws Exception {
        RuleSet stored = SERIALIZER.deserialize(new DataInputDeserializer(resource("rule-set-update.bin"))).rules();
        assertThat(stored.catalogMatch().sameSellerSeverity()).isEqualTo(stored.catalogMatch().otherListingSeverity());
        assertThat(stored.verdict().weightOf(PatternCode.EVIDENCE_LOW_QUALITY, Severity.CRITICAL)).isZero();
        assertThat(stored.verdict().actionFor(25, List.of(new Reason(PatternCode.EVIDENCE_UNREADABLE, Severity.MEDIUM, 25))))
                .isEqualTo(RecommendedAction.REQUIRE_RETURN);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = RuleSetUpdateTypeInfoTest.class.getResourceAsStream("/savepoint/" + name)) {
            return in.readAllBytes();
        }
    }
}
