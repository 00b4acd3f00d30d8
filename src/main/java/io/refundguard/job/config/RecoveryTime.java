package io.refundguard.job.config;

import io.refundguard.settings.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;

/**
 * The longest a transaction of the exactly-once sink may wait for its commit, and the check that
 * {@code kafka.transactionTimeout} outlasts it.
 *
 * <p>A checkpoint's transactions are open from the first record after the previous checkpoint
 * (up to one checkpoint interval plus the checkpoint's own duration, at most its timeout) and are
 * committed only after the checkpoint completes. If the TaskManager is lost just then, the commit
 * waits until Flink notices (the heartbeat timeout, when no connection breaks) and restarts the
 * job (the restart delay), which then commits them from the checkpoint. A broker that has aborted
 * them by then (their timeout ran out) has thrown away output whose input the checkpoint already
 * counts as done: lost for good, with no error.
 *
 * @param restartDelay the longest delay before a restart (exponential delay: its maximum backoff plus jitter)
 */
public record RecoveryTime(
        Duration checkpointInterval, Duration checkpointTimeout, Duration heartbeatTimeout, Duration restartDelay,
        String restartStrategy) {

    /**
     * @param flinkConfiguration the Flink keys in force: the cluster's, overridden by the job's
     *     {@code flink.configuration}; a key absent from both takes Flink's default
     */
    public static RecoveryTime of(Duration checkpointInterval, Map<String, String> flinkConfiguration) {
        Configuration conf = Configuration.fromMap(flinkConfiguration);
        Duration checkpointTimeout = get(conf, CheckpointingOptions.CHECKPOINTING_TIMEOUT);
        Duration heartbeatTimeout = get(conf, HeartbeatManagerOptions.HEARTBEAT_TIMEOUT);
        // Unset, Flink restarts a checkpointed job with exponential delay.
        String strategy = flinkConfiguration.getOrDefault(RestartStrategyOptions.RESTART_STRATEGY.key(), "exponential-delay")
                .trim().toLowerCase(Locale.ROOT);
        Duration restartDelay = switch (strategy) {
            case "none", "off", "disable" -> Duration.ZERO;
            case "fixed-delay", "fixeddelay" -> get(conf, RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY);
            case "failure-rate", "failurerate" -> get(conf, RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY);
            case "exponential-delay", "exponentialdelay" -> {
                Duration max = get(conf, RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF);
                double jitter = get(conf, RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR);
                yield Duration.ofMillis((long) Math.ceil(max.toMillis() * (1 + Math.max(0, jitter))));
            }
            default -> throw new IllegalArgumentException("flink.configuration." + RestartStrategyOptions.RESTART_STRATEGY.key()
                    + ": expected none, fixed-delay, failure-rate or exponential-delay, got \"" + strategy + "\"");
        };
        return new RecoveryTime(checkpointInterval, checkpointTimeout, heartbeatTimeout, restartDelay, strategy);
    }

    private static <T> T get(Configuration conf, ConfigOption<T> option) {
        try {
            return conf.get(option);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("flink.configuration." + option.key() + ": " + e.getMessage());
        }
    }

    /** Checkpoint interval + checkpoint timeout + heartbeat timeout + restart delay. */
    public Duration total() {
        return checkpointInterval.plus(checkpointTimeout).plus(heartbeatTimeout).plus(restartDelay);
    }

    /**
     * Refuses a transaction timeout that does not exceed {@link #total()}, with a message naming
     * the setting, each part and where it comes from.
     */
    public void check(Duration transactionTimeout) {
        if (transactionTimeout.compareTo(total()) <= 0) {
            throw new IllegalArgumentException("kafka.transactionTimeout: expected more than " + Durations.format(total())
                    + " (flink.checkpointInterval " + Durations.format(checkpointInterval)
                    + " + " + CheckpointingOptions.CHECKPOINTING_TIMEOUT.key() + " " + Durations.format(checkpointTimeout)
                    + " + " + HeartbeatManagerOptions.HEARTBEAT_TIMEOUT.key() + " " + Durations.format(heartbeatTimeout)
                    + " + restart delay " + Durations.format(restartDelay) + " (" + restartStrategy + ")"
                    + "), got " + Durations.format(transactionTimeout)
                    + ": a TaskManager lost right after a checkpoint would let the broker abort output the checkpoint"
                    + " already counts as written. Raise it (and the brokers' transaction.max.timeout.ms with it)"
                    + " or shorten the others");
        }
    }
}
