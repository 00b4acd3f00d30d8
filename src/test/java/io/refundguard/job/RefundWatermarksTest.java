package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.DecodedEvent;
import io.refundguard.events.EventDecoder;
import io.refundguard.events.RawRecord;
import io.refundguard.events.TestEvents;
import io.refundguard.job.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class RefundWatermarksTest {
    private static final EventDecoder DECODER = new EventDecoder(ConfigLoader.load(List.of()).input());
    private static final long NOW = TestEvents.T0.toInstant().toEpochMilli() + Duration.ofDays(30).toMillis();

    private final AtomicLong wallClock = new AtomicLong(NOW);
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    };

    private RefundWatermarks<DecodedEvent> generator(Duration fallback) {
        return new RefundWatermarks<>(d -> d.isValid() ? d.event().occurredAt() : Long.MIN_VALUE,
                Duration.ofSeconds(5), fallback, wallClock::get);
    }

    @Test
    void aBacklogOfOldEventsIsOrderedByEventTimeNotOverrunByTheWallClock() {
        RefundWatermarks<DecodedEvent> watermarks = generator(Duration.ofSeconds(15));
        DecodedEvent old = event(Duration.ofDays(1));
        watermarks.onEvent(old, 0, output);
        watermarks.onPeriodicEmit(output);
        wallClock.addAndGet(10_000);
        watermarks.onPeriodicEmit(output);
        // Events keep flowing: the watermark follows them, 30 days behind the wall clock.
        assertThat(emitted).containsExactly(old.event().occurredAt() - 5_001);
    }

    @Test
    void afterAQuietSpellTheWallClockMovesEventTimeOn() {
        RefundWatermarks<DecodedEvent> watermarks = generator(Duration.ofSeconds(15));
        watermarks.onEvent(event(Duration.ofDays(1)), 0, output);
        wallClock.addAndGet(15_000);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(wallClock.get() - 15_000);
    }

    @Test
    void aSplitThatSeesNoEventsFollowsTheWallClockOnceQuietForTheFallbackTime() {
        RefundWatermarks<DecodedEvent> watermarks = generator(Duration.ofSeconds(15));
        // Just started: a backlog may be about to arrive, so the floor waits.
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).isEmpty();
        wallClock.addAndGet(15_000);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(NOW);
    }

    @Test
    void withoutTheFallbackOnlyEventsMoveTheWatermarkAndRejectedRecordsNever() {
        RefundWatermarks<DecodedEvent> watermarks = generator(Duration.ZERO);
        watermarks.onPeriodicEmit(output);
        DecodedEvent rejected = DECODER.decode(new RawRecord("t", 0, 0, NOW, null, "garbage".getBytes(StandardCharsets.UTF_8)));
        watermarks.onEvent(rejected, NOW, output);
        wallClock.addAndGet(60_000);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).isEmpty();
        DecodedEvent event = event(Duration.ofDays(2));
        watermarks.onEvent(event, 0, output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(event.event().occurredAt() - 5_001);
    }

    private static DecodedEvent event(Duration after) {
        String json = TestEvents.request("tb", "R" + after.toMillis()).after(after).json();
        return DECODER.decode(new RawRecord("t", 0, 0, -1, null, json.getBytes(StandardCharsets.UTF_8)));
    }
}
