package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.job.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster, submit and stop commands without a cluster: settings, config file, user mistakes. */
class ClusterCommandsTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new java.util.ArrayList<>(List.of(command));
        all.addAll(List.of(args));
        int code = Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A port nobody listens on (bound, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void shippedClusterSettingsLoad() {
        ClusterSettings s = ClusterSettings.load(ClusterSettings.DEFAULT_FILE);
        assertThat(s.taskManagers()).isPositive();
        assertThat(s.slots()).isPositive();
        assertThat(s.restartType()).isEqualTo("fixed-delay");
        assertThat(s.platforms()).isNotEmpty();
    }

    @Test
    void aWrongClusterSettingIsNamed() throws IOException {
        String yaml = Files.readString(ClusterSettings.DEFAULT_FILE).replace("slots: 2", "slots: zero");
        Path file = tmp.resolve("cluster.yaml");
        Files.writeString(file, yaml);
        assertThatThrownBy(() -> ClusterSettings.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage("taskManager.slots: expected a whole number from 1 to 64, got zero");
        Run run = run("cluster", "status", "--config", file.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("refundguard cluster: configuration: taskManager.slots: expected a whole number from 1 to 64, got zero");
    }

    @Test
    void flinkConfigurationHasTheEssentials() throws IOException {
        ClusterSettings s = ClusterSettings.load(ClusterSettings.DEFAULT_FILE).withOverrides(tmp, 18099, 3, 19099);
        ClusterCommand.Layout layout = new ClusterCommand.Layout(tmp);
        layout.createDirectories(s.taskManagers());
        ClusterCommand.writeFlinkConfig(s, layout, 16123);
        String conf = Files.readString(tmp.resolve("conf/config.yaml"));
        assertThat(conf)
                .contains("rest.port: \"18099\"")
                .contains("jobmanager.rpc.port: \"16123\"")
                .contains("state.backend.type: \"rocksdb\"")
                .contains("execution.checkpointing.incremental: \"true\"")
                .contains("execution.checkpointing.dir: \"" + tmp.resolve("checkpoints").toUri())
                .contains("restart-strategy.type: \"fixed-delay\"")
                .contains("rest.bind-address: \"127.0.0.1\"");
    }

    @Test
    void flinkClasspathLeavesOutTheJobAndKafka() {
        String cp = ClusterCommand.flinkClasspath();
        assertThat(cp).contains("flink-runtime").doesNotContain("kafka_2.13").doesNotContain("flink-connector-kafka");
    }

    @Test
    void clusterUsageMistakesAreOneLine() {
        Run none = run("cluster");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err().lines().findFirst()).hasValue("refundguard cluster: missing start, stop or status");
        Run bad = run("cluster", "start", "--taskmanagers", "many");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().lines().findFirst())
                .hasValue("refundguard cluster: --taskmanagers expects a whole number from 1 to 16, got \"many\"");
        Run unknown = run("cluster", "restart");
        assertThat(unknown.err().lines().findFirst()).hasValue("refundguard cluster: expected start, stop or status, got \"restart\"");
    }

    @Test
    void statusAndStopOfNoCluster() {
        Run status = run("cluster", "status", "--dir", tmp.toString());
        assertThat(status.code()).isEqualTo(3);
        assertThat(status.out()).startsWith("no cluster in ");
        Run stop = run("cluster", "stop", "--dir", tmp.toString());
        assertThat(stop.code()).isZero();
        assertThat(stop.out()).startsWith("nothing running in ");
    }

    @Test
    void submitAndStopSayTheClusterIsUnreachable() throws IOException {
        String rest = "http://127.0.0.1:" + closedPort();
        // Its own jar file: the real one only exists after `package`, which runs after the tests.
        Run submit = run("submit", "--rest", rest, "--jar", "pom.xml", "--dir", tmp.resolve("none").toString());
        assertThat(submit.code()).isEqualTo(2);
        assertThat(submit.err().strip()).startsWith("refundguard submit: no cluster in ");

        Run submitRest = run("submit", "--rest", rest, "--jar", "pom.xml");
        assertThat(submitRest.code()).isEqualTo(2);
        assertThat(submitRest.err().strip())
                .isEqualTo("refundguard submit: cannot reach the Flink cluster at " + rest
                        + " (connection refused); is it running? (refundguard cluster start)");

        Run stop = run("stop", "--rest", rest, "--dir", tmp.toString());
        assertThat(stop.code()).isEqualTo(2);
        assertThat(stop.err().strip()).startsWith("refundguard stop: cannot reach the Flink cluster at " + rest);
    }

    @Test
    void submitAndStopUsageMistakes() {
        Run savepoint = run("submit", "--jar", "pom.xml", "--from-savepoint", tmp.resolve("nope").toString());
        assertThat(savepoint.code()).isEqualTo(2);
        assertThat(savepoint.err().strip()).isEqualTo("refundguard submit: --from-savepoint: no such savepoint: " + tmp.resolve("nope"));
        Run jar = run("submit", "--jar", tmp.resolve("x.jar").toString());
        assertThat(jar.err().strip()).isEqualTo("refundguard submit: no job jar at " + tmp.resolve("x.jar"));
        Run setting = run("submit", "--jar", "pom.xml", "--set", "rules.repeatRefunder.minRequests=0");
        assertThat(setting.code()).isEqualTo(2);
        assertThat(setting.err().strip())
                .isEqualTo("refundguard submit: configuration: rules.repeatRefunder.minRequests: expected at least 1, got 0");
        Run rest = run("submit", "--jar", "pom.xml", "--rest", "127.0.0.1:8081");
        assertThat(rest.err().strip()).isEqualTo("refundguard submit: --rest: expected a URL like http://127.0.0.1:8081, got \"127.0.0.1:8081\"");
        Run job = run("stop", "--job", "nope", "--rest", "http://127.0.0.1:1");
        assertThat(job.code()).isEqualTo(2);
        assertThat(job.err().lines().findFirst()).hasValue("refundguard stop: --job expects a job id (32 hex digits), got \"nope\"");
    }

    @Test
    void flinkErrorsBecomeTheInnermostCause() throws IOException {
        JsonNode body = FlinkRest.JSON.readTree("{\"errors\":[\"org.apache.flink.runtime.rest.handler.RestHandlerException:"
                + " Could not execute application.\\n\\tat x.y(Z.java:1)\\nCaused by: java.util.concurrent.CompletionException: boom"
                + "\\nCaused by: org.apache.flink.client.program.ProgramInvocationException: The main method caused an error:"
                + " configuration: kafka.groupId: expected a non-empty value\"]}");
        assertThat(FlinkRest.errorMessage(body, 500)).isEqualTo(
                "The main method caused an error: configuration: kafka.groupId: expected a non-empty value"
                        + " (ProgramInvocationException)");
        assertThat(FlinkRest.errorMessage(FlinkRest.JSON.createObjectNode(), 404)).isEqualTo("HTTP 404");
    }
}
