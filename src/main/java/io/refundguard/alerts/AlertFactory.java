package io.refundguard.alerts;

import io.refundguard.events.RefundEvent;
import io.refundguard.events.Times;
import io.refundguard.patterns.PatternFinding;
import io.refundguard.patterns.RequestRecord;
import io.refundguard.patterns.RuleSet;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Turns a pattern finding into the contract's alert: id, tier, action, listing, times. */
public final class AlertFactory {
    private AlertFactory() {}

    public static Alert build(PatternFinding finding, Subject subject, RefundEvent trigger, RuleSet rules, long detectedAt) {
        return build(finding, subject, Trigger.of(trigger), trigger.occurredAt(), trigger.utcOffsetSeconds(), rules,
                detectedAt);
    }

    /**
     * @param eventTime event time of the trigger, epoch millis, shown in its {@code utcOffsetSeconds}
     */
    public static Alert build(PatternFinding finding, Subject subject, Trigger trigger, long eventTime,
            int utcOffsetSeconds, RuleSet rules, long detectedAt) {
        List<RequestRecord> all = finding.requests();
        int listed = Math.min(all.size(), rules.alerts().maxRequestsListed());
        // The most recent requests are the ones a reviewer acts on; older ones are counted.
        List<AlertRequest> requests = all.subList(all.size() - listed, all.size()).stream()
                .map(RequestRecord::toAlertRequest)
                .toList();
        Map<String, Object> details = new LinkedHashMap<>(finding.details());
        if (listed < all.size()) {
            details.put("requestsListed", listed);
            details.put("requestsTotal", all.size());
        }
        TreeSet<String> platforms = new TreeSet<>();
        all.forEach(r -> platforms.add(r.platform()));
        BigDecimal total = finding.amountTotal();
        return new Alert(
                AlertIds.of(finding.pattern(), subject, trigger.eventId(), finding.severity(), finding.level()),
                finding.pattern(),
                finding.severity(),
                subject,
                trigger,
                List.copyOf(platforms),
                requests,
                total.toPlainString(),
                finding.currency(),
                rules.amountTier().tierOf(total),
                OutputJson.text(details),
                rules.alerts().actionFor(finding.severity()),
                rules.version(),
                Times.format(eventTime, utcOffsetSeconds),
                Times.formatUtc(detectedAt),
                null);
    }
}
