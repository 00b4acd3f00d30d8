package io.refundguard.patterns;

import io.refundguard.alerts.LegalTier;
import io.refundguard.settings.Check;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * AMOUNT_TIER: a person's suspect refund amount within {@code window}, in {@code currency}, against
 * the legal tiers.
 */
public record AmountTierRule(
        Duration window,
        String currency,
        BigDecimal large,
        BigDecimal huge,
        BigDecimal especiallyHuge,
        Map<String, BigDecimal> exchangeRates)
        implements Serializable {
    public AmountTierRule {
        Check.positive("window", window);
        Check.notBlank("currency", currency);
        Check.positive("large", large);
        Check.positive("huge", huge);
        Check.positive("especiallyHuge", especiallyHuge);
        if (huge.compareTo(large) <= 0) {
            throw new IllegalArgumentException("huge: expected an amount above large (" + large.toPlainString()
                    + "), got " + huge.toPlainString());
        }
        if (especiallyHuge.compareTo(huge) <= 0) {
            throw new IllegalArgumentException("especiallyHuge: expected an amount above huge ("
                    + huge.toPlainString() + "), got " + especiallyHuge.toPlainString());
        }
        exchangeRates = Map.copyOf(Check.present("exchangeRates", exchangeRates));
        exchangeRates.forEach((code, rate) -> Check.positive("exchangeRates." + code, rate));
    }

    public LegalTier tierOf(BigDecimal amount) {
        return LegalTier.of(amount, large, huge, especiallyHuge);
    }

    /** The amount in the tier currency, or empty when no rate is configured for its currency. */
    public Optional<BigDecimal> inTierCurrency(BigDecimal amount, String amountCurrency) {
        if (currency.equals(amountCurrency)) {
            return Optional.of(amount);
        }
        BigDecimal rate = exchangeRates.get(amountCurrency);
        return rate == null ? Optional.empty() : Optional.of(amount.multiply(rate));
    }
}
