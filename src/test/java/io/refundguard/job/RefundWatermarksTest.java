package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.DecodedCatalogImage;
import io.refundguard.events.DecodedEvent;
import io.refundguard.events.EventDecoder;
import io.refundguard.events.RawRecord;
import io.refundguard.events.TestEvents;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.EventTimeSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.flink.util.clock.SystemClock;
import org.junit.jupiter.api.Test;

class RefundWatermarksTest {
    private static final EventDecoder DECODER = new EventDecoder(ConfigLoader.load(List.of()).input());
    private static final long NOW = TestEvents.T0.toInstant().toEpochMilli() + Duration.ofDays(30).toMillis();
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final Duration FALLBACK = Duration.ofSeconds(15);
    private static final Duration IDLENESS = Duration.ofSeconds(30);

    private final AtomicLong wallClock = new AtomicLong(NOW);
    /** Stands still while the source is back-pressured; otherwise moves with the wall clock. */
    private final AtomicLong activityClock = new AtomicLong(0);
    private final List<String> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(Long.toString(watermark.getTimestamp()));
        }

        @Override
        public void markIdle() {
            emitted.add("idle");
        }

        @Override
        public void markActive() {
            emitted.add("active");
        }
    };

    private RefundWatermarks<DecodedEvent> generator(Duration fallback) {
        return new RefundWatermarks<>(d -> d.isValid() ? d.event().occurredAt() : Long.MIN_VALUE,
                OUT_OF_ORDERNESS, fallback, IDLENESS, wallClock::get, activityClock::get);
    }

    private void pass(Duration time) {
        wallClock.addAndGet(time.toMillis());
        activityClock.addAndGet(time.toMillis());
    }

    @Test
    void whileEventsFlowEvenABacklogOfOldOnesMovesTheWatermarkNotTheWallClock() {
        RefundWatermarks<DecodedEvent> watermarks = generator(FALLBACK);
        DecodedEvent old = event(Duration.ofDays(1));
        watermarks.onEvent(old, 0, output);
        watermarks.onPeriodicEmit(output);
        pass(Duration.ofSeconds(10));
        watermarks.onEvent(old, 0, output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(Long.toString(old.event().occurredAt() - 5_001),
                Long.toString(old.event().occurredAt() - 5_001));
    }

    @Test
    void aQuietPartitionFollowsTheWallClockThenStopsHoldingBackTheOthers() {
        RefundWatermarks<DecodedEvent> watermarks = generator(FALLBACK);
        watermarks.onEvent(event(Duration.ofDays(1)), 0, output);
        pass(FALLBACK);
        watermarks.onPeriodicEmit(output);
        // Every event it delivered is released before it goes idle, so the last ones are not stranded.
        assertThat(emitted).containsExactly(Long.toString(wallClock.get() - 15_000));
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).endsWith("idle");
    }

    @Test
    void anIdlePartitionIsActiveAgainWithItsNextEventAndNeverGoesBack() {
        RefundWatermarks<DecodedEvent> watermarks = generator(FALLBACK);
        watermarks.onEvent(event(Duration.ofDays(1)), 0, output);
        pass(FALLBACK);
        watermarks.onPeriodicEmit(output);
        watermarks.onPeriodicEmit(output);
        long floor = wallClock.get() - 15_000;
        // A late event (a day old, behind the floor) does not move the watermark back ...
        watermarks.onEvent(event(Duration.ofDays(1)), 0, output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(Long.toString(floor), "idle", Long.toString(floor));
        // ... a current one moves it on.
        DecodedEvent current = eventAt(wallClock.get());
        watermarks.onEvent(current, 0, output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).endsWith(Long.toString(current.event().occurredAt() - 5_001));
    }

    @Test
    void backPressureIsNotSilenceSoABacklogIsNotOverrun() {
        RefundWatermarks<DecodedEvent> watermarks = generator(FALLBACK);
        DecodedEvent old = event(Duration.ofDays(1));
        watermarks.onEvent(old, 0, output);
        // A minute of wall time without records, but the source was back-pressured throughout.
        wallClock.addAndGet(60_000);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(Long.toString(old.event().occurredAt() - 5_001));
    }

    @Test
    void aPartitionOfRejectedRecordsOnlyDoesNotHoldBackOnceQuiet() {
        RefundWatermarks<DecodedEvent> watermarks = generator(FALLBACK);
        watermarks.onEvent(rejected(), NOW, output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).isEmpty();
        pass(FALLBACK);
        watermarks.onPeriodicEmit(output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(Long.toString(wallClock.get() - 15_000), "idle");
    }

    @Test
    void theReadersOwnOutputSeesNoRecordsEmitsNothingAndIsIdleAfterTheIdlenessTime() {
        // Flink emits the higher of this output's watermark and the partitions': a wall clock here
        // would overrun their backlogs.
        RefundWatermarks<DecodedEvent> watermarks = generator(FALLBACK);
        pass(FALLBACK);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).isEmpty();
        pass(IDLENESS.minus(FALLBACK));
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly("idle");
    }

    @Test
    void theLiveOutOfOrdernessIsWaitedForLiveAndTheOtherWhenReplaying() {
        EventTimeSettings settings = ConfigLoader.load(List.of("eventTime.outOfOrderness=5s",
                "eventTime.liveOutOfOrderness=250ms", "eventTime.wallClockFallback=15s")).eventTime();
        assertThat(settings.outOfOrdernessInEffect()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.withoutWallClockFallback().outOfOrdernessInEffect()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void withoutTheFallbackOnlyEventsMoveTheWatermarkAndRejectedRecordsNever() {
        RefundWatermarks<DecodedEvent> watermarks = generator(Duration.ZERO);
        watermarks.onPeriodicEmit(output);
        watermarks.onEvent(rejected(), NOW, output);
        pass(Duration.ofMinutes(1));
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).isEmpty();
        DecodedEvent event = event(Duration.ofDays(2));
        watermarks.onEvent(event, 0, output);
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(Long.toString(event.event().occurredAt() - 5_001));
    }

    @Test
    void liveAQuietCatalogIsNeverBehindTheWallClock() {
        EventTimeSettings live = ConfigLoader.load(List.of()).eventTime();
        WatermarkGenerator<DecodedCatalogImage> catalog =
                RefundWatermarks.forCatalog(live).createWatermarkGenerator(context());
        long before = System.currentTimeMillis();
        catalog.onPeriodicEmit(output);
        assertThat(emitted).singleElement().satisfies(w -> assertThat(Long.parseLong(w)).isGreaterThanOrEqualTo(before));
    }

    private static WatermarkGeneratorSupplier.Context context() {
        return new WatermarkGeneratorSupplier.Context() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public RelativeClock getInputActivityClock() {
                return SystemClock.getInstance();
            }
        };
    }

    private static DecodedEvent rejected() {
        return DECODER.decode(new RawRecord("t", 0, 0, NOW, null, "garbage".getBytes(StandardCharsets.UTF_8)));
    }

    private static DecodedEvent event(Duration after) {
        String json = TestEvents.request("tb", "R" + after.toMillis()).after(after).json();
        return DECODER.decode(new RawRecord("t", 0, 0, -1, null, json.getBytes(StandardCharsets.UTF_8)));
    }

    private static DecodedEvent eventAt(long epochMillis) {
        long after = epochMillis - TestEvents.T0.toInstant().toEpochMilli();
        return event(Duration.ofMillis(after));
    }
}
