package io.refundguard.events;

import io.refundguard.eventtime.StateTtl;
import java.time.Duration;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops redelivered events: keyed by {@code eventId}, the first copy passes and later copies within
 * the TTL are counted and dropped. Kafka producers retry and platforms resend, and a resent
 * request counted twice would make an honest buyer look like a repeat refunder.
 */
public final class DeduplicateEvents extends KeyedProcessFunction<String, RefundEvent, RefundEvent> {
    public static final String DUPLICATES = "duplicateEvents";
    private static final long serialVersionUID = 1L;

    private final Duration ttl;
    private final StateTtl stateTtl;
    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;
    private transient LongCounter duplicatesTotal;

    public DeduplicateEvents(Duration ttl, StateTtl stateTtl) {
        this.ttl = ttl;
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(
                stateTtl.sweptAfter(ttl, new ValueStateDescriptor<>("event-id-seen", Types.BOOLEAN)));
        duplicates = getRuntimeContext().getMetricGroup().counter(DUPLICATES);
        duplicatesTotal = new LongCounter();
        getRuntimeContext().addAccumulator(DUPLICATES, duplicatesTotal);
    }

    @Override
    public void processElement(RefundEvent event, Context ctx, Collector<RefundEvent> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            duplicatesTotal.add(1);
            return;
        }
        seen.update(Boolean.TRUE);
        out.collect(event);
    }
}
