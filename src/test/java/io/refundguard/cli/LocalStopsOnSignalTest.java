package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local} started the way a script starts it in the background: a shell that ignores
 * SIGINT, as a non-interactive shell does for `cmd &`, then {@code jobs/with-default-sigint}
 * as {@code jobs/refundguard} runs it. {@code kill -INT} and {@code kill -TERM} must both stop it
 * with a savepoint, and the next start must resume from it.
 */
class LocalStopsOnSignalTest {
    private static final long START_SECONDS = 240;

    @TempDir
    Path var;

    @Test
    void sigintFromABackgroundStartAndSigtermBothTakeASavepoint() throws Exception {
        Run first = start();
        first.awaitLine("RefundGuard is running.");
        assertThat(first.output()).anyMatch(l -> l.contains("resumed from   (fresh start)"));
        first.signal("INT");
        assertThat(first.exitCode()).as(first.transcript()).isEqualTo(130);
        assertThat(first.output()).anyMatch(l -> l.startsWith("savepoint written: ")).contains("stopped.");

        Run second = start();
        second.awaitLine("RefundGuard is running.");
        assertThat(second.output()).anyMatch(l -> l.contains("resumed from") && l.contains("savepoints"));
        second.signal("TERM");
        assertThat(second.exitCode()).as(second.transcript()).isEqualTo(143);
        assertThat(second.output()).anyMatch(l -> l.startsWith("savepoint written: ")).contains("stopped.");
    }

    private Run start() throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of("bash", "-c", "trap '' INT; exec \"$@\"", "background-start",
                Path.of("jobs/with-default-sigint").toAbsolutePath().toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dlog4j2.configurationFile=" + Path.of("config/log4j2.properties").toAbsolutePath(),
                "-cp", classpath, Main.class.getName(), "local", "--port", "0",
                "--set", "local.varDir=" + var, "--set", "local.webUiPort=0", "--set", "local.topicPartitions=1",
                "--set", "flink.parallelism=1", "--set", "flink.stateBackend=hashmap"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new Run(process);
    }

    private static final class Run {
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        Run(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(output lost: " + e + ")");
                }
            }, "local-output");
            reader.setDaemon(true);
            reader.start();
        }

        void awaitLine(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
            while (!lines.contains(expected) && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (!lines.contains(expected)) {
                process.destroyForcibly();
                throw new AssertionError("no \"" + expected + "\" from local:\n" + transcript());
            }
        }

        /** The same `kill` a user's script sends: to the JVM, which took over the shell's pid by exec. */
        void signal(String name) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
        }

        int exitCode() throws InterruptedException {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("local did not stop:\n" + transcript());
            }
            return process.exitValue();
        }

        List<String> output() throws InterruptedException {
            process.waitFor(5, TimeUnit.SECONDS);
            return lines;
        }

        String transcript() {
            return String.join("\n", lines);
        }
    }
}
