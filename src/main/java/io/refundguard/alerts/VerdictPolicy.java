package io.refundguard.alerts;

import io.refundguard.patterns.PatternCode;
import io.refundguard.settings.Check;
import java.io.Serializable;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How pattern signals add up to a request's riskScore, and which score gets which action.
 *
 * @param bands the lowest score of each action; {@code REQUEST_LIVE_CAPTURE}'s applies only to a
 *     request whose reasons are all weak evidence signals, up to {@code liveCapture.below}
 * @param liveCapture which reasons are weak evidence signals; absent in rule sets stored before it
 *     existed (savepoints), which decide as they did: never live capture, no low-quality points
 */
public record VerdictPolicy(
        Map<PatternCode, Integer> weights,
        Map<Severity, Double> severityFactors,
        Map<RecommendedAction, Integer> bands,
        LiveCapture liveCapture)
        implements Serializable {
    public VerdictPolicy {
        // A rule set stored before live capture existed has no low-quality weight: it added nothing then.
        if (liveCapture == null && weights != null && !weights.containsKey(PatternCode.EVIDENCE_LOW_QUALITY)) {
            Map<PatternCode, Integer> stored = new EnumMap<>(weights);
            stored.put(PatternCode.EVIDENCE_LOW_QUALITY, 0);
            weights = stored;
        }
        liveCapture = liveCapture == null ? LiveCapture.NEVER : liveCapture;
        weights = Check.covers("weights", weights, PatternCode.scoredInVerdicts());
        List<PatternCode> scored = List.of(PatternCode.scoredInVerdicts());
        for (PatternCode code : weights.keySet()) {
            if (!scored.contains(code)) {
                // A weight nothing reads would look like a setting that works.
                throw new IllegalArgumentException("weights." + code + ": not a verdict reason, remove it");
            }
        }
        weights.forEach((code, weight) -> {
            if (weight < 0 || weight > 100) {
                throw new IllegalArgumentException("weights." + code + ": expected 0..100, got " + weight);
            }
        });
        severityFactors = Check.covers("severityFactors", severityFactors, Severity.values());
        severityFactors.forEach((severity, factor) -> {
            if (!(factor >= 0 && factor <= 1)) {
                throw new IllegalArgumentException("severityFactors." + severity + ": expected 0..1, got " + factor);
            }
        });
        bands = Map.copyOf(Check.present("bands", bands));
        int previous = 0;
        for (RecommendedAction action : RecommendedAction.values()) {
            if (action == RecommendedAction.ALLOW || action == RecommendedAction.REQUEST_LIVE_CAPTURE) {
                continue;
            }
            Integer lowest = bands.get(action);
            if (lowest == null) {
                throw new IllegalArgumentException("bands: missing entry for " + action);
            }
            if (lowest <= previous || lowest > 100) {
                throw new IllegalArgumentException("bands." + action + ": expected increasing scores in 1..100, got " + lowest);
            }
            previous = lowest;
        }
        for (PatternCode code : liveCapture.weakSignals().keySet()) {
            if (!weights.containsKey(code)) {
                throw new IllegalArgumentException("liveCapture.weakSignals." + code + ": not a verdict reason, remove it");
            }
        }
        Integer live = bands.get(RecommendedAction.REQUEST_LIVE_CAPTURE);
        if (live == null) {
            if (!liveCapture.weakSignals().isEmpty()) {
                throw new IllegalArgumentException("bands: missing entry for REQUEST_LIVE_CAPTURE");
            }
        } else if (live < 1 || live >= bands.get(liveCapture.below())) {
            throw new IllegalArgumentException("bands.REQUEST_LIVE_CAPTURE: expected 1 up to below bands."
                    + liveCapture.below() + " (" + bands.get(liveCapture.below()) + "), got " + live);
        }
    }

    /** The points a pattern at this severity adds to a riskScore. */
    public int weightOf(PatternCode pattern, Severity severity) {
        return (int) Math.round(weights.get(pattern) * severityFactors.get(severity));
    }

    /** The action for a score reached by these reasons. */
    public RecommendedAction actionFor(int riskScore, Collection<Reason> reasons) {
        RecommendedAction byScore = RecommendedAction.ALLOW;
        for (RecommendedAction action : RecommendedAction.values()) {
            Integer lowest = bands.get(action);
            if (action != RecommendedAction.REQUEST_LIVE_CAPTURE && lowest != null && riskScore >= lowest) {
                byScore = action;
            }
        }
        Integer live = bands.get(RecommendedAction.REQUEST_LIVE_CAPTURE);
        if (live != null && riskScore >= live && byScore.compareTo(liveCapture.below()) < 0
                && liveCapture.onlyWeak(reasons)) {
            return RecommendedAction.REQUEST_LIVE_CAPTURE;
        }
        return byScore;
    }
}
