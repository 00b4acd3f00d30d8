package io.refundguard.patterns;

import io.refundguard.identity.PersonEvent;

/**
 * How many pattern operators assess a request. Every operator computes the same number from the
 * request alone, never from the rules: operators may apply a rule update a moment apart, and a
 * count that depended on it could leave a verdict waiting forever.
 */
public final class AssessmentPlan {
    private AssessmentPlan() {}

    /**
     * The person's patterns always assess; a request whose evidence went through the image
     * indexes (it carries findings) is also assessed by its shared-image cluster; each link
     * attribute it carries by that attribute's ring (also kinds the rules leave out); a refund-only request by its merchant and
     * its product.
     */
    public static int expectedFor(PersonEvent request) {
        return (request.findings() == null ? 1 : 2)
                + SharedAttributeRingRule.allAttributesOf(request.event()).size()
                + MerchantBurst.keysOf(request.event()).size();
    }
}
