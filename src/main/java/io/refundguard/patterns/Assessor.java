package io.refundguard.patterns;

import io.refundguard.alerts.SubjectKind;
import io.refundguard.identity.PersonEvent;
import java.util.List;

/**
 * The pattern operators that assess requests, each with the keys a request reaches it by. An
 * operator sends exactly one assessment per request and key, so a verdict is complete after the
 * sum over this list ({@link AssessmentPlan}). The job wires one operator per assessor, keyed by
 * these keys; an assessor added here is counted at once, and the job does not compile until it
 * is wired.
 *
 * <p>The keys depend on the request alone, never on the rules: operators may apply a rule update a
 * moment apart, and a count that depended on it could leave a verdict waiting forever. So the
 * rings get every link attribute a request carries and the bursts every refund-only request, and
 * assess what their rules leave out without a reason.
 */
public enum Assessor {
    /** The person's own patterns: one key, the person. */
    PERSON(SubjectKind.IDENTITY) {
        @Override
        public List<String> keysOf(PersonEvent request) {
            return List.of(request.personKey());
        }
    },
    /** The shared-image cluster, for a request whose evidence went through the image indexes. */
    IMAGE_CLUSTER(SubjectKind.IMAGE) {
        @Override
        public List<String> keysOf(PersonEvent request) {
            return request.findings() == null ? List.of() : List.of(ClusterKeys.of(request));
        }
    },
    /** The rings of every link attribute a refund-only request carries. */
    ATTRIBUTE_RING(SubjectKind.ATTRIBUTE) {
        @Override
        public List<String> keysOf(PersonEvent request) {
            return SharedAttributeRingRule.allAttributesOf(request.event()).stream().map(AttributeKey::key).toList();
        }
    },
    /** The bursts of a refund-only request's merchant (the seller across platforms, if known) and of its product. */
    MERCHANT_BURST(SubjectKind.MERCHANT) {
        @Override
        public List<String> keysOf(PersonEvent request) {
            return MerchantBurst.keysOf(request.event());
        }
    };

    private final SubjectKind subjectKind;

    Assessor(SubjectKind subjectKind) {
        this.subjectKind = subjectKind;
    }

    /**
     * The keys of this operator that {@code request} reaches, one assessment each. A retraction
     * carries the request it retracts, so it reaches the same keys.
     */
    public abstract List<String> keysOf(PersonEvent request);

    /** What the operator's alerts are about: the key it is keyed by, of this kind. */
    public SubjectKind subjectKind() {
        return subjectKind;
    }
}
