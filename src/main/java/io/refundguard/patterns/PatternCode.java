package io.refundguard.patterns;

import java.util.Arrays;

/** The pattern codes of the contract. */
public enum PatternCode {
    REPEAT_REFUNDER,
    AMOUNT_TIER,
    IMAGE_REUSE,
    CATALOG_IMAGE_MATCH,
    AI_GENERATED_EVIDENCE,
    SHARED_ATTRIBUTE_RING,
    MERCHANT_BURST,
    /**
     * Not an alert pattern: a verdict reason saying an evidence photo given only as a uri could
     * not be fetched or decoded, so no image pattern could check it.
     */
    EVIDENCE_UNREADABLE,
    /**
     * Not an alert pattern: a verdict reason saying an evidence photo's PDQ quality is below the
     * index's floor ({@code images.qualityFloor}), too featureless for the image patterns to
     * match: whatever it shows went unchecked.
     */
    EVIDENCE_LOW_QUALITY,
    /**
     * Not an alert pattern: a verdict reason saying an earlier request of the same person was
     * confirmed fraud by a REFUND_OUTCOME, so their later requests deserve a closer look.
     */
    CONFIRMED_FRAUD_HISTORY,
    /**
     * Alert only, never a verdict reason: the platform approved a request automatically although
     * its verdict said hold. It is about a decision taken after the verdict, so it has no weight.
     */
    AUTOMATIC_APPROVAL_AFTER_HOLD;

    /** The codes that can add points to a verdict's riskScore, each with a weight in the rules. */
    public static PatternCode[] scoredInVerdicts() {
        return Arrays.stream(values()).filter(code -> code != AUTOMATIC_APPROVAL_AFTER_HOLD).toArray(PatternCode[]::new);
    }
}
