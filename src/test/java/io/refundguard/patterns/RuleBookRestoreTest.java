package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.ControlRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule sets in broadcast state survive a restore: operator snapshots taken by the harness and
 * committed under {@code src/test/resources/savepoint/} restore into this build, and the rule sets
 * they hold decide events again. One is of the release that stored Java-serialized rule sets
 * (restored through a migration, and rewritten as control records); the other holds control
 * records of rule classes shaped unlike this build's.
 */
class RuleBookRestoreTest {
    private static final RuleSet CONFIGURED = ConfigLoader.load(List.of()).rules();
    private static final Path FIXTURES = Path.of("src/test/resources/savepoint");

    @TempDir
    Path dir;

    @Test
    void aSnapshotOfThePreviousReleaseRestoresAndIsRewrittenAsControlRecords() throws Exception {
        OperatorSubtaskState rewritten;
        try (var harness = restored(FIXTURES.resolve("rule-book-java-serialized.snapshot"))) {
            assertThat(decide(harness)).containsExactly("3000 previous-a minRequests=4", "6000 previous-b minRequests=3");
            rewritten = harness.snapshot(2L, 2L);
        }
        Path file = dir.resolve("rewritten.snapshot");
        OperatorSnapshotUtil.writeStateHandle(rewritten, file.toString());
        byte[] bytes = Files.readAllBytes(file);
        assertThat(contains(bytes, JAVA_SERIALIZATION_MAGIC)).as("Java serialization left in the state").isFalse();
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("\"type\":\"RULE_SET\"");
        try (var harness = restored(file)) {
            assertThat(decide(harness)).containsExactly("3000 previous-a minRequests=4", "6000 previous-b minRequests=3");
        }
    }

    @Test
    void aSnapshotWrittenWithOtherRuleClassesRestores() throws Exception {
        try (var harness = restored(FIXTURES.resolve("rule-book-other-rule-classes.snapshot"))) {
            assertThat(decide(harness)).containsExactly("3000 other-a minRequests=4", "6000 other-b minRequests=3");
        }
    }

    @Test
    void theJavaSerializedFixtureReallyHoldsJavaSerialization() throws Exception {
        assertThat(contains(Files.readAllBytes(FIXTURES.resolve("rule-book-java-serialized.snapshot")), JAVA_SERIALIZATION_MAGIC))
                .isTrue();
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

    /**
     * Writes the snapshot of a build whose rule classes differ from this one's: its records have no
     * allow-list (a later addition), and a setting and a whole rule this build does not know. The
     * state is written as that build would have, records under this serializer's snapshot; only
     * the rule shapes differ. {@code -Drefundguard.writeSnapshots=other}.
     */
    @Test
    @EnabledIfSystemProperty(named = "refundguard.writeSnapshots", matches = "other")
    void writeTheSnapshotOfOtherRuleClasses() throws Exception {
        MapStateDescriptor<Long, String> records =
                new MapStateDescriptor<>(RuleBook.UPDATES.getName(), LongSerializer.INSTANCE, new OtherBuildRecords());
        KeyedBroadcastProcessFunction<String, Long, String, String> store = new KeyedBroadcastProcessFunction<>() {
            @Override
            public void processElement(Long value, ReadOnlyContext ctx, Collector<String> out) {}

            @Override
            public void processBroadcastElement(String record, Context ctx, Collector<String> out) throws Exception {
                long from = java.time.OffsetDateTime.parse(new ObjectMapper().readTree(record).get("effectiveFrom").asText())
                        .toInstant().toEpochMilli();
                ctx.getBroadcastState(records).put(from, record);
            }
        };
        try (var harness = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(store, List.of(records)), (Long e) -> "k", Types.STRING, 1, 1, 0)) {
            harness.open();
            harness.processBroadcastElement(otherShape(RuleSets.withVersion(CONFIGURED, "other-a"), 1_000L), 1_000L);
            harness.processBroadcastElement(otherShape(RuleSets.withRepeatRefunder(CONFIGURED, "other-b", 3), 5_000L), 5_000L);
            OperatorSnapshotUtil.writeStateHandle(harness.snapshot(1L, 1L),
                    FIXTURES.resolve("rule-book-other-rule-classes.snapshot").toString());
        }
    }

    private static String otherShape(RuleSet rules, long effectiveFrom) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode record = (ObjectNode) json.readTree(ControlRecords.encode(rules,
                java.time.Instant.ofEpochMilli(effectiveFrom).atOffset(java.time.ZoneOffset.UTC)));
        ObjectNode ruleNode = (ObjectNode) record.get("rules");
        ruleNode.remove("photoAllowList");
        ((ObjectNode) ruleNode.get("repeatRefunder")).put("retiredSetting", 7);
        ruleNode.putObject("retiredPattern").put("window", "3d");
        return json.writeValueAsString(record);
    }

    /** Records as text, in the stored format: length, UTF-8 JSON; snapshot: the control-record one. */
    private static final class OtherBuildRecords extends TypeSerializerSingleton<String> {
        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public String createInstance() {
            return "";
        }

        @Override
        public String copy(String from) {
            return from;
        }

        @Override
        public String copy(String from, String reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(String record, DataOutputView target) throws IOException {
            byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
            target.writeInt(bytes.length);
            target.write(bytes);
        }

        @Override
        public String deserialize(DataInputView source) throws IOException {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String deserialize(String reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            serialize(deserialize(source), target);
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public TypeSerializerSnapshot<String> snapshotConfiguration() {
            return (TypeSerializerSnapshot) new RuleSetUpdateTypeInfo.Snapshot();
        }
    }

    private static final byte[] JAVA_SERIALIZATION_MAGIC = {(byte) 0xac, (byte) 0xed, 0x00, 0x05};

    private static boolean contains(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static KeyedBroadcastOperatorTestHarness<String, Long, RuleSetUpdate, String> restored(Path snapshot)
            throws Exception {
        OperatorSubtaskState state = OperatorSnapshotUtil.readStateHandle(snapshot.toString());
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
