package io.refundguard.patterns;

import io.refundguard.alerts.LegalTier;
import io.refundguard.alerts.Severity;
import io.refundguard.events.OutcomeVerdict;
import io.refundguard.settings.Durations;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AMOUNT_TIER: a person's suspect refund amount (requests with an image signal, or confirmed
 * fraud) within the window reaches a legal tier. Amounts of several platforms add up, as the
 * amounts of repeated fraud do in law (多次诈骗, 数额累计计算). The tier is the escalation level, so
 * LARGE, HUGE and ESPECIALLY_HUGE each alert once.
 */
public final class AmountTier {
    private AmountTier() {}

    public static Optional<PatternFinding> evaluate(AmountTierRule rule, Collection<RequestRecord> history, long at) {
        long windowStart = at - rule.window().toMillis();
        List<RequestRecord> suspect = new ArrayList<>();
        for (RequestRecord r : history) {
            if (r.isSuspect() && r.occurredAt() > windowStart && r.occurredAt() <= at) {
                suspect.add(r);
            }
        }
        if (suspect.isEmpty()) {
            return Optional.empty();
        }
        RepeatRefunder.Sums sums = RepeatRefunder.Sums.of(rule, suspect);
        LegalTier tier = rule.tierOf(sums.total());
        if (tier == LegalTier.ADMINISTRATIVE) {
            return Optional.empty();
        }
        suspect.sort(Comparator.comparingLong(RequestRecord::occurredAt).thenComparing(r -> r.key().toString()));
        Severity severity = tier == LegalTier.LARGE ? Severity.HIGH : Severity.CRITICAL;

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("suspectAmount", sums.total().toPlainString());
        details.put("tier", tier.name());
        details.put("threshold", thresholdOf(rule, tier).toPlainString());
        details.put("window", Durations.format(rule.window()));
        details.put("suspectRequests", suspect.size());
        details.put("confirmedFraud", suspect.stream().filter(r -> r.outcome() == OutcomeVerdict.FRAUD).count());
        details.put("withImageSignal", suspect.stream().filter(RequestRecord::imageSignal).count());
        sums.describeUnconverted(details);
        return Optional.of(new PatternFinding(PatternCode.AMOUNT_TIER, severity, tier.ordinal(), suspect,
                sums.total(), rule.currency(), details));
    }

    private static java.math.BigDecimal thresholdOf(AmountTierRule rule, LegalTier tier) {
        return switch (tier) {
            case ESPECIALLY_HUGE -> rule.especiallyHuge();
            case HUGE -> rule.huge();
            default -> rule.large();
        };
    }
}
