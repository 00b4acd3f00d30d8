package io.refundguard.patterns;

import io.refundguard.alerts.Severity;
import io.refundguard.events.EventType;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.Times;
import io.refundguard.settings.Durations;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * MERCHANT_BURST: many distinct persons suddenly filing refund-only requests against one merchant
 * or one product, measured against that subject's own history, so a big shop's ordinary volume is
 * not a burst and a small shop's sudden forty is. Distinct persons, because one person filing
 * forty times is REPEAT_REFUNDER's case, not a coordinated campaign.
 */
public final class MerchantBurst {
    /** Key prefixes of a shop and a product; a seller across platforms is keyed by its identity hash alone. */
    public static final String MERCHANT = "merchant";
    public static final String PRODUCT = "product";
    /** Floating-point slack when comparing a decayed average with the default. */
    private static final double SLACK = 1e-9;

    private MerchantBurst() {}

    /**
     * The subjects a request counts toward: its merchant and its product, for a refund-only
     * request; nothing otherwise (a buyer who returns the goods is not part of a refund-only
     * campaign). The merchant is the seller across platforms, its {@code merchantIdentityHash},
     * when the platform sent it: a ring spreading its claims over one seller's shops on several
     * platforms stays under each shop's floor but not under the seller's. Without it the merchant
     * is its shop on one platform. Products are listed per platform, so a product stays per shop.
     */
    public static List<String> keysOf(RefundEvent event) {
        if (event == null || event.type() != EventType.REFUND_REQUESTED || !event.isRefundOnly()) {
            return List.of();
        }
        String shop = event.platform() + ":" + event.merchantId();
        String merchant = event.merchantIdentityHash() != null ? event.merchantIdentityHash() : MERCHANT + ":" + shop;
        return List.of(merchant, PRODUCT + ":" + shop + ":" + event.productId());
    }

    /** Whether a subject key is a seller across platforms (a bare identity hash) rather than one shop or product. */
    static boolean isSellerIdentity(String subjectKey) {
        return !subjectKey.startsWith(MERCHANT + ":") && !subjectKey.startsWith(PRODUCT + ":");
    }

    public static long bucketStart(MerchantBurstRule rule, long time) {
        long size = rule.bucket().toMillis();
        return Math.floorDiv(time, size) * size;
    }

    /** A subject seen for the first time: no history, the default average, its bucket open. */
    public static MerchantBaseline start(MerchantBurstRule rule, long at) {
        return new MerchantBaseline(List.of(rule.defaultBaselinePerBucket()), bucketStart(rule, at), 0);
    }

    /**
     * Folds every bucket that ended at or before {@code now} into the average: the distinct persons
     * among {@code members} in each, zero for buckets without requests. Buckets already folded are
     * not revisited, so a request arriving after its bucket closed (late) is counted in the window
     * but not in the history.
     */
    public static MerchantBaseline closeBuckets(MerchantBurstRule rule, MerchantBaseline baseline,
            Iterable<PersonRequest> members, long now) {
        long target = bucketStart(rule, now);
        if (target <= baseline.closedUntil()) {
            return baseline;
        }
        Map<Long, Set<String>> personsByBucket = new HashMap<>();
        for (PersonRequest member : members) {
            long bucket = bucketStart(rule, member.request().occurredAt());
            if (bucket >= baseline.closedUntil() && bucket < target) {
                personsByBucket.computeIfAbsent(bucket, b -> new HashSet<>()).add(member.personKey());
            }
        }
        long size = rule.bucket().toMillis();
        double alpha = rule.alpha();
        int keep = averagesKept(rule);
        ArrayDeque<Double> averages = new ArrayDeque<>(baseline.averages());
        double average = baseline.perBucket();
        // Bucket by bucket: silence is bounded (a silent subject is forgotten), so this is at
        // most a few hundred steps, and each boundary's value is at hand for the ones kept.
        for (long bucket = baseline.closedUntil(); bucket < target; bucket += size) {
            Set<String> persons = personsByBucket.get(bucket);
            average = alpha * (persons == null ? 0 : persons.size()) + (1 - alpha) * average;
            averages.addLast(average);
            if (averages.size() > keep) {
                averages.removeFirst();
            }
        }
        long closed = baseline.bucketsClosed() + (target - baseline.closedUntil()) / size;
        return new MerchantBaseline(List.copyOf(averages), target, (int) Math.min(Integer.MAX_VALUE, closed));
    }

    /**
     * The average after every bucket that ended at or before {@code time}, or the oldest kept when
     * {@code time} is further back (only a late request asks that).
     */
    static double averageAsOf(MerchantBurstRule rule, MerchantBaseline baseline, long time) {
        int back = bucketsBack(rule, baseline, time);
        List<Double> averages = baseline.averages();
        return averages.get(Math.max(0, averages.size() - 1 - back));
    }

