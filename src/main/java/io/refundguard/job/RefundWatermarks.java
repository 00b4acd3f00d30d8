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
 * record's time means nothing), and, live, a rule for partitions that fall quiet.
 *
 * <p>Replaying (wall-clock fallback off) only events move a partition's watermark, and a partition
 * silent for {@code idleness} is idle (Flink's own rule), so a file or a backfill is processed in
 * event-time order whatever the wall clock says.
 *
 * <p>Live, a partition that has received no event for {@code wallClockFallback} is caught up: its
 * watermark moves to the wall clock minus the fallback, which releases the last events it
 * delivered, and once that watermark has gone out the partition is marked idle, so it stops
 * holding back the others. A quiet partition therefore never delays a verdict by more than the
 * fallback, and when every partition is quiet the last one to go idle has carried event time past
 * everything read. The quiet time is measured on Flink's input activity clock, which stands still
 * while the source is back-pressured, so a backlog being worked through (after an outage, a
 * restart) is not mistaken for silence and is processed in event-time order.
 *
 * <p>A source reader's own output (Flink's "main output") also gets a generator, which sees no
 * records, and Flink emits the higher of its watermark and the partitions' combined one; a wall
 * clock there would overrun every partition's backlog. So a generator that has never seen a
 * record emits nothing, and marks itself idle after {@code idleness}: a source subtask whose
 * partitions have delivered nothing since the start holds event time back that long, time enough
 * for a backlog's first records to arrive.
 */
public final class RefundWatermarks<T> implements WatermarkGenerator<T> {
    /** Event time of a valid record, or {@link Long#MIN_VALUE} for a rejected one. */
    public interface EventTimeOf<T> extends Serializable {
        long of(T record);
    }

    /** A clock in milliseconds, replaceable in tests. */
    public interface Clock extends Serializable {
        long millis();
    }

    private final EventTimeOf<T> eventTime;
    private final long outOfOrdernessMillis;
    private final long wallClockFallbackMillis;
    private final long idlenessMillis;
    private final Clock wallClock;
    /** Time that passes only while the source could read: paused under back-pressure. */
    private final Clock activityClock;
    private final long createdAt;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEmitted = Long.MIN_VALUE;
    private boolean seenRecord;
    /** Activity time of the last valid event, or of creation. */
    private long lastEventAt;
    /** The watermark emitted in an earlier period already passed every event seen. */
    private boolean releasedAll;

    RefundWatermarks(EventTimeOf<T> eventTime, Duration outOfOrderness, Duration wallClockFallback, Duration idleness,
            Clock wallClock, Clock activityClock) {
        this.eventTime = eventTime;
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
        this.wallClockFallbackMillis = wallClockFallback.toMillis();
        this.idlenessMillis = idleness.toMillis();
        this.wallClock = wallClock;
        this.activityClock = activityClock;
        this.createdAt = activityClock.millis();
        this.lastEventAt = createdAt;
    }

    public static WatermarkStrategy<DecodedEvent> strategy(EventTimeSettings settings) {
        return strategy(settings, d -> d.isValid() ? d.event().occurredAt() : Long.MIN_VALUE);
    }

    /**
     * Listing photos. Live they are filed as they arrive and their watermark is the wall clock, like
     * the rule sets': a catalog is quiet most of the time, and a listing photo later than a request
     * still finds its evidence (the late-match look-up, {@code images.catalogLookback}); waiting for
     * the catalog would make every verdict wait for it. The compacted topic's backlog at a fresh
     * start is filed in offset order, which per listing key is the order it was published in.
     * Replaying, listings are ordered with the requests by event time.
     */
    public static WatermarkStrategy<DecodedCatalogImage> forCatalog(EventTimeSettings settings) {
        SerializableTimestampAssigner<DecodedCatalogImage> occurredAt =
                (record, kafkaTimestamp) -> record.isValid() ? record.image().occurredAt() : kafkaTimestamp;
        if (settings.live()) {
            return WatermarkStrategy.<DecodedCatalogImage>forGenerator(ctx -> new WallClockWatermarks<>())
                    .withTimestampAssigner(occurredAt);
        }
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
        if (settings.live()) {
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
        WatermarkStrategy<T> strategy = WatermarkStrategy.<T>forGenerator(ctx -> new RefundWatermarks<>(eventTime,
                        settings.outOfOrdernessInEffect(), settings.wallClockFallback(), settings.idleness(),
                        System::currentTimeMillis, ctx.getInputActivityClock()::relativeTimeMillis))
                .withTimestampAssigner(ctx -> (record, kafkaTimestamp) -> {
                    long time = eventTime.of(record);
                    return time == Long.MIN_VALUE ? kafkaTimestamp : time;
                });
        // Live, the generator decides idleness itself: Flink's rule would stop asking it for
        // watermarks before the last events were released.
        return settings.live() ? strategy : strategy.withIdleness(settings.idleness());
    }

    @Override
    public void onEvent(T record, long eventTimestamp, WatermarkOutput output) {
        seenRecord = true;
        long time = eventTime.of(record);
        if (time != Long.MIN_VALUE) {
            maxTimestamp = Math.max(maxTimestamp, time);
            lastEventAt = activityClock.millis();
            releasedAll = false;
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long candidate = maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - outOfOrdernessMillis - 1;
        if (wallClockFallbackMillis > 0) {
            if (!seenRecord) {
                if (activityClock.millis() - createdAt >= idlenessMillis) {
                    output.markIdle();
                }
                return;
            }
            boolean quiet = activityClock.millis() - lastEventAt >= wallClockFallbackMillis;
            if (quiet && releasedAll) {
                output.markIdle();
                return;
            }
            if (quiet) {
                candidate = Math.max(candidate, wallClock.millis() - wallClockFallbackMillis);
            }
            lastEmitted = Math.max(lastEmitted, candidate);
            if (lastEmitted > Long.MIN_VALUE) {
                // Emitted every period, also unchanged: that is what makes an idle partition active again.
                output.emitWatermark(new Watermark(lastEmitted));
            }
            releasedAll = quiet && lastEmitted >= maxTimestamp;
            return;
        }
        if (candidate > lastEmitted) {
            lastEmitted = candidate;
            output.emitWatermark(new Watermark(candidate));
        }
    }
}
