package io.refundguard.console;

import java.util.Locale;

/**
 * What a reviewer decided. FRAUD and LEGITIMATE are ground truth and become {@code REFUND_OUTCOME}
 * events the detector learns from; NEEDS_INFORMATION only marks the case in the console, because the
 * contract's outcome has no such verdict.
 */
public enum Disposition {
    FRAUD, LEGITIMATE, NEEDS_INFORMATION;

    public boolean isOutcome() {
        return this != NEEDS_INFORMATION;
    }

    /** @throws IllegalArgumentException naming what was expected */
    public static Disposition parse(String text) {
        if (text != null) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("verdict: expected FRAUD, LEGITIMATE or NEEDS_INFORMATION, got \"" + text + "\"");
    }
}
