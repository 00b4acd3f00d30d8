package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.job.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The rule sets in broadcast state survive a restore: operator snapshots taken by the harness and
 * committed under {@code src/test/resources/savepoint/} restore into this build, and the rule sets
 * they hold decide events again.
 */
class RuleBookRestoreTest {
    private static final RuleSet CONFIGURED = ConfigLoader.load(List.of()).rules();
    private static final Path FIXTURES = Path.of("src/test/resources/savepoint");

    @Test
    void aSnapshotOfThePreviousReleaseRestores() throws Exception {
        try (var harness = restored("rule-book-java-serialized.snapshot")) {
            assertThat(decide(harness)).containsExactly("3000 previous-a minRequests=4", "6000 previous-b minRequests=3");
        }
    }

    /** Writes the committed snapshots: {@code mvn -o -q test -Dtest=RuleBookRestoreTest -Drefundguard.writeSnapshots=true}. */
    @Test
    @EnabledIfSystemProperty(named = "refundguard.writeSnapshots", matches = "java")
    void writeTheJavaSerializedSnapshot() throws Exception {
        try (var harness = RuleHarness.started(new VersionAt(CONFIGURED), e -> "k", Types.STRING)) {
            harness.processBroadcastElement(new RuleSetUpdate(RuleSets.withVersion(CONFIGURED, "previous-a"), 1_000L), 1_000L);
            harness.processBroadcastElement(new RuleSetUpdate(RuleSets.withRepeatRefunder(CONFIGURED, "previous-b", 3), 5_000L), 5_000L);
            OperatorSnapshotUtil.writeStateHandle(harness.snapshot(1L, 1L),
                    FIXTURES.resolve("rule-book-java-serialized.snapshot").toString());
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, Long, RuleSetUpdate, String> restored(String fixture)
            throws Exception {
        OperatorSubtaskState state = OperatorSnapshotUtil.readStateHandle(FIXTURES.resolve(fixture).toString());
        var harness = RuleHarness.create(new VersionAt(CONFIGURED), e -> "k", Types.STRING);
        harness.initializeState(state);
        return RuleHarness.start(harness);
    }

    /** Events at 3 s and 6 s, after the updates effective from 1 s and 5 s: what decided each. */
    private static List<String> decide(KeyedBroadcastOperatorTestHarness<String, Long, RuleSetUpdate, String> harness)
            throws Exception {
        harness.processElement(3_000L, 3_000L);
        harness.processElement(6_000L, 6_000L);
        harness.processWatermark(10_000L);
        return harness.getOutput().stream()
                .filter(StreamRecord.class::isInstance)
                .map(r -> (String) ((StreamRecord<?>) r).getValue())
                .toList();
    }

    /** Says which rule set decided each event (its version, and one threshold of it). */
    static final class VersionAt extends RuledEventTimeOrderedFunction<String, Long, String> {
        VersionAt(RuleSet start) {
            super(Types.LONG, start);
        }

        @Override
        protected long timestampOf(Long element) {
            return element;
        }

        @Override
        protected String tieBreakerOf(Long element) {
            return Long.toString(element);
        }

        @Override
        protected void processInOrder(Long element, ReadOnlyContext ctx, Collector<String> out) {
            out.collect(element + " " + rules().version() + " minRequests=" + rules().repeatRefunder().minRequests());
        }
    }
}
