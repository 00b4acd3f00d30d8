package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.alerts.Severity;
import io.refundguard.events.OutcomeVerdict;
import io.refundguard.job.config.ConfigLoader;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RepeatRefunderTest {
    private static final RuleSet RULES = ConfigLoader.load(List.of()).rules();
    private static final RepeatRefunderRule RULE = new RepeatRefunderRule(Duration.ofDays(30), 4, 2, 8);
    private static final long T0 = 1_793_498_400_000L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final List<RequestRecord> history = new ArrayList<>();
    private int next;

    private RequestRecord add(String platform, long occurredAt, boolean refundOnly, String amount, String currency,
            OutcomeVerdict outcome) {
        RequestRecord r = new RequestRecord(platform, "r" + (++next), "acct-" + platform, occurredAt, 8 * 3600,
                refundOnly, new BigDecimal(amount), currency, false, null, outcome);
        history.add(r);
        return r;
    }

    private RequestRecord refundOnly(String platform, long occurredAt) {
        return add(platform, occurredAt, true, "100.00", "CNY", null);
    }

    private Optional<PatternFinding> evaluate(long at) {
        return RepeatRefunder.evaluate(RULE, RULES.amountTier(), history, at);
    }

    @Test
    void holdsAtMinRequestsWithinTheWindowOnly() {
        refundOnly("tb", T0);
        refundOnly("tb", T0 + DAY);
        refundOnly("tb", T0 + 2 * DAY);
        assertThat(evaluate(T0 + 2 * DAY)).isEmpty();

        refundOnly("tb", T0 + 3 * DAY);
        PatternFinding f = evaluate(T0 + 3 * DAY).orElseThrow();

        assertThat(f.pattern()).isEqualTo(PatternCode.REPEAT_REFUNDER);
        assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(f.requests()).hasSize(4);
        assertThat(f.amountTotal()).isEqualByComparingTo("400.00");
        assertThat(f.currency()).isEqualTo("CNY");
        assertThat(f.details()).containsEntry("requestCount", 4).containsEntry("minRequests", 4)
                .containsEntry("window", "30d").containsEntry("platformCount", 1)
                .containsEntry("firstRequestAt", "2026-11-01T10:00:00.000+08:00")
                .containsEntry("lastRequestAt", "2026-11-04T10:00:00.000+08:00")
                .doesNotContainKey("requestsWithoutExchangeRate");
    }

    @Test
    void aRequestExactlyOneWindowBeforeIsOutsideIt() {
        long window = RULE.window().toMillis();
        refundOnly("tb", T0);
        refundOnly("tb", T0 + 10 * DAY);
        refundOnly("tb", T0 + 20 * DAY);
        refundOnly("tb", T0 + window);

        assertThat(evaluate(T0 + window)).as("(at - window, at]: the first is exactly a window old").isEmpty();
        assertThat(evaluate(T0 + window - 1)).as("one millisecond earlier the last is not there yet").isEmpty();

        RequestRecord justInside = refundOnly("jd", T0 + 1);
        assertThat(evaluate(T0 + window)).get().extracting(PatternFinding::requests).asList().contains(justInside)
                .hasSize(4);
    }

    @Test
    void requestsAfterTheEvaluationTimeDoNotCount() {
        for (int i = 0; i < 3; i++) {
            refundOnly("tb", T0 + i * DAY);
        }
        refundOnly("tb", T0 + 5 * DAY);
        assertThat(evaluate(T0 + 4 * DAY)).isEmpty();
    }

    @Test
    void returnAndRefundRequestsNeverCount() {
        for (int i = 0; i < 3; i++) {
            refundOnly("tb", T0 + i * DAY);
        }
        for (int i = 0; i < 6; i++) {
            add("jd", T0 + i * DAY + 1, false, "100.00", "CNY", null);
        }
        assertThat(evaluate(T0 + 10 * DAY)).isEmpty();

        refundOnly("tb", T0 + 7 * DAY);
        PatternFinding f = evaluate(T0 + 10 * DAY).orElseThrow();
        assertThat(f.requests()).hasSize(4).allSatisfy(r -> assertThat(r.refundOnly()).isTrue());
        assertThat(f.severity()).as("the jd returns do not make it cross-platform").isEqualTo(Severity.MEDIUM);
    }

    @Test
    void requestsClearedAsLegitimateNeverCountButConfirmedFraudDoes() {
        refundOnly("tb", T0);
        refundOnly("tb", T0 + DAY);
        refundOnly("tb", T0 + 2 * DAY);
        add("tb", T0 + 3 * DAY, true, "100.00", "CNY", OutcomeVerdict.LEGITIMATE);
        assertThat(evaluate(T0 + 4 * DAY)).isEmpty();

        add("tb", T0 + 4 * DAY, true, "100.00", "CNY", OutcomeVerdict.FRAUD);
        assertThat(evaluate(T0 + 4 * DAY)).get().extracting(f -> f.requests().size()).isEqualTo(4);
    }

    @Test
    void severityRisesWithPlatformSpreadAndCount() {
        for (int i = 0; i < 3; i++) {
            refundOnly("tb", T0 + i * DAY);
        }
        refundOnly("jd", T0 + 3 * DAY);
        PatternFinding four = evaluate(T0 + 3 * DAY).orElseThrow();
        assertThat(four.severity()).isEqualTo(Severity.HIGH);
        assertThat(four.details()).containsEntry("platformCount", 2);

        for (int i = 4; i < 7; i++) {
            refundOnly("pdd", T0 + i * DAY);
        }
        assertThat(evaluate(T0 + 6 * DAY)).get().extracting(PatternFinding::severity)
                .as("7 requests: below criticalRequests").isEqualTo(Severity.HIGH);

        refundOnly("pdd", T0 + 7 * DAY);
        assertThat(evaluate(T0 + 7 * DAY)).get().extracting(PatternFinding::severity).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void manyRequestsOnOnePlatformStayMedium() {
        for (int i = 0; i < 12; i++) {
            refundOnly("tb", T0 + i * DAY);
        }
        assertThat(evaluate(T0 + 12 * DAY)).get().extracting(PatternFinding::severity).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void requestsAreListedOldestFirst() {
        refundOnly("tb", T0 + 3 * DAY);
        refundOnly("jd", T0 + DAY);
        refundOnly("tb", T0 + 2 * DAY);
        refundOnly("pdd", T0);
        assertThat(evaluate(T0 + 3 * DAY).orElseThrow().requests()).extracting(RequestRecord::occurredAt)
                .containsExactly(T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY);
    }

    @Test
    void amountsWithoutAnExchangeRateAreCountedApartNotSummed() {
        AmountTierRule withUsd = new AmountTierRule(Duration.ofDays(730), "CNY", new BigDecimal("3000"),
                new BigDecimal("30000"), new BigDecimal("500000"), Map.of("USD", new BigDecimal("7.10")));
        add("tb", T0, true, "100.00", "CNY", null);
        add("tb", T0 + DAY, true, "10.00", "USD", null);
        add("tb", T0 + 2 * DAY, true, "5000", "JPY", null);
        add("tb", T0 + 3 * DAY, true, "1.00", "EUR", null);

        PatternFinding f = RepeatRefunder.evaluate(RULE, withUsd, history, T0 + 3 * DAY).orElseThrow();

        assertThat(f.requests()).as("every request counts toward the pattern").hasSize(4);
        assertThat(f.amountTotal()).isEqualByComparingTo("171.00");
        assertThat(f.details()).containsEntry("requestsWithoutExchangeRate", 2);
    }
}
