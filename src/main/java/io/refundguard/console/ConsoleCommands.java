package io.refundguard.console;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * The launcher's entry to {@code console} and {@code evaluate}: each parses its own options
 * (picocli), so a mistake prints one line and the usage with exit code 2, {@code --help} exit 0.
 */
public final class ConsoleCommands {
    private ConsoleCommands() {}

    public static boolean handles(String command) {
        return command.equals("console") || command.equals("evaluate");
    }

    /** Offline only; see {@link #run(String, List, PrintStream, PrintStream, LiveConfig.Loader)}. */
    public static int run(String command, List<String> args, PrintStream out, PrintStream err) {
        return run(command, args, out, err, null);
    }

    /** @param liveConfig reads the configuration for live mode; null: live mode unavailable */
    public static int run(String command, List<String> args, PrintStream out, PrintStream err, LiveConfig.Loader liveConfig) {
        Callable<Integer> target = !command.equals("console") ? new EvaluateCommand()
                : liveConfig == null ? new ConsoleCommand(System.getenv()) : new ConsoleCommand(System.getenv(), liveConfig);
        CommandLine line = new CommandLine(target);
        line.setCommandName("refundguard " + command);
        line.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        line.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("refundguard " + command + ": failed: " + e);
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        return line.execute(args.toArray(String[]::new));
    }
}
