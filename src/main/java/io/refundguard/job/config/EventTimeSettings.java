package io.refundguard.job.config;

import io.refundguard.settings.Check;
import java.io.Serializable;
import java.time.Duration;

/**
 * Watermarking: how much disorder is waited for, and how silence is treated. Live runs (wall-clock
 * fallback on) wait for {@code liveOutOfOrderness}, replays and backfills (fallback off) for {@code
 * outOfOrderness}: every verdict waits that long, so live wants it short and a replay, where
 * waiting costs nothing, can afford to tolerate a less ordered file.
 */
public record EventTimeSettings(Duration outOfOrderness, Duration liveOutOfOrderness, Duration idleness,
        Duration wallClockFallback) implements Serializable {
    public EventTimeSettings {
        Check.notNegative("outOfOrderness", outOfOrderness);
        Check.notNegative("liveOutOfOrderness", liveOutOfOrderness);
        Check.positive("idleness", idleness);
        Check.notNegative("wallClockFallback", wallClockFallback);
    }

    /** Whether the wall clock moves event time on when inputs are quiet: a live run. */
    public boolean live() {
        return !wallClockFallback.isZero();
    }

    /** The out-of-orderness in effect: {@code liveOutOfOrderness} live, else {@code outOfOrderness}. */
    public Duration outOfOrdernessInEffect() {
        return live() ? liveOutOfOrderness : outOfOrderness;
    }

    public EventTimeSettings withoutWallClockFallback() {
        return new EventTimeSettings(outOfOrderness, liveOutOfOrderness, idleness, Duration.ZERO);
    }
}
