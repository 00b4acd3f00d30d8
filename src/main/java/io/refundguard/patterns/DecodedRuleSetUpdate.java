package io.refundguard.patterns;

import io.refundguard.events.DeadLetter;
import io.refundguard.events.Decoded;

/** The result of decoding one detector-control record: exactly one of the two is set. */
public record DecodedRuleSetUpdate(RuleSetUpdate update, DeadLetter rejected) implements Decoded<RuleSetUpdate> {
    public static DecodedRuleSetUpdate ok(RuleSetUpdate update) {
        return new DecodedRuleSetUpdate(update, null);
    }

    public static DecodedRuleSetUpdate rejected(DeadLetter deadLetter) {
        return new DecodedRuleSetUpdate(null, deadLetter);
    }

    @Override
    public RuleSetUpdate value() {
        return update;
    }
}
