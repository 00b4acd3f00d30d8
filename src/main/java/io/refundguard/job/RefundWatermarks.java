package io.refundguard.job;

import io.refundguard.events.DecodedCatalogImage;
import io.refundguard.events.DecodedEvent;
import io.refundguard.job.config.EventTimeSettings;
import io.refundguard.patterns.DecodedRuleSetUpdate;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks for input topics: bounded out-of-orderness over valid records only (a rejected
 * record's time means nothing), plus an optional wall-clock floor for live runs so that the last
 * events before a quiet period are not held back until the next event arrives.
 *
 * <p>The floor applies only once a split has seen no event for the fallback time. While events
 * flow, even hours-old ones (a backlog after an outage, a backfill), event time alone drives the
 * watermark, so they are processed in event-time order exactly as a replay would.
 */
public final class RefundWatermarks<T> implements WatermarkGenerator<T> {
    /** Event time of a valid record, or {@link Long#MIN_VALUE} for a rejected one. */
    public interface EventTimeOf<T> extends Serializable {
        long of(T record);
    }

    /** The wall clock, replaceable in tests. */
    public interface Clock extends Serializable {
        long millis();
    }

    private final EventTimeOf<T> eventTime;
    private final long outOfOrdernessMillis;
    private final long wallClockFallbackMillis;
    private final Clock clock;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEmitted = Long.MIN_VALUE;
    /** Wall-clock time of the last valid event; starts at creation, so a backlog read right after
     * a (re)start is not overtaken by the floor before its first record arrives. */
    private long lastEventSeenAt;

    RefundWatermarks(EventTimeOf<T> eventTime, Duration outOfOrderness, Duration wallClockFallback) {
        this(eventTime, outOfOrderness, wallClockFallback, System::currentTimeMillis);
    }

    RefundWatermarks(EventTimeOf<T> eventTime, Duration outOfOrderness, Duration wallClockFallback, Clock clock) {
        this.eventTime = eventTime;
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
        this.wallClockFallbackMillis = wallClockFallback.toMillis();
        this.clock = clock;
        this.lastEventSeenAt = clock.millis();
    }

    public static WatermarkStrategy<DecodedEvent> strategy(EventTimeSettings settings) {
        return strategy(settings, d -> d.isValid() ? d.event().occurredAt() : Long.MIN_VALUE);
    }

    public static WatermarkStrategy<DecodedCatalogImage> forCatalog(EventTimeSettings settings) {
        return strategy(settings, d -> d.isValid() ? d.image().occurredAt() : Long.MIN_VALUE);
    }

    /**
     * Rule-set updates, timed by when they take effect. Their watermark is part of every rule-driven
     * operator's, so it must never make verdicts wait. Live (wall-clock fallback on) it is the wall
     * clock: an update effective before it arrives decides what is still undecided. Replaying
     * (fallback off) it follows the updates, so events after an update wait for it and a replay is
     * deterministic; a bounded file ends at the end of time, and a quiet topic goes idle.
     */
    public static WatermarkStrategy<DecodedRuleSetUpdate> forControl(EventTimeSettings settings) {
        SerializableTimestampAssigner<DecodedRuleSetUpdate> effectiveFrom =
                (record, kafkaTimestamp) -> record.update() != null ? record.update().effectiveFrom() : kafkaTimestamp;
        if (!settings.wallClockFallback().isZero()) {
            return WatermarkStrategy.<DecodedRuleSetUpdate>forGenerator(ctx -> new WallClockWatermarks<>())
                    .withTimestampAssigner(effectiveFrom);
        }
        return WatermarkStrategy.<DecodedRuleSetUpdate>forMonotonousTimestamps()
                .withTimestampAssigner(effectiveFrom)
                .withIdleness(settings.idleness());
    }

    /** Watermark = now: nothing earlier is expected any more. */
    private static final class WallClockWatermarks<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T record, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(System.currentTimeMillis()));
        }
    }

    private static <T> WatermarkStrategy<T> strategy(EventTimeSettings settings, EventTimeOf<T> eventTime) {
        WatermarkStrategy<T> strategy = WatermarkStrategy.<T>forGenerator(
                        ctx -> new RefundWatermarks<>(eventTime, settings.outOfOrderness(), settings.wallClockFallback()))
                .withTimestampAssigner(ctx -> (record, kafkaTimestamp) -> {
                    long time = eventTime.of(record);
                    return time == Long.MIN_VALUE ? kafkaTimestamp : time;
                });
        // An idle split stops asking its generator for watermarks, which would switch the
        // wall-clock floor off exactly when it is needed; with the floor on, no split is idle.
        return settings.wallClockFallback().isZero() ? strategy.withIdleness(settings.idleness()) : strategy;
    }

    @Override
    public void onEvent(T record, long eventTimestamp, WatermarkOutput output) {
        long time = eventTime.of(record);
        if (time != Long.MIN_VALUE) {
            maxTimestamp = Math.max(maxTimestamp, time);
            lastEventSeenAt = clock.millis();
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long candidate = maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - outOfOrdernessMillis - 1;
        if (wallClockFallbackMillis > 0) {
            long now = clock.millis();
            if (now - lastEventSeenAt >= wallClockFallbackMillis) {
                candidate = Math.max(candidate, now - wallClockFallbackMillis);
            }
        }
        if (candidate > lastEmitted) {
            lastEmitted = candidate;
            output.emitWatermark(new Watermark(candidate));
        }
    }
}
