package io.refundguard.alerts;

import io.refundguard.identity.PersonEvent;
import io.refundguard.patterns.MerchantBurst;
import io.refundguard.patterns.RuleSet;

/**
 * How many pattern operators assess a request. Every operator computes the same number from the
 * request alone, so the verdict assembler knows when it has heard from all of them.
 */
public final class AssessmentPlan {
    private AssessmentPlan() {}

    /**
     * The person's patterns always assess; a request whose evidence went through the image
     * indexes (it carries findings) is also assessed by its shared-image cluster; each link
     * attribute it carries by that attribute's ring; a refund-only request by its merchant and
     * its product.
     */
    public static int expectedFor(PersonEvent request, RuleSet rules) {
        return (request.findings() == null ? 1 : 2)
                + rules.sharedAttributeRing().attributesOf(request.event()).size()
                + MerchantBurst.keysOf(request.event()).size();
    }
}
