package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's default heap too small for the input: the replay restarts itself once, in a JVM
 * whose heap holds the state, and the output is the same as on a heap chosen by hand. Here the
 * "launcher default" is a 48 MB heap, so a few thousand requests with photos outgrow it.
 */
class ReplayHeapRestartTest {
    @TempDir
    Path dir;

    @Test
    void aReplayOutgrowingTheDefaultHeapRestartsWithOneThatHoldsItsState() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Path catalog = dir.resolve("catalog.jsonl");
        ByteArrayOutputStream ignored = new ByteArrayOutputStream();
        int simulated = Main.run(List.of("simulate", "--persons", "1500", "--requests", "8000", "--days", "20",
                "--start", "fixed", "--out", events.toString(), "--catalog-out", catalog.toString()),
                new PrintStream(ignored), new PrintStream(ignored));
        assertThat(simulated).isZero();

        Path log = dir.resolve("replay.log");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process replay = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-D" + ReplayHeap.DEFAULT_HEAP_PROPERTY + "=true",
                "-Dlog4j2.configurationFile=" + Path.of("config/log4j2.properties").toAbsolutePath(),
                "-cp", classpath, Main.class.getName(), "replay", "--events", events.toString(),
                "--catalog", catalog.toString(), "--out", dir.resolve("out").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(replay.waitFor(8, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(replay.exitValue()).as(output).isZero();
        assertThat(output).containsOnlyOnce("restarting with -Xmx")
                .contains("does not fit the launcher's")
                .contains("state: auto: on the heap")
                .contains("Replay finished");
        assertThat(Files.lines(dir.resolve("out/verdicts.jsonl")).count()).isGreaterThanOrEqualTo(8000);
    }
}
