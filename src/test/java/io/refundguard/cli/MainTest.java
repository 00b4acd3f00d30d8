package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** A user's mistake on the command line: one clear line, exit code 2, never a stack trace. */
class MainTest {
    @TempDir
    static Path dir;

    static Stream<Arguments> mistakes() throws Exception {
        Path events = Files.writeString(dir.resolve("events.jsonl"), "{}\n");
        return Stream.of(
                Arguments.of(List.of("teleport"), "unknown command \"teleport\""),
                Arguments.of(List.of("replay"), "missing --events"),
                Arguments.of(List.of("replay", "--events", dir.resolve("nope.jsonl").toString(), "--out", "x"), "no such file"),
                Arguments.of(List.of("replay", "--events", events.toString()), "missing --out"),
                Arguments.of(List.of("replay", "--events", events.toString(), "--out", "x", "--parallelism", "many"),
                        "--parallelism expects a whole number"),
                Arguments.of(List.of("replay", "--events", events.toString(), "--out", "x", "--frobnicate"),
                        "unknown option --frobnicate"),
                Arguments.of(List.of("replay", "--events", events.toString(), "--out", "x",
                        "--set", "rules.repeatRefunder.minRequests=0"), "rules.repeatRefunder.minRequests: expected at least 1, got 0"),
                Arguments.of(List.of("replay", "--events", events.toString(), "--out", "x",
                        "--set", "rules.repeatRefunder.minRequest=5"), "unknown setting rules.repeatRefunder.minRequest"),
                Arguments.of(List.of("replay", "--events", events.toString(), "--out", "x", "--config",
                        dir.resolve("none.yaml").toString()), "--config: no such file"),
                Arguments.of(List.of("sample-data", "--out", dir.resolve("s.jsonl").toString(), "--persons", "0"),
                        "--persons must be at least 1"),
                Arguments.of(List.of("simulate"), "give --out FILE, --bootstrap-servers HOST:PORT, or both"),
                Arguments.of(List.of("simulate", "--out", dir.resolve("sim.jsonl").toString(), "--persons", "10"),
                        "--persons must be at least 200"),
                Arguments.of(List.of("simulate", "--out", dir.resolve("sim.jsonl").toString(), "--persons", "300",
                        "--requests", "100"), "--requests must be at least"),
                Arguments.of(List.of("simulate", "--out", dir.resolve("sim.jsonl").toString(), "--rate", "50"),
                        "--rate applies to publishing"),
                Arguments.of(List.of("simulate", "--out", dir.resolve("sim.jsonl").toString(), "--start", "yesterday"),
                        "--start expects a date"),
                Arguments.of(List.of("simulate", "--out", dir.resolve("sim.jsonl").toString(), "--photos-per-request", "21"),
                        "--photos-per-request must be at most 20"),
                Arguments.of(List.of("rules"), "missing --version"),
                Arguments.of(List.of("rules", "--version", "v2", "--set", "kafka.groupId=x"),
                        "only rules.* can change at run time"),
                Arguments.of(List.of("rules", "--version", "v2", "--effective-from", "tomorrow"),
                        "--effective-from expects an ISO-8601 time"),
                Arguments.of(List.of("rules", "--version", "v2", "--set", "rules.repeatRefunder.minRequests=0"),
                        "rules.repeatRefunder.minRequests: expected at least 1, got 0"),
                Arguments.of(List.of("replay", "--events", events.toString(), "--out", "x", "--control",
                        dir.resolve("none.jsonl").toString()), "--control: no such file"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void userMistakesGetOneLineAndExitCode2(List<String> args, String expected) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(2);
        assertThat(stderr.lines().findFirst().orElse("")).contains(expected);
        assertThat(stderr).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** Every command and sub-command, with the options its help must show. */
    static Stream<Arguments> commands() {
        List<Arguments> all = new ArrayList<>();
        collect(Main.commandLine(System.in, System.out, System.err), all);
        return all.stream();
    }

    private static void collect(CommandLine parent, List<Arguments> into) {
        for (CommandLine command : parent.getSubcommands().values()) {
            List<String> words = List.of(command.getCommandSpec().qualifiedName(" ").split(" "));
            List<String> options = command.getCommandSpec().options().stream()
                    .filter(o -> !o.hidden())
                    .map(OptionSpec::longestName)
                    .toList();
            into.add(Arguments.of(words.subList(1, words.size()), options));
            collect(command, into);
        }
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandsHelpShowsItsOptionsAndExits0(List<String> command, List<String> options) {
        assertThat(options).contains("--help");
        for (String help : List.of("--help", "-h")) {
            List<String> args = new ArrayList<>(command);
            args.add(help);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            String usage = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(String.join(" ", args)).isZero();
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(usage).contains("Usage: refundguard " + String.join(" ", command)).contains(options);
        }
    }

    @Test
    void theListOfCommandsNamesEveryCommand() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(List.of("--help"), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: refundguard [-h] <command>")
                .contains("local", "replay", "sample-data", "simulate", "fingerprint", "cluster", "submit", "stop",
                        "rules", "publish", "consume", "bench", "completion");
    }

    @Test
    void helpIsNotAnError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(List.of("replay", "--help"), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: refundguard replay");
    }

    @Test
    void aFailureWrappedInLayersEndsWithItsRootCause() {
        Exception wrapped = new RuntimeException("Failed to execute job 'RefundGuard'.",
                new IllegalStateException("Could not start the JobMaster.",
                        new ClassNotFoundException("io.refundguard.NoSuchBackendFactory")));

        assertThat(Main.rootCause(wrapped))
                .isEqualTo(" (cause: java.lang.ClassNotFoundException: io.refundguard.NoSuchBackendFactory)");
        assertThat(Main.rootCause(new IllegalStateException("alone"))).as("nothing more to say").isEmpty();
        assertThat(Main.rootCause(new RuntimeException("disk full", new java.io.IOException("disk full"))))
                .as("already said").isEmpty();
    }

    @Test
    void aReplayWhoseJobCannotStartSaysWhyInOneLine() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, "");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("replay", "--events", events.toString(), "--out", dir.resolve("out").toString(),
                "--set", "flink.configuration.state.backend.type=io.refundguard.NoSuchBackendFactory"),
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("refundguard replay: failed: ")
                .endsWith("(cause: java.lang.ClassNotFoundException: io.refundguard.NoSuchBackendFactory)")
                .doesNotContain("\n");
    }
}
