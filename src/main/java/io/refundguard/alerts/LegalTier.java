package io.refundguard.alerts;

import java.math.BigDecimal;

/**
 * Fraud amount tiers of Criminal Law art. 266 (诈骗罪) as set by the SPC/SPP interpretation on
 * fraud cases; below the first tier a case is administrative (Public Security Administration
 * Punishments Law). The thresholds are configuration because provinces choose their own within
 * the national ranges.
 */
public enum LegalTier {
    ADMINISTRATIVE,
    /** 数额较大 */
    LARGE,
    /** 数额巨大 */
    HUGE,
    /** 数额特别巨大 */
    ESPECIALLY_HUGE;

    public static LegalTier of(BigDecimal amount, BigDecimal large, BigDecimal huge, BigDecimal especiallyHuge) {
        if (amount.compareTo(especiallyHuge) >= 0) {
            return ESPECIALLY_HUGE;
        }
        if (amount.compareTo(huge) >= 0) {
            return HUGE;
        }
        if (amount.compareTo(large) >= 0) {
            return LARGE;
        }
        return ADMINISTRATIVE;
    }
}
