package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import io.refundguard.cli.Main;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line of {@code console}: safe defaults, and a user's mistake in one line with exit code 2. */
class ConsoleCommandTest {
    @TempDir
    Path dir;

    @Test
    void listensOnLoopbackUnlessToldOtherwise() {
        ConsoleCommand command = new ConsoleCommand(Map.of());
        new CommandLine(command).parseArgs("--from", "x");
        assertThat(command.host).isEqualTo("127.0.0.1");
        assertThat(command.users).isEqualTo(Path.of("config/console.yaml"));
    }

    @Test
    void mistakesAreOneLineAndExitCode2() throws Exception {
        ReplayFolder.writeSample(dir.resolve("replay"));
        assertThat(run()).contains("--from DIR (a replay output) or --live / --bootstrap-servers");
        assertThat(run("--from", dir.resolve("replay").toString(), "--bootstrap-servers", "127.0.0.1:9092"))
                .contains("exclude each other");
        assertThat(run("--from", dir.resolve("replay").toString(), "--set", "topics.alerts=x")).contains("apply to live mode");
        assertThat(run("--live", "--outcomes", "x.jsonl")).contains("--outcomes applies to offline mode");
        assertThat(run("--from", dir.resolve("missing").toString())).contains("is not a directory");
        assertThat(run("--from", dir.resolve("replay").toString(), "--users", dir.resolve("nope.yaml").toString()))
                .contains("--users:").contains("not found");
        assertThat(run("--from", dir.toString())).contains("no alerts.jsonl");
    }

    @Test
    void aConfigurationMistakeInLiveModeIsOneLineWithExitCode2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // Through the launcher, with the configuration it really loads.
        int code = Main.run(withCommand("console", "--live", "--set", "topics.alerts="),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isEqualTo(2);
        assertThat(text).contains("topics.alerts").doesNotContain("\tat ");
        assertThat(text.strip().lines().count()).as(text).isLessThanOrEqualTo(2);

        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        int code2 = Main.run(withCommand("console", "--bootstrap-servers", "not an address", "--port", "0"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err2, true, StandardCharsets.UTF_8));
        String text2 = err2.toString(StandardCharsets.UTF_8);
        assertThat(code2).as(text2).isEqualTo(2);
        assertThat(text2).contains("Kafka client:").contains("bootstrap").doesNotContain("\tat ");
    }

    private static String run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(withCommand("console", args), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isEqualTo(2);
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
        return text;
    }

    private static List<String> withCommand(String command, String... args) {
        List<String> all = new java.util.ArrayList<>();
        all.add(command);
        all.addAll(List.of(args));
        return all;
    }
}
