package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.refundguard.job.config.ConfigException;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction timeout too short to survive a TaskManager's loss is refused by {@code local} and
 * {@code submit} before anything starts: one line naming the setting, exit code 2, no stack trace.
 * {@code submit} also counts the cluster's own heartbeat timeout and restart strategy.
 */
class TransactionTimeoutCommandsTest {
    @TempDir
    Path dir;

    @Test
    void localRefusesIt() throws Exception {
        // Without the check, local would start a broker and run: bounded, so that this fails instead.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertRefused(List.of("local",
                "--set", "local.varDir=" + dir.resolve("var"), "--set", "kafka.transactionTimeout=60s")));
    }

    @Test
    void submitRefusesIt() throws Exception {
        Path jar = Files.writeString(dir.resolve("job.jar"), "not contacted");
        assertRefused(List.of("submit", "--jar", jar.toString(), "--rest", "http://127.0.0.1:1",
                "--set", "kafka.transactionTimeout=60s"));
    }

    @Test
    void submitCountsTheClustersHeartbeatTimeoutAndRestartStrategy() {
        RefundGuardConfig config = ConfigLoader.load(List.of());
        SubmitCommand.checkTransactionTimeout(config, Map.of("heartbeat.timeout", "20000",
                "restart-strategy.type", "fixed-delay", "restart-strategy.fixed-delay.delay", "5 s"));
        assertThatThrownBy(() -> SubmitCommand.checkTransactionTimeout(config, Map.of("heartbeat.timeout", "300000",
                "restart-strategy.type", "fixed-delay", "restart-strategy.fixed-delay.delay", "1 min")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.transactionTimeout: expected more than 961s")
                .hasMessageContaining("heartbeat.timeout 5m + restart delay 1m (fixed-delay)")
                .hasMessageContaining("as the cluster at the --rest URL has them");
        // The job's own flink.configuration wins over the cluster's for the keys a job may set.
        RefundGuardConfig quickRestart = ConfigLoader.load(List.of("flink.configuration.restart-strategy.type=fixed-delay",
                "flink.configuration.restart-strategy.fixed-delay.delay=1 s"));
        SubmitCommand.checkTransactionTimeout(quickRestart, Map.of("heartbeat.timeout", "250000",
                "restart-strategy.type", "fixed-delay", "restart-strategy.fixed-delay.delay", "1 min"));
    }

    private static void assertRefused(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(stderr).isEqualTo(2);
        assertThat(stderr.lines().findFirst().orElse("")).contains("configuration: kafka.transactionTimeout: expected more than");
        assertThat(stderr).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
