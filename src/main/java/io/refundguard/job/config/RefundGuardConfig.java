package io.refundguard.job.config;

import io.refundguard.events.DeadLetter;
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
        Check.atLeast("deadLetterValueBytes", input.deadLetterValueBytes(), 0);
        checkDeadLettersFit(input.deadLetterValueBytes(), kafka.maxRequestSize());
        checkPlatforms(input.platforms());
    }

    /**
     * Room in a producer request for a dead letter's fields besides key and value: the reason (at
     * most {@link DeadLetter#MAX_REASON_CHARS} characters, up to 3 bytes each in UTF-8), topic,
     * hash, numbers, JSON punctuation and Kafka's record and batch headers.
     */
    static final int DEAD_LETTER_OVERHEAD = 3 * DeadLetter.MAX_REASON_CHARS + 4096;

    /**
     * A dead letter that cannot be sent stops the job at every restart (the sink fails on it and
     * the source resumes before it), so its largest size must fit the producer's request limit.
     */
    private static void checkDeadLettersFit(int valueBytes, int maxRequestSize) {
        long largest = base64Length(valueBytes) + 2 * base64Length(DeadLetter.MAX_KEY_BYTES) + DEAD_LETTER_OVERHEAD;
        if (largest > maxRequestSize) {
            throw new IllegalArgumentException("input.deadLetterValueBytes: " + valueBytes + " bytes make dead letters of up to "
                    + largest + " bytes, more than kafka.maxRequestSize (" + maxRequestSize + "); lower it or raise"
                    + " kafka.maxRequestSize (and the broker's message.max.bytes)");
        }
    }

    private static long base64Length(long bytes) {
        return 4 * ((bytes + 2) / 3);
    }

    private static void checkPlatforms(List<String> platforms) {
        Check.present("platforms", platforms);
        if (platforms.isEmpty()) {
            throw new IllegalArgumentException("input.platforms: expected the member platforms' codes, got none");
        }
        for (String platform : platforms) {
            if (platform == null || !platform.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
                throw new IllegalArgumentException("input.platforms: expected short lower-case codes like \"tb\""
                        + " ([a-z0-9_-], at most 32), got \"" + platform + "\"");
            }
        }
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
