package io.refundguard.job.config;

import io.refundguard.patterns.RuleSet;
import io.refundguard.settings.Durations;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rule set published at run time may not change: the windows that state lifetimes were
 * sized from when the job started. State TTLs are fixed when an operator opens, so a longer window
 * would silently read history that has already expired; such a change needs a restart with the new
 * value in {@code config/}. Shorter windows, thresholds, severities and weights are all free.
 *
 * @param start the rule set the job started with
 * @param personHistoryTtl {@code state.personHistoryTtl}, which bounds the person's windows
 */
public record RuleSetLimits(RuleSet start, Duration personHistoryTtl) implements Serializable {

    /** One line per limit the update breaks; empty when it may replace the running rules. */
    public List<String> violations(RuleSet update) {
        List<String> problems = new ArrayList<>();
        atMost(problems, "repeatRefunder.window", update.repeatRefunder().window(), personHistoryTtl,
                "state.personHistoryTtl");
        atMost(problems, "amountTier.window", update.amountTier().window(), personHistoryTtl, "state.personHistoryTtl");
        atMost(problems, "sharedAttributeRing.window", update.sharedAttributeRing().window(),
                start.sharedAttributeRing().window(), "the window the job started with");
        atMost(problems, "merchantBurst.window", update.merchantBurst().window(), start.merchantBurst().window(),
                "the window the job started with");
        atMost(problems, "merchantBurst.bucket x baselineBuckets", baselineSpan(update), baselineSpan(start),
                "the baseline span the job started with");
        atMost(problems, "alerts.cooldown", update.alerts().cooldown(), start.alerts().cooldown(),
                "the cooldown the job started with");
        return problems;
    }

    private static Duration baselineSpan(RuleSet rules) {
        return rules.merchantBurst().bucket().multipliedBy(rules.merchantBurst().baselineBuckets());
    }

    private static void atMost(List<String> problems, String setting, Duration value, Duration limit, String limitName) {
        if (value.compareTo(limit) > 0) {
            problems.add("rules." + setting + ": " + Durations.format(value) + " is longer than " + limitName + " ("
                    + Durations.format(limit) + "); lengthen it in config/ and restart from a savepoint");
        }
    }
}
