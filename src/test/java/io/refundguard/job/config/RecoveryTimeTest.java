package io.refundguard.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kafka.transactionTimeout} must outlast what a checkpoint's transactions may wait for
 * their commit: checkpoint interval + checkpoint timeout + heartbeat timeout + restart delay.
 * Otherwise a TaskManager lost right after a checkpoint lets the broker abort output the
 * checkpoint counts as written.
 */
class RecoveryTimeTest {
    @Test
    void theDefaultOutlastsALostTaskManagerWithFlinksDefaults() {
        RefundGuardConfig config = ConfigLoader.load(List.of());
        assertThat(config.kafka().transactionTimeout()).isGreaterThanOrEqualTo(Duration.ofMinutes(15));
        RecoveryTime time = RecoveryTime.of(config.flink().checkpointInterval(), config.flink().configuration());
        // 1 s interval + 10 min checkpoint timeout + 50 s heartbeat + exponential delay up to 1 min + 10 % jitter
        assertThat(time.total()).isEqualTo(Duration.ofSeconds(1 + 600 + 50 + 66));
        assertThat(config.kafka().transactionTimeout()).isGreaterThan(time.total());
    }

    @Test
    void aTimeoutAsShortAsTheOldDefaultIsRefusedAtLoadNamingEveryPart() {
        assertThatThrownBy(() -> ConfigLoader.load(List.of("kafka.transactionTimeout=60s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kafka.transactionTimeout: expected more than 717s (flink.checkpointInterval 1s"
                        + " + execution.checkpointing.timeout 10m + heartbeat.timeout 50s + restart delay 66s"
                        + " (exponential-delay)), got 1m: a TaskManager lost right after a checkpoint");
    }

    @Test
    void equalToTheRecoveryTimeIsNotEnough() {
        assertThatThrownBy(() -> ConfigLoader.load(List.of("kafka.transactionTimeout=717s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("got 717s");
        assertThat(ConfigLoader.load(List.of("kafka.transactionTimeout=718s")).kafka().transactionTimeout())
                .isEqualTo(Duration.ofSeconds(718));
    }

    @Test
    void theJobsFlinkConfigurationCounts() {
        // A longer checkpoint interval and heartbeat timeout push past the default.
        assertThatThrownBy(() -> ConfigLoader.load(List.of("flink.checkpointInterval=2m",
                "flink.configuration.heartbeat.timeout=2min")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected more than 906s")
                .hasMessageContaining("heartbeat.timeout 2m");
        // Shorter checkpoint timeout and a fixed restart delay allow a shorter transaction timeout.
        List<String> quick = List.of("flink.configuration.execution.checkpointing.timeout=2 min",
                "flink.configuration.restart-strategy.type=fixed-delay",
                "flink.configuration.restart-strategy.fixed-delay.delay=10 s");
        assertThat(ConfigLoader.load(concat(quick, "kafka.transactionTimeout=4m")).kafka().transactionTimeout())
                .isEqualTo(Duration.ofMinutes(4));
        assertThatThrownBy(() -> ConfigLoader.load(concat(quick, "kafka.transactionTimeout=3m")))
                .hasMessageContaining("expected more than 181s")
                .hasMessageContaining("restart delay 10s (fixed-delay)");
    }

    @Test
    void withoutCheckpointsThereAreNoTransactions() {
        assertThat(ConfigLoader.load(List.of("flink.checkpointInterval=0s", "kafka.transactionTimeout=1s"))
                .kafka().transactionTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRestartStrategyFlinkDoesNotKnowIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(List.of("flink.configuration.restart-strategy.type=sometimes")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("flink.configuration.restart-strategy.type: expected none, fixed-delay, failure-rate or"
                        + " exponential-delay, got \"sometimes\"");
    }

    @Test
    void noRestartMeansNoRestartDelay() {
        RecoveryTime time = RecoveryTime.of(Duration.ofSeconds(10), Map.of("restart-strategy.type", "none",
                "heartbeat.timeout", "20000", "execution.checkpointing.timeout", "1 min"));
        assertThat(time.total()).isEqualTo(Duration.ofSeconds(10 + 60 + 20));
    }

    private static List<String> concat(List<String> settings, String more) {
        return java.util.stream.Stream.concat(settings.stream(), java.util.stream.Stream.of(more)).toList();
    }
}