    /** How many boundaries before {@code closedUntil} the last one at or before {@code time} lies. */
    private static int bucketsBack(MerchantBurstRule rule, MerchantBaseline baseline, long time) {
        long back = (baseline.closedUntil() - bucketStart(rule, time)) / rule.bucket().toMillis();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, back));
    }

    /** Boundaries a window can reach back over, plus the one it starts after. */
    private static int averagesKept(MerchantBurstRule rule) {
        return (int) Math.ceil(rule.bucketsPerWindow()) + 2;
    }

    /**
     * When, without further requests, the average will have decayed to the default: from then on
     * the subject's history says nothing the default does not, and it can be forgotten. A subject
     * at or below the default can be forgotten at once (starting over at the default is, if
     * anything, less sensitive, and the floor is what guards quiet merchants).
     */
    public static long forgetAt(MerchantBurstRule rule, MerchantBaseline baseline) {
        double ratio = baseline.perBucket() / rule.defaultBaselinePerBucket();
        if (ratio <= 1 + SLACK) {
            return baseline.closedUntil();
        }
        double decay = 1 - rule.alpha();
        long buckets = decay <= 0 ? 1 : Math.max(1, (long) Math.ceil(Math.log(ratio) / -Math.log(decay)));
        return baseline.closedUntil() + buckets * rule.bucket().toMillis();
    }

    /**
     * @param subjectKey the merchant or product key the members were counted under
     * @param members requests kept for the subject; those outside {@code (at - window, at]} and
     *     return-and-refund ones are ignored
     */
    public static Optional<PatternFinding> evaluate(MerchantBurstRule rule, AmountTierRule amounts, String subjectKey,
            MerchantBaseline baseline, Iterable<PersonRequest> members, long at) {
        long windowStart = at - rule.window().toMillis();
        List<RequestRecord> requests = new ArrayList<>();
        Set<String> persons = new HashSet<>();
        for (PersonRequest member : members) {
            RequestRecord r = member.request();
            if (r.refundOnly() && r.occurredAt() > windowStart && r.occurredAt() <= at) {
                requests.add(r);
                persons.add(member.personKey());
            }
        }
        // The baseline from before the window began, so the window's own buckets do not count
        // toward the bar they are measured against.
        double before = averageAsOf(rule, baseline, windowStart);
        boolean fromHistory = baseline.bucketsClosed() > bucketsBack(rule, baseline, windowStart);
        double expected = before * rule.bucketsPerWindow();
        double threshold = Math.max(rule.floor(), rule.factor() * expected);
        if (persons.size() < threshold) {
            return Optional.empty();
        }
        requests.sort(Comparator.comparingLong(RequestRecord::occurredAt).thenComparing(r -> r.key().toString()));
        Severity severity = persons.size() >= rule.highMultiple() * threshold ? Severity.HIGH : Severity.MEDIUM;

        RequestRecord first = requests.get(0);
        RequestRecord last = requests.get(requests.size() - 1);
        boolean product = subjectKey.startsWith(PRODUCT + ":");
        RepeatRefunder.Sums sums = RepeatRefunder.Sums.of(amounts, requests);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scope", product ? "PRODUCT" : "MERCHANT");
        if (isSellerIdentity(subjectKey)) {
            // Every involved platform sees these details: counts per platform, no shop's own ids.
            details.put("merchantIdentityHash", subjectKey);
            details.put("requestsByPlatform", countByPlatform(requests));
        } else {
            details.put("platform", last.platform());
            details.put("merchantId", last.merchantId());
        }
        if (product) {
            details.put("productId", last.productId());
        }
        details.put("distinctPersons", persons.size());
        details.put("requestCount", requests.size());
        details.put("window", Durations.format(rule.window()));
        details.put("bucket", Durations.format(rule.bucket()));
        details.put("observedPerBucket", round(persons.size() / rule.bucketsPerWindow()));
        details.put("baselinePerBucket", round(before));
        details.put("baselineSource", fromHistory ? "history" : "default");
        details.put("expectedInWindow", round(expected));
        details.put("factor", rule.factor());
        details.put("floor", rule.floor());
        details.put("threshold", round(threshold));
        details.put("firstRequestAt", Times.format(first.occurredAt(), first.utcOffsetSeconds()));
        details.put("lastRequestAt", Times.format(last.occurredAt(), last.utcOffsetSeconds()));
        sums.describeUnconverted(details);
        return Optional.of(new PatternFinding(PatternCode.MERCHANT_BURST, severity, 0, requests, sums.total(),
                amounts.currency(), details));
    }

    private static Map<String, Integer> countByPlatform(List<RequestRecord> requests) {
        Map<String, Integer> counts = new TreeMap<>();
        for (RequestRecord r : requests) {
            counts.merge(r.platform(), 1, Integer::sum);
        }
        return counts;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
