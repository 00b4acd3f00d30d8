package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.alerts.LegalTier;
import io.refundguard.alerts.Severity;
import io.refundguard.events.OutcomeVerdict;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AmountTierTest {
    private static final AmountTierRule RULE = new AmountTierRule(Duration.ofDays(730), "CNY",
            new BigDecimal("3000"), new BigDecimal("30000"), new BigDecimal("500000"),
            Map.of("USD", new BigDecimal("7.10")));
    private static final long T0 = 1_793_498_400_000L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final List<RequestRecord> history = new ArrayList<>();
    private int next;

    private RequestRecord add(String platform, long occurredAt, String amount, String currency, boolean imageSignal,
            OutcomeVerdict outcome) {
        RequestRecord r = new RequestRecord(platform, "r" + (++next), "acct-" + platform, occurredAt, 8 * 3600, true,
                new BigDecimal(amount), currency, imageSignal, null, outcome);
        history.add(r);
        return r;
    }

    private RequestRecord suspect(String amount, long occurredAt) {
        return add("tb", occurredAt, amount, "CNY", true, null);
    }

    private Optional<PatternFinding> evaluate(long at) {
        return AmountTier.evaluate(RULE, history, at);
    }

    @ParameterizedTest(name = "{0} CNY -> {1}")
    @CsvSource({
        "2999.99, ADMINISTRATIVE", "3000, LARGE", "3000.00, LARGE", "29999.99, LARGE", "30000, HUGE",
        "499999.99, HUGE", "500000, ESPECIALLY_HUGE", "500000.01, ESPECIALLY_HUGE"
    })
    void tiersStartExactlyAtTheirThresholds(String amount, LegalTier tier) {
        suspect(amount, T0);
        Optional<PatternFinding> finding = evaluate(T0);

        if (tier == LegalTier.ADMINISTRATIVE) {
            assertThat(finding).isEmpty();
            return;
        }
        PatternFinding f = finding.orElseThrow();
        assertThat(f.pattern()).isEqualTo(PatternCode.AMOUNT_TIER);
        assertThat(f.details()).containsEntry("tier", tier.name());
        assertThat(f.level()).isEqualTo(tier.ordinal());
        assertThat(f.severity()).isEqualTo(tier == LegalTier.LARGE ? Severity.HIGH : Severity.CRITICAL);
        assertThat(f.amountTotal()).isEqualByComparingTo(amount);
    }

    @Test
    void theDetailsNameTheThresholdReached() {
        suspect("20000", T0);
        suspect("10000", T0 + DAY);
        PatternFinding f = evaluate(T0 + DAY).orElseThrow();
        assertThat(f.details()).containsEntry("suspectAmount", "30000").containsEntry("threshold", "30000")
                .containsEntry("tier", "HUGE").containsEntry("window", "730d").containsEntry("suspectRequests", 2)
                .containsEntry("withImageSignal", 2L).containsEntry("confirmedFraud", 0L);
    }

    @Test
    void amountsOfSeveralPlatformsAddUp() {
        add("tb", T0, "1500", "CNY", true, null);
        add("jd", T0 + DAY, "1000", "CNY", true, null);
        assertThat(evaluate(T0 + DAY)).isEmpty();
        add("pdd", T0 + 2 * DAY, "500", "CNY", false, OutcomeVerdict.FRAUD);

        PatternFinding f = evaluate(T0 + 2 * DAY).orElseThrow();
        assertThat(f.requests()).extracting(RequestRecord::platform).containsExactly("tb", "jd", "pdd");
        assertThat(f.details()).containsEntry("tier", "LARGE").containsEntry("confirmedFraud", 1L);
    }

    @Test
    void requestsWithoutImageSignalOrConfirmedFraudNeverCount() {
        add("tb", T0, "100000", "CNY", false, null);
        add("tb", T0 + DAY, "100000", "CNY", false, OutcomeVerdict.LEGITIMATE);
        assertThat(evaluate(T0 + DAY)).isEmpty();
    }

    @Test
    void anImageSignalClearedAsLegitimateNeverCounts() {
        add("tb", T0, "2000", "CNY", true, null);
        add("tb", T0 + DAY, "5000", "CNY", true, OutcomeVerdict.LEGITIMATE);
        assertThat(evaluate(T0 + DAY)).isEmpty();

        add("tb", T0 + 2 * DAY, "1000", "CNY", true, null);
        assertThat(evaluate(T0 + 2 * DAY)).get().extracting(PatternFinding::amountTotal)
                .isEqualTo(new BigDecimal("3000"));
    }

    @Test
    void onlyTheWindowCounts() {
        long window = RULE.window().toMillis();
        suspect("2000", T0);
        suspect("1000", T0 + window);
        assertThat(evaluate(T0 + window)).as("the 2000 is exactly a window old: out").isEmpty();

        suspect("1000", T0 + window - 1);
        assertThat(evaluate(T0 + window - 1)).as("one millisecond earlier the 2000 is still in")
                .get().extracting(PatternFinding::amountTotal).isEqualTo(new BigDecimal("3000"));
        assertThat(evaluate(T0 + window)).as("2000 of the two later ones only").isEmpty();
    }

    @Test
    void otherCurrenciesCountAtTheirRateAndCurrenciesWithoutOneAreCountedApart() {
        add("tb", T0, "400.00", "USD", true, null); // 2840.0000 CNY
        add("jd", T0 + DAY, "160.00", "CNY", true, null);
        add("pdd", T0 + 2 * DAY, "9999999", "JPY", true, null);

        PatternFinding f = evaluate(T0 + 2 * DAY).orElseThrow();

        assertThat(f.amountTotal()).isEqualByComparingTo("3000");
        assertThat(f.currency()).isEqualTo("CNY");
        assertThat(f.details()).containsEntry("tier", "LARGE").containsEntry("requestsWithoutExchangeRate", 1)
                .containsEntry("suspectRequests", 3);
    }

    @Test
    void aCurrencyWithoutRateAloneNeverReachesATier() {
        add("tb", T0, "100000000", "JPY", true, null);
        assertThat(evaluate(T0)).isEmpty();
    }
}
