package io.refundguard.patterns;

import io.refundguard.alerts.Severity;
import io.refundguard.events.Times;
import io.refundguard.identity.PersonKeys;
import io.refundguard.settings.Durations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * SHARED_ATTRIBUTE_RING: distinct persons filing refund-only requests through one device, card or
 * address within a sliding event-time window. One finding per attribute, naming every person and
 * request in the window, so a growing ring is one case that escalates (its level is the person
 * count) rather than one alert per pair of accounts.
 */
public final class SharedAttributeRing {
    private SharedAttributeRing() {}

    /**
     * @param attributeKey {@link AttributeKey#key()} of the attribute the members share
     * @param members requests kept for the attribute; those outside {@code (at - window, at]} and
     *     return-and-refund ones are ignored
     */
    public static Optional<PatternFinding> evaluate(SharedAttributeRingRule rule, AmountTierRule amounts,
            String attributeKey, Iterable<PersonRequest> members, long at) {
        long windowStart = at - rule.window().toMillis();
        List<PersonRequest> counted = new ArrayList<>();
        TreeSet<String> persons = new TreeSet<>();
        for (PersonRequest member : members) {
            RequestRecord r = member.request();
            if (r.refundOnly() && r.occurredAt() > windowStart && r.occurredAt() <= at) {
                counted.add(member);
                persons.add(member.personKey());
            }
        }
        if (persons.size() < rule.minPersons()) {
            return Optional.empty();
        }
        counted.sort(Comparator.comparingLong((PersonRequest m) -> m.request().occurredAt())
                .thenComparing(m -> m.request().key().toString()));
        List<RequestRecord> requests = counted.stream().map(PersonRequest::request).toList();
        TreeSet<String> platforms = new TreeSet<>();
        requests.forEach(r -> platforms.add(r.platform()));
        Severity severity = persons.size() >= rule.criticalPersons() ? Severity.CRITICAL : Severity.HIGH;

        RepeatRefunder.Sums sums = RepeatRefunder.Sums.of(amounts, requests);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("attributeKind", AttributeKey.kindOf(attributeKey));
        details.put("personCount", persons.size());
        details.put("minPersons", rule.minPersons());
        details.put("criticalPersons", rule.criticalPersons());
        details.put("requestCount", requests.size());
        details.put("window", Durations.format(rule.window()));
        details.put("platformCount", platforms.size());
        describePersons(persons, details);
        RequestRecord first = requests.get(0);
        RequestRecord last = requests.get(requests.size() - 1);
        details.put("firstRequestAt", Times.format(first.occurredAt(), first.utcOffsetSeconds()));
        details.put("lastRequestAt", Times.format(last.occurredAt(), last.utcOffsetSeconds()));
        sums.describeUnconverted(details);
        return Optional.of(new PatternFinding(PatternCode.SHARED_ATTRIBUTE_RING, severity, persons.size(), requests,
                sums.total(), amounts.currency(), details));
    }

    /**
     * Persons by their cross-platform identity hash (a consortium HMAC, the same on every
     * platform). A person without one is keyed by {@code platform:accountId}, a platform-local id
     * that the per-platform alert views must not show to other platforms, and details reach every
     * view unchanged: such persons are counted per platform here, and their account ids appear
     * only in the request listing, which the views reduce.
     */
    private static void describePersons(TreeSet<String> persons, Map<String, Object> details) {
        List<String> identities = new ArrayList<>();
        Map<String, Integer> accountsOnly = new TreeMap<>();
        for (String person : persons) {
            if (PersonKeys.isFallback(person)) {
                accountsOnly.merge(person.substring(0, person.indexOf(':')), 1, Integer::sum);
            } else {
                identities.add(person);
            }
        }
        details.put("persons", identities);
        if (!accountsOnly.isEmpty()) {
            details.put("personsWithoutIdentityHashByPlatform", accountsOnly);
        }
    }
}
