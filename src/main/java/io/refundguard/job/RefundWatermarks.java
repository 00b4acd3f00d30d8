package io.refundguard.job;

import io.refundguard.events.DecodedEvent;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import io.refundguard.job.config.EventTimeSettings;

/**
 * Watermarks for refund events: bounded out-of-orderness over valid events only (a rejected
 * record's time means nothing), plus an optional wall-clock floor for live runs so that the last
 * events before a quiet period are not held back until the next event arrives.
 */
public final class RefundWatermarks implements WatermarkGenerator<DecodedEvent> {
    private final long outOfOrdernessMillis;
    private final long wallClockFallbackMillis;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEmitted = Long.MIN_VALUE;

    RefundWatermarks(Duration outOfOrderness, Duration wallClockFallback) {
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
        this.wallClockFallbackMillis = wallClockFallback.toMillis();
    }

    public static WatermarkStrategy<DecodedEvent> strategy(EventTimeSettings settings) {
        WatermarkStrategy<DecodedEvent> strategy = WatermarkStrategy.<DecodedEvent>forGenerator(
                        ctx -> new RefundWatermarks(settings.outOfOrderness(), settings.wallClockFallback()))
                .withTimestampAssigner(ctx -> timestamps());
        // An idle split stops asking its generator for watermarks, which would switch the
        // wall-clock floor off exactly when it is needed; with the floor on, no split is idle.
        return settings.wallClockFallback().isZero() ? strategy.withIdleness(settings.idleness()) : strategy;
    }

    private static TimestampAssigner<DecodedEvent> timestamps() {
        return (decoded, recordTimestamp) -> decoded.isValid() ? decoded.event().occurredAt() : recordTimestamp;
    }

    @Override
    public void onEvent(DecodedEvent decoded, long eventTimestamp, WatermarkOutput output) {
        if (decoded.isValid()) {
            maxTimestamp = Math.max(maxTimestamp, decoded.event().occurredAt());
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long candidate = maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - outOfOrdernessMillis - 1;
        if (wallClockFallbackMillis > 0) {
            candidate = Math.max(candidate, System.currentTimeMillis() - wallClockFallbackMillis);
        }
        if (candidate > lastEmitted) {
            lastEmitted = candidate;
            output.emitWatermark(new Watermark(candidate));
        }
    }
}
