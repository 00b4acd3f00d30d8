package io.refundguard.alerts;

import io.refundguard.patterns.PatternCode;
import io.refundguard.settings.Check;
import java.io.Serializable;
import java.util.Collection;
import java.util.Map;

/**
 * When a verdict asks for a photo taken live in the platform's app instead of its score's action:
 * when every reason is a weak evidence signal — evidence the detector could not check well (a
 * stripped C2PA manifest, an unreadable photo, a photo too featureless to match), not evidence of
 * fraud — a fresh photo answers the doubt, where a return or a review would punish an honest buyer
 * whose upload pipeline stripped metadata.
 *
 * @param weakSignals the reasons that are weak evidence signals, each up to the severity it is weak at
 * @param below from this action's band on, weak signals alone still get the score's action: many
 *     of them together are more than doubt
 */
public record LiveCapture(Map<PatternCode, Severity> weakSignals, RecommendedAction below) implements Serializable {
    /** Never: the verdicts of rule sets stored before live capture existed. */
    public static final LiveCapture NEVER = new LiveCapture(Map.of(), RecommendedAction.REQUIRE_RETURN);

    public LiveCapture {
        weakSignals = Map.copyOf(Check.present("weakSignals", weakSignals));
        weakSignals.forEach((code, severity) -> Check.present("weakSignals." + code, severity));
        Check.present("below", below);
        if (below.compareTo(RecommendedAction.REQUEST_LIVE_CAPTURE) <= 0) {
            throw new IllegalArgumentException("below: expected an action above REQUEST_LIVE_CAPTURE, got " + below);
        }
    }

    /** Whether {@code reasons} are all weak signals, and there is at least one. */
    public boolean onlyWeak(Collection<Reason> reasons) {
        if (reasons.isEmpty()) {
            return false;
        }
        for (Reason reason : reasons) {
            Severity weakUpTo = weakSignals.get(reason.pattern());
            if (weakUpTo == null || reason.severity().compareTo(weakUpTo) > 0) {
                return false;
            }
        }
        return true;
    }
}
