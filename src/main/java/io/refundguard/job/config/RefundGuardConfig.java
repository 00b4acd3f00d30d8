package io.refundguard.job.config;

import io.refundguard.events.InputLimits;
import io.refundguard.images.EnrichmentSettings;
import io.refundguard.images.ImageSettings;
import io.refundguard.patterns.RuleSet;
import io.refundguard.settings.Check;
import io.refundguard.settings.Durations;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/** The whole configuration, one typed value, loaded and validated at start by {@link ConfigLoader}. */
public record RefundGuardConfig(
        KafkaSettings kafka,
        TopicSettings topics,
        InputLimits input,
        EventTimeSettings eventTime,
        StateSettings state,
        RuleSet rules,
        ImageSettings images,
        EnrichmentSettings enrichment,
        FlinkSettings flink,
        LocalSettings local,
        ReplaySettings replay)
        implements Serializable {
    public RefundGuardConfig {
        Check.present("kafka", kafka);
        Check.present("topics", topics);
        Check.present("input", input);
        Check.present("eventTime", eventTime);
        Check.present("state", state);
        Check.present("rules", rules);
        Check.present("images", images);
        Check.present("enrichment", enrichment);
        if (state.personHistoryTtl().compareTo(rules.amountTier().window()) < 0) {
            throw new IllegalArgumentException("state.personHistoryTtl: expected at least rules.amountTier.window ("
                    + Durations.format(rules.amountTier().window()) + "), got " + Durations.format(state.personHistoryTtl()));
        }
        Check.present("flink", flink);
        if (!flink.checkpointInterval().isZero()) {
            // Without checkpoints the sink writes at least once, without transactions.
            RecoveryTime.of(flink.checkpointInterval(), flink.configuration()).check(kafka.transactionTimeout());
        }
        Check.present("local", local);
        Check.present("replay", replay);
        Check.atLeast("maxRecordBytes", input.maxRecordBytes(), 64);
        Check.atLeast("maxNestingDepth", input.maxNestingDepth(), 4);
        Check.positive("maxAmount", input.maxAmount());
        Check.atLeast("maxEvidence", input.maxEvidence(), 0);
        Check.notNegative("maxFutureSkew", input.maxFutureSkew());
    }

    /**
     * The longest any operator keeps a trace of one request (its link, its photos in the indexes,
     * a held verdict, a ring or burst window, an alert cooldown), plus a margin: how long the
     * erasure ledger must remember where a request went.
     */
    public Duration requestTraceLifetime() {
        Duration longest = state.requestLinkTtl();
        for (Duration trace : List.of(state.heldVerdictTtl(), images.retention(), rules.sharedAttributeRing().window(),
                rules.merchantBurst().window(), rules.alerts().cooldown())) {
            longest = trace.compareTo(longest) > 0 ? trace : longest;
        }
        return longest.plus(Duration.ofDays(2));
    }

    public RefundGuardConfig withEventTime(EventTimeSettings newEventTime) {
        return new RefundGuardConfig(kafka, topics, input, newEventTime, state, rules, images, enrichment, flink, local, replay);
    }

    public RefundGuardConfig withRules(RuleSet newRules) {
        return new RefundGuardConfig(kafka, topics, input, eventTime, state, newRules, images, enrichment, flink, local, replay);
    }

    public RefundGuardConfig withFlink(FlinkSettings newFlink) {
        return new RefundGuardConfig(kafka, topics, input, eventTime, state, rules, images, enrichment, newFlink, local, replay);
    }
}
