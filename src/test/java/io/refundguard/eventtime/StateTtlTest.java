package io.refundguard.eventtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.job.config.ConfigLoader;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class StateTtlTest {
    private static final Duration TTL = Duration.ofDays(1);

    /**
     * Keyed state declared both ways: the first element of a key writes it, every later one
     * reports what it still reads ("swept:owned", each value or "-").
     */
    private static final class Remember extends KeyedProcessFunction<String, String, String> {
        private final StateTtl stateTtl;
        private transient ValueState<String> swept;
        private transient MapState<String, String> owned;

        Remember(StateTtl stateTtl) {
            this.stateTtl = stateTtl;
        }

        @Override
        public void open(OpenContext openContext) {
            swept = getRuntimeContext().getState(
                    stateTtl.sweptAfter(TTL, new ValueStateDescriptor<>("swept", Types.STRING)));
            owned = getRuntimeContext().getMapState(
                    stateTtl.expiredByOwner(TTL, new MapStateDescriptor<>("owned", Types.STRING, Types.STRING)));
        }

        @Override
        public void processElement(String value, Context ctx, Collector<String> out) throws Exception {
            if (value.equals("write")) {
                swept.update("kept");
                owned.put("entry", "kept");
            } else {
                String s = swept.value();
                String o = owned.get("entry");
                out.collect((s == null ? "-" : s) + ":" + (o == null ? "-" : o));
            }
        }
    }

    /** What one key still reads once the processing-time clock has passed the TTL. */
    private static String readAfterTheTtl(StateTtl stateTtl) throws Exception {
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new Remember(stateTtl)), (String v) -> "key", Types.STRING)) {
            harness.setStateTtlProcessingTime(0);
            harness.open();
            harness.processElement("write", 1L);
            harness.setStateTtlProcessingTime(TTL.toMillis() - 1);
            harness.processElement("read", 2L);
            harness.setStateTtlProcessingTime(TTL.multipliedBy(10).toMillis());
            harness.processElement("read", 3L);
            List<String> reads = harness.extractOutputValues();
            assertThat(reads.get(0)).as("within the TTL, both ways").isEqualTo("kept:kept");
            return reads.get(1);
        }
    }

    @Test
    void theReplaysDefaultKeepsStatePastTheTtlAndProductionDoesNot() throws Exception {
        StateTtl replay = ConfigLoader.load(List.of()).replay().stateTtl();
        assertThat(replay).isEqualTo(StateTtl.NONE);

        assertThat(readAfterTheTtl(replay)).as("no TTL: only the owner's event-time expiry removes state")
                .isEqualTo("kept:kept");
        assertThat(readAfterTheTtl(StateTtl.PROCESSING_TIME)).as("expired entries are never returned")
                .isEqualTo("-:-");
    }

    @Test
    void onlyProcessingTimeConfiguresATtlOnTheDescriptor() {
        for (StateTtl choice : StateTtl.values()) {
            boolean ttl = choice == StateTtl.PROCESSING_TIME;
            ValueStateDescriptor<String> value = new ValueStateDescriptor<>("v", Types.STRING);
            assertThat(choice.sweptAfter(TTL, value)).isSameAs(value);
            assertThat(value.getTtlConfig().isEnabled()).as("%s, swept", choice).isEqualTo(ttl);
            MapStateDescriptor<String, String> map = new MapStateDescriptor<>("m", Types.STRING, Types.STRING);
            assertThat(choice.expiredByOwner(TTL, map)).isSameAs(map);
            assertThat(map.getTtlConfig().isEnabled()).as("%s, owned", choice).isEqualTo(ttl);
        }
    }
}
