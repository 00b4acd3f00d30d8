package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The latency bench end to end, small: its numbers are the machine's, only its accounting is tested. */
class LatencyBenchTest {
    @Test
    void everyPublishedRequestGetsExactlyOneVerdictAndTheLastLineIsTheSummary() throws Exception {
        Set<String> workDirsBefore = benchWorkDirs();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = Main.run(List.of("bench", "latency", "--rate", "100", "--seconds", "5", "--warmup", "2",
                "--set", "flink.checkpointInterval=1s"), new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err);
        String output = bytes.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(output).isZero();
        List<String> lines = output.strip().lines().toList();
        JsonNode summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        List<String> fields = new ArrayList<>();
        summary.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("rate", "events", "p50Ms", "p99Ms", "maxMs");
        assertThat(summary.get("rate").asInt()).isEqualTo(100);
        assertThat(summary.get("events").asLong()).isEqualTo(500);
        assertThat(summary.get("maxMs").asLong()).isGreaterThanOrEqualTo(summary.get("p99Ms").asLong());
        assertThat(row(lines, "requests with exactly one verdict")).isEqualTo("500");
        assertThat(row(lines, "requests without a verdict")).isEqualTo("0");
        assertThat(row(lines, "duplicate verdicts")).isEqualTo("0");
        assertThat(benchWorkDirs()).as("the bench removes its temporary directory").isSubsetOf(workDirsBefore);
    }

    @Test
    void aJobThatFailsOnItsOwnIsReportedWithItsRootCause() {
        // A state backend that does not exist: the job is accepted and fails as its tasks start.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(List.of("bench", "latency", "--rate", "20", "--seconds", "2", "--warmup", "1",
                "--set", "flink.configuration.state.backend.type=io.refundguard.NoSuchBackendFactory"), System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("refundguard bench latency: failed: the job failed: java.lang.ClassNotFoundException: "
                        + "io.refundguard.NoSuchBackendFactory")
                .doesNotContain("was not canceled");
    }

    @Test
    void rateAndSecondsAreRequired() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(Main.run(List.of("bench", "latency", "--rate", "100"), System.out, errStream)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("refundguard bench latency: missing --seconds");
        err.reset();
        assertThat(Main.run(List.of("bench", "latency", "--rate", "0", "--seconds", "5"), System.out, errStream))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("refundguard bench latency: --rate");
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        assertThat(LatencyBench.percentile(sorted, 0.5)).isEqualTo(50);
        assertThat(LatencyBench.percentile(sorted, 0.99)).isEqualTo(100);
        assertThat(LatencyBench.percentile(sorted, 1.0)).isEqualTo(100);
        assertThat(LatencyBench.percentile(new long[0], 0.5)).isEqualTo(-1);
    }

    private static String row(List<String> lines, String label) {
        return lines.stream().filter(l -> l.strip().startsWith(label)).findFirst()
                .map(l -> l.substring(l.indexOf(label) + label.length()).strip())
                .orElseThrow(() -> new AssertionError("no row \"" + label + "\" in " + lines));
    }

    private static Set<String> benchWorkDirs() {
        File[] files = new File(System.getProperty("java.io.tmpdir")).listFiles();
        return files == null ? Set.of() : Stream.of(files).map(File::getName)
                .filter(name -> name.startsWith("refundguard-bench-latency")).collect(Collectors.toSet());
    }
}
