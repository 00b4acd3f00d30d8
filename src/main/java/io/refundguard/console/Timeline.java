package io.refundguard.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.alerts.LegalTier;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The person's timeline on a case page: every request that any case on the case's subject lists in
 * the viewer's view, once per {@code platform:requestId}, newest first, with the detector's verdict
 * of it, the cases it appears in and the console's latest decision on it; the other platforms'
 * summaries as the view carries them; and the totals.
 *
 * <p>Newest first, like the inbox: the request that raised the case is usually the latest and comes
 * first, and when a subject has more requests than a page shows (a merchant, a shared photo), the
 * rows cut are the oldest. The totals always count every request.
 *
 * <p>A platform's view lists only that platform's requests and reduces the others to a count, an
 * amount and a time span per case. Those summaries cannot be deduplicated across cases (they carry
 * no request ids), so per platform the timeline says "at least" the largest one: the union of the
 * cases' requests is never smaller.
 *
 * @param subject {@code kind:key}, null when the alert names no subject (the case alone)
 * @param entries newest first, at most {@link #MAX_ENTRIES}
 */
public record Timeline(String subject, List<Entry> entries, List<OtherPlatform> otherPlatforms, Totals totals) {
    /** Rows a case page and the API list; the totals count all. */
    static final int MAX_ENTRIES = 500;

    /**
     * The national floors of the SPC/SPP interpretation on fraud cases (2011, art. 1), the shipped
     * {@code rules.amountTier} defaults: the console reads no detector configuration, offline or live.
     */
    static final BigDecimal LARGE = new BigDecimal("3000");
    static final BigDecimal HUGE = new BigDecimal("30000");
    static final BigDecimal ESPECIALLY_HUGE = new BigDecimal("500000");
    static final String LAW_CURRENCY = "CNY";

    /** A case a request appears in. */
    public record CaseRef(String alertId, String pattern, String eventTime) {}

    /** The console's latest decision covering a request: on which case, what, who, when. */
    public record DecisionMark(String alertId, Disposition verdict, String user, String decidedAt) {}

    /**
     * One request.
     *
     * @param verdict null when the view has no verdict of it
     * @param decision null when no decision in the console covers it
     * @param inThisCase listed by the case whose page this is
     */
    public record Entry(String occurredAt, String platform, String requestId, String accountId, String amount,
            String currency, SubjectIndex.VerdictMark verdict, List<CaseRef> cases, DecisionMark decision,
            boolean inThisCase) {}

    /** Another platform as a platform's view summarises it: lower bounds over the cases' summaries. */
    public record OtherPlatform(String platform, int requestsAtLeast, BigDecimal amountAtLeast, String currency,
            String firstOccurredAt, String lastOccurredAt, List<String> alertIds) {}

    /**
     * @param requests the listed requests and the other platforms' lower bounds
     * @param listedRequests distinct requests listed (all of them, also beyond {@link #MAX_ENTRIES})
     * @param platforms platforms of the listed requests and of the other platforms' summaries
     * @param amounts sum of the listed requests and the other platforms' lower bounds, per currency
     * @param otherRequestsAtLeast requests on other platforms, at least (0 in the operator's view)
     * @param legalTier of the CNY amount; null when no amount is in CNY
     */
    public record Totals(int requests, int listedRequests, int platforms, Map<String, BigDecimal> amounts, int cases,
            int otherRequestsAtLeast, LegalTier legalTier) {
        public boolean atLeast() {
            return otherRequestsAtLeast > 0;
        }
    }

    /** Entries beyond {@link #MAX_ENTRIES} were left out. */
    public boolean truncated() {
        return totals.listedRequests() > entries.size();
    }

    /**
     * @param current the case whose page this is
     * @param cases every case on its subject in the viewer's view (the current one among them)
     * @param verdicts {@code platform:requestId} → the view's verdict, or null
     * @param decisions alert id → the console's decisions on it, oldest first
     */
    static Timeline build(CaseRow current, List<CaseRow> cases, Function<String, SubjectIndex.VerdictMark> verdicts,
            Function<String, List<Decision>> decisions) {
        Map<String, EntryBuilder> byRequest = new LinkedHashMap<>();
        Map<String, OtherBuilder> others = new TreeMap<>();
        String subject = null;
        List<CaseRow> ordered = new ArrayList<>(cases);
        ordered.sort(Comparator.comparing(CaseRow::eventTime, Comparator.comparing(OffsetDateTime::toInstant))
                .thenComparing(CaseRow::alertId));
        for (CaseRow row : ordered) {
            JsonNode alert = CaseJson.parse(row.line());
            if (row.alertId().equals(current.alertId())) {
                subject = SubjectIndex.subjectOf(alert);
            }
            CaseRef ref = new CaseRef(row.alertId(), row.pattern(), row.eventTime().toString());
            List<Decision> history = decisions.apply(row.alertId());
            for (JsonNode request : alert.path("requests")) {
                String platform = request.path("platform").asText(null);
                JsonNode requestId = request.get("requestId");
                if (platform == null || requestId == null || requestId.isNull()) {
                    continue;
                }
                String key = platform + ":" + requestId.asText();
                EntryBuilder entry = byRequest.computeIfAbsent(key, k -> new EntryBuilder(request, platform, requestId.asText()));
                entry.cases.add(ref);
                entry.inThisCase |= row.alertId().equals(current.alertId());
                latestCovering(row.alertId(), platform, entry.requestId, history).ifPresent(entry::offer);
            }
            for (JsonNode summary : alert.path("otherPlatforms")) {
                String platform = summary.path("platform").asText(null);
                if (platform != null) {
                    others.computeIfAbsent(platform, OtherBuilder::new).add(summary, row.alertId());
                }
            }
        }
        List<Entry> entries = new ArrayList<>();
        byRequest.forEach((key, b) -> entries.add(b.build(verdicts.apply(key))));
        entries.sort(NEWEST_FIRST);
        List<OtherPlatform> otherPlatforms = others.values().stream().map(OtherBuilder::build).toList();
        Totals totals = totals(entries, otherPlatforms, ordered.size());
        return new Timeline(subject, List.copyOf(entries.subList(0, Math.min(entries.size(), MAX_ENTRIES))),
                otherPlatforms, totals);
    }

    private static final Comparator<Entry> NEWEST_FIRST = Comparator
            .comparing((Entry e) -> instantOrNull(e.occurredAt()), Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Entry::platform).thenComparing(Entry::requestId);

    private static java.time.Instant instantOrNull(String time) {
        try {
            return time == null ? null : OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The latest decision on the case that covers the request: FRAUD and LEGITIMATE cover exactly
     * the requests they became outcome events for (the decider's view listed them); NEEDS_INFORMATION
     * becomes no event and is about the case, so it covers every request of it.
     */
    private static java.util.Optional<DecisionMark> latestCovering(String alertId, String platform, String requestId,
            List<Decision> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            Decision d = history.get(i);
            if (!d.verdict().isOutcome()
                    || d.outcomeEventIds().contains(DecisionLog.outcomeEventId(alertId, platform, requestId, d.verdict()))) {
                return java.util.Optional.of(new DecisionMark(alertId, d.verdict(), d.user(), d.decidedAt()));
            }
        }
        return java.util.Optional.empty();
    }

    private static Totals totals(List<Entry> entries, List<OtherPlatform> others, int cases) {
        Map<String, BigDecimal> amounts = new TreeMap<>();
        Set<String> platforms = new TreeSet<>();
        for (Entry e : entries) {
            platforms.add(e.platform());
            decimal(e.amount()).ifPresent(a -> amounts.merge(e.currency(), a, BigDecimal::add));
        }
        int otherRequests = 0;
        for (OtherPlatform o : others) {
            platforms.add(o.platform());
            otherRequests += o.requestsAtLeast();
            amounts.merge(o.currency(), o.amountAtLeast(), BigDecimal::add);
        }
        BigDecimal inLawCurrency = amounts.get(LAW_CURRENCY);
        LegalTier tier = inLawCurrency == null ? null : LegalTier.of(inLawCurrency, LARGE, HUGE, ESPECIALLY_HUGE);
        return new Totals(entries.size() + otherRequests, entries.size(), platforms.size(), amounts, cases, otherRequests, tier);
    }

    private static java.util.Optional<BigDecimal> decimal(String value) {
        try {
            return value == null ? java.util.Optional.empty() : java.util.Optional.of(new BigDecimal(value));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private static final class EntryBuilder {
        final String occurredAt;
        final String platform;
        final String requestId;
        final String accountId;
        final String amount;
        final String currency;
        final List<CaseRef> cases = new ArrayList<>();
        DecisionMark decision;
        boolean inThisCase;

        EntryBuilder(JsonNode request, String platform, String requestId) {
            this.occurredAt = request.path("occurredAt").asText(null);
            this.platform = platform;
            this.requestId = requestId;
            this.accountId = request.path("accountId").asText(null);
            this.amount = request.path("amount").asText(null);
            this.currency = request.path("currency").asText("");
        }

        /** Keeps the later decision (decidedAt is ISO-8601 UTC with a fixed width, so text order is time order). */
        void offer(DecisionMark mark) {
            if (decision == null || mark.decidedAt().compareTo(decision.decidedAt()) >= 0) {
                decision = mark;
            }
        }

        Entry build(SubjectIndex.VerdictMark verdict) {
            return new Entry(occurredAt, platform, requestId, accountId, amount, currency, verdict, List.copyOf(cases),
                    decision, inThisCase);
        }
    }

    private static final class OtherBuilder {
        final String platform;
        int requests;
        BigDecimal amount = BigDecimal.ZERO;
        String currency = "";
        String first;
        String last;
        final Set<String> alertIds = new java.util.LinkedHashSet<>();

        OtherBuilder(String platform) {
            this.platform = platform;
        }

        void add(JsonNode summary, String alertId) {
            alertIds.add(alertId);
            requests = Math.max(requests, summary.path("requestCount").asInt(0));
            BigDecimal a = decimal(summary.path("amountTotal").asText(null)).orElse(BigDecimal.ZERO);
            if (a.compareTo(amount) > 0) {
                amount = a;
                currency = summary.path("currency").asText("");
            }
            first = pick(first, summary.path("firstOccurredAt").asText(null), true);
            last = pick(last, summary.path("lastOccurredAt").asText(null), false);
        }

        OtherPlatform build() {
            return new OtherPlatform(platform, requests, amount, currency, first, last, List.copyOf(alertIds));
        }
    }

    /** The earlier (or later) of two times; a time that does not parse loses to one that does. */
    private static String pick(String kept, String offered, boolean earlier) {
        java.time.Instant k = instantOrNull(kept);
        java.time.Instant o = instantOrNull(offered);
        if (o == null) {
            return kept == null ? offered : kept;
        }
        return k == null || (earlier ? o.isBefore(k) : o.isAfter(k)) ? offered : kept;
    }
}
