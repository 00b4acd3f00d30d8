package io.refundguard.cli.simulate;

import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.patterns.RuleSet;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;

/**
 * The detector settings planted cases are built against, so that fraud crosses each threshold and
 * a near-miss stays just below it whatever the configuration says.
 *
 * @param ringAttributes the link attributes a ring may share (device, payment, address, phone)
 * @param burstBaselineLag how far a merchant's burst baseline lags behind its volume
 */
public record Thresholds(
        Duration repeatWindow,
        int repeatMinRequests,
        long largeTierCents,
        Duration ringWindow,
        int ringMinPersons,
        List<String> ringAttributes,
        Duration burstWindow,
        int burstFloor,
        Duration burstBaselineLag,
        int imageRadius,
        Duration outOfOrderness) {

    public Thresholds {
        ringAttributes = List.copyOf(ringAttributes);
    }

    public static Thresholds of(RefundGuardConfig config) {
        RuleSet rules = config.rules();
        return new Thresholds(
                rules.repeatRefunder().window(),
                rules.repeatRefunder().minRequests(),
                rules.amountTier().large().movePointRight(2).setScale(0, RoundingMode.CEILING).longValueExact(),
                rules.sharedAttributeRing().window(),
                rules.sharedAttributeRing().minPersons(),
                rules.sharedAttributeRing().attributes(),
                rules.merchantBurst().window(),
                rules.merchantBurst().floor(),
                // An EWMA over n buckets lags about n/2 buckets behind a steady trend.
                rules.merchantBurst().bucket().multipliedBy(rules.merchantBurst().baselineBuckets()).dividedBy(2),
                config.images().radius(),
                config.eventTime().outOfOrderness());
    }
}
