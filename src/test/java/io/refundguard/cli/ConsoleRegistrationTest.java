package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher knows {@code console} and {@code evaluate}, and hands them their own options. */
class ConsoleRegistrationTest {
    @Test
    void consoleAndEvaluateAreCommandsOfTheLauncher() {
        for (String command : List.of("console", "evaluate")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = Main.run(List.of(command, "--help"), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream()));
            assertThat(code).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("refundguard " + command).contains("--from");
        }
        ByteArrayOutputStream usage = new ByteArrayOutputStream();
        Main.run(List.of("--help"), new PrintStream(usage, true, StandardCharsets.UTF_8), System.err);
        assertThat(usage.toString(StandardCharsets.UTF_8)).contains("console ", "evaluate ");
    }
}
