package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import io.refundguard.cli.Main;
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
        assertThat(run("--bootstrap-servers", "127.0.0.1:9092")).contains("live mode (--bootstrap-servers) is not available");
        assertThat(run()).contains("--from DIR is required");
        assertThat(run("--from", dir.resolve("missing").toString())).contains("is not a directory");
        assertThat(run("--from", dir.resolve("replay").toString(), "--users", dir.resolve("nope.yaml").toString()))
                .contains("--users:").contains("not found");
        assertThat(run("--from", dir.toString())).contains("no alerts.jsonl");
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
