package io.refundguard.alerts;

import io.refundguard.identity.PersonKeys;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-platform views of an alert: a platform must not learn another platform's account, order or
 * request ids, so each involved platform gets the alert with the others' requests reduced to
 * platform, count, amount and time span.
 */
public final class AlertViews {
    private AlertViews() {}

    public static Alert forPlatform(Alert alert, String platform) {
        List<AlertRequest> own = new ArrayList<>();
        Map<String, List<AlertRequest>> others = new TreeMap<>();
        for (AlertRequest r : alert.requests()) {
            if (r.platform().equals(platform)) {
                own.add(r);
            } else {
                others.computeIfAbsent(r.platform(), p -> new ArrayList<>()).add(r);
            }
        }
        List<PlatformSummary> summaries = new ArrayList<>();
        others.forEach((other, requests) -> summaries.add(summarise(other, requests)));
        Trigger trigger = alert.trigger().platform().equals(platform)
                ? alert.trigger()
                : new Trigger(alert.trigger().platform(), null, null);
        return new Alert(alert.alertId(), alert.pattern(), alert.severity(), viewOfSubject(alert.subject(), platform),
                trigger, alert.platforms(), own, alert.amountTotal(), alert.currency(), alert.legalTier(),
                alert.details(), alert.recommendedAction(), alert.ruleSetVersion(), alert.eventTime(),
                alert.detectedAt(), summaries);
    }

    /** A fallback person key is {@code platform:accountId}: only its own platform may see it. */
    private static Subject viewOfSubject(Subject subject, String platform) {
        if (subject.kind() == SubjectKind.IDENTITY
                && PersonKeys.isFallback(subject.key())
                && !subject.key().startsWith(platform + ":")) {
            return new Subject(subject.kind(), "other-platform-account");
        }
        return subject;
    }

    private static PlatformSummary summarise(String platform, List<AlertRequest> requests) {
        BigDecimal total = BigDecimal.ZERO;
        String currency = null;
        String first = null;
        String last = null;
        for (AlertRequest r : requests) {
            total = total.add(new BigDecimal(r.amount()));
            currency = currency == null || currency.equals(r.currency()) ? r.currency() : "MIXED";
            // ISO strings in one platform's offset compare chronologically only per offset;
            // requests come sorted by time already, so first and last are taken by position.
            first = first == null ? r.occurredAt() : first;
            last = r.occurredAt();
        }
        return new PlatformSummary(platform, requests.size(), total.toPlainString(), currency, first, last);
    }
}
