package io.refundguard.patterns;

import io.refundguard.settings.Check;
import io.refundguard.settings.Durations;
import java.io.Serializable;
import java.time.Duration;

/**
 * MERCHANT_BURST: within {@code window} (event time, sliding), the distinct persons filing
 * refund-only requests against one merchant (or one product) reach {@code floor} and {@code factor}
 * times what the subject's own baseline expects in a window. MEDIUM, HIGH from {@code highMultiple}
 * times that threshold.
 *
 * <p>The baseline is an exponentially weighted moving average of past per-bucket counts, buckets
 * closed in event time, with smoothing {@code 2 / (baselineBuckets + 1)}: recent hours weigh most,
 * and a burst raises it only gradually. A window is measured against the baseline as it stood
 * before the window began, so a burst's own first hour does not raise its bar. A subject without
 * history starts at {@code defaultBaselinePerBucket}; one that falls silent is forgotten once its
 * average has decayed to that default (and its last alert's cooldown has passed).
 *
 * @param bucket the unit the baseline counts in; buckets are aligned to the epoch
 * @param window the burst window; at least one bucket, so a bucket's requests are still at hand
 *     when it closes
 * @param baselineBuckets the EWMA span, in buckets
 */
public record MerchantBurstRule(
        Duration bucket,
        Duration window,
        int baselineBuckets,
        double factor,
        int floor,
        double defaultBaselinePerBucket,
        double highMultiple)
        implements Serializable {
    public MerchantBurstRule {
        Check.positive("bucket", bucket);
        Check.positive("window", window);
        if (window.compareTo(bucket) < 0) {
            throw new IllegalArgumentException("window: expected at least one bucket (" + Durations.format(bucket)
                    + "), got " + Durations.format(window));
        }
        Check.atLeast("baselineBuckets", baselineBuckets, 1);
        atLeast("factor", factor, 1.0);
        Check.atLeast("floor", floor, 2);
        if (!(defaultBaselinePerBucket > 0) || Double.isInfinite(defaultBaselinePerBucket)) {
            throw new IllegalArgumentException("defaultBaselinePerBucket: expected a positive number, got "
                    + defaultBaselinePerBucket);
        }
        atLeast("highMultiple", highMultiple, 1.0);
    }

    /**
     * The values of {@code config/refundguard.yaml}. A 2-hour window holds a 90-minute burst
     * whole wherever it starts within the hour, yet is short enough that a day's normal peak is not
     * mistaken for one; a span of 72 hourly buckets lets the baseline follow a merchant's growth
     * over days while one burst moves it little. The default baseline, 2 per hour, with factor 5
     * asks 20 persons in 2 hours of a merchant never seen before, the same as the floor.
     */
    public static MerchantBurstRule defaults() {
        return new MerchantBurstRule(Duration.ofHours(1), Duration.ofHours(2), 72, 5.0, 20, 2.0, 3.0);
    }

    /** The EWMA weight of the newest bucket. */
    public double alpha() {
        return 2.0 / (baselineBuckets + 1);
    }

    /** How many buckets one window spans, to scale a per-bucket baseline to the window. */
    public double bucketsPerWindow() {
        return (double) window.toMillis() / bucket.toMillis();
    }

    private static void atLeast(String name, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": expected a number of at least " + min + ", got " + value);
        }
    }
}
