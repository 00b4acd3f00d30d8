package io.refundguard.job.config;

import io.refundguard.settings.Check;
import java.io.Serializable;
import java.time.Duration;

/** Watermarking: how much disorder is waited for, and how silence is treated. */
public record EventTimeSettings(Duration outOfOrderness, Duration idleness, Duration wallClockFallback)
        implements Serializable {
    public EventTimeSettings {
        Check.notNegative("outOfOrderness", outOfOrderness);
        Check.positive("idleness", idleness);
        Check.notNegative("wallClockFallback", wallClockFallback);
    }

    public EventTimeSettings withoutWallClockFallback() {
        return new EventTimeSettings(outOfOrderness, idleness, Duration.ZERO);
    }
}
