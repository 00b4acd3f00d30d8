package io.refundguard.patterns;

import io.refundguard.alerts.Severity;
import io.refundguard.events.Times;
import io.refundguard.settings.Durations;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * REPEAT_REFUNDER: one person files at least N refund-only requests within a sliding event-time
 * window, counted across all platforms. Return-and-refund requests never count (the goods come
 * back, so heavy honest returners are not fraudsters), nor do requests a review cleared.
 * Spreading over platforms is what a person does to stay under each platform's own limits, so it
 * raises the severity.
 */
public final class RepeatRefunder {
    private RepeatRefunder() {}

    public static Optional<PatternFinding> evaluate(
            RepeatRefunderRule rule, AmountTierRule amounts, Collection<RequestRecord> history, long at) {
        long windowStart = at - rule.window().toMillis();
        List<RequestRecord> counted = new ArrayList<>();
        for (RequestRecord r : history) {
            if (r.refundOnly() && !r.isClearedLegitimate() && r.occurredAt() > windowStart && r.occurredAt() <= at) {
                counted.add(r);
            }
        }
        if (counted.size() < rule.minRequests()) {
            return Optional.empty();
        }
        counted.sort(Comparator.comparingLong(RequestRecord::occurredAt).thenComparing(r -> r.key().toString()));
        TreeSet<String> platforms = new TreeSet<>();
        counted.forEach(r -> platforms.add(r.platform()));
        boolean crossPlatform = platforms.size() >= rule.crossPlatformMinPlatforms();
        Severity severity = !crossPlatform
                ? Severity.MEDIUM
                : counted.size() >= rule.criticalRequests() ? Severity.CRITICAL : Severity.HIGH;

        Sums sums = Sums.of(amounts, counted);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("requestCount", counted.size());
        details.put("minRequests", rule.minRequests());
        details.put("window", Durations.format(rule.window()));
        details.put("platformCount", platforms.size());
        RequestRecord first = counted.get(0);
        RequestRecord last = counted.get(counted.size() - 1);
        details.put("firstRequestAt", Times.format(first.occurredAt(), first.utcOffsetSeconds()));
        details.put("lastRequestAt", Times.format(last.occurredAt(), last.utcOffsetSeconds()));
        sums.describeUnconverted(details);
        return Optional.of(new PatternFinding(PatternCode.REPEAT_REFUNDER, severity, 0, counted,
                sums.total(), amounts.currency(), details));
    }

    /** Sums in the tier currency; requests in a currency without a rate are counted apart. */
    record Sums(BigDecimal total, int unconverted) {
        static Sums of(AmountTierRule rule, Collection<RequestRecord> requests) {
            BigDecimal total = BigDecimal.ZERO;
            int unconverted = 0;
            for (RequestRecord r : requests) {
                Optional<BigDecimal> converted = rule.inTierCurrency(r.amount(), r.currency());
                if (converted.isPresent()) {
                    total = total.add(converted.get());
                } else {
                    unconverted++;
                }
            }
            return new Sums(total, unconverted);
        }

        void describeUnconverted(Map<String, Object> details) {
            if (unconverted > 0) {
                details.put("requestsWithoutExchangeRate", unconverted);
            }
        }
    }
}
