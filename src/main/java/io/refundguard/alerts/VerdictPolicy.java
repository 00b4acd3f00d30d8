package io.refundguard.alerts;

import io.refundguard.patterns.PatternCode;
import io.refundguard.settings.Check;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** How pattern signals add up to a request's riskScore, and which score gets which action. */
public record VerdictPolicy(
        Map<PatternCode, Integer> weights,
        Map<Severity, Double> severityFactors,
        Map<RecommendedAction, Integer> bands)
        implements Serializable {
    public VerdictPolicy {
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
            if (action == RecommendedAction.ALLOW) {
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
    }

    /** The points a pattern at this severity adds to a riskScore. */
    public int weightOf(PatternCode pattern, Severity severity) {
        return (int) Math.round(weights.get(pattern) * severityFactors.get(severity));
    }

    public RecommendedAction actionFor(int riskScore) {
        RecommendedAction chosen = RecommendedAction.ALLOW;
        for (RecommendedAction action : RecommendedAction.values()) {
            Integer lowest = bands.get(action);
            if (lowest != null && riskScore >= lowest) {
                chosen = action;
            }
        }
        return chosen;
    }
}
