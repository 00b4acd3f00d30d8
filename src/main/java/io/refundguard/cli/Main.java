package io.refundguard.cli;

import io.refundguard.cli.KafkaCliSupport.CommandFailure;
import io.refundguard.console.ConsoleCommand;
import io.refundguard.console.EvaluateCommand;
import io.refundguard.job.config.ConfigException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The {@code jobs/refundguard} command line, on picocli: every command gets {@code -h}/{@code --help}
 * (its options, exit code 0), and every failure is one line on standard error beginning
 * {@code refundguard <command>:}. A user's mistake (a wrong flag, a missing file, a bad setting)
 * exits 2 and points at the command's help; a failure after the command got going exits 1 (or the
 * code the command documents). No stack trace, unless {@code REFUNDGUARD_DEBUG} is set.
 */
@Command(name = "refundguard", synopsisSubcommandLabel = "<command>",
        description = "RefundGuard: real-time refund-fraud detection on Flink.",
        footer = "%n`refundguard <command> --help` shows a command's options.")
public final class Main extends CliCommand {
    /** Exit code of a user's mistake. */
    static final int EXIT_USAGE = KafkaCliSupport.EXIT_USAGE;
    /** Exit code of a failure after the command got going. */
    static final int EXIT_FAILED = KafkaCliSupport.EXIT_FAILED;

    /**
     * The launcher's commands, in the order `--help` lists them: adding one is one line here. Each
     * is a picocli {@code @Command}; extending {@link CliCommand} gives it -h/--help, the streams
     * and the one-line errors.
     */
    private static List<Object> commands() {
        return List.of(
                new LocalCommand(),
                new ReplayCommand(),
                new SampleDataCommand(),
                new SimulateCommand(),
                new FingerprintCommand(),
                new ClusterCommand(),
                new SubmitCommand(),
                new StopCommand(),
                new RulesCommand(),
                new PublishCommand(),
                new ConsumeCommand(),
                new BenchCommand(),
                new ConsoleCommand(System.getenv(), ConsoleLiveConfig::load, ConsoleLiveConfig::photoRules),
                new EvaluateCommand());
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.in, System.out, System.err));
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /** Runs one command line; {@code in} is what {@code -} (standard input) reads. */
    public static int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        CommandLine cli = commandLine(in, out, err);
        try {
            return cli.execute(args.toArray(String[]::new));
        } finally {
            cli.getOut().flush();
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(InputStream in, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new Main());
        commands().forEach(cli::addSubcommand);
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.addSubcommand(new Completion());
        // A file name starting with @ is a file name, not a file of arguments.
        cli.setExpandAtFiles(false);
        cli.setUsageHelpWidth(100);
        cli.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cli.registerConverter(Integer.class, Main::wholeNumber);
        cli.registerConverter(int.class, Main::wholeNumber);
        cli.registerConverter(Long.class, Main::longNumber);
        cli.registerConverter(long.class, Main::longNumber);
        cli.setParameterExceptionHandler((e, args) -> usageError(e.getCommandLine(), message(e), err));
        cli.setExecutionExceptionHandler((e, command, parsed) -> failure(e, command, err));
        attach(cli, in, out, err);
        return cli;
    }

    private static void attach(CommandLine cli, InputStream in, PrintStream out, PrintStream err) {
        if (cli.getCommand() instanceof CliCommand command) {
            command.attach(in, out, err);
        }
        cli.getSubcommands().values().forEach(sub -> attach(sub, in, out, err));
    }

    /** Without a command: the list of commands, and exit code 2 (nothing was done). */
    @Override
    public Integer call() {
        spec.commandLine().usage(out());
        return EXIT_USAGE;
    }

    private static int usageError(CommandLine command, String message, PrintStream err) {
        String name = command.getCommandSpec().qualifiedName(" ");
        err.println(name + ": " + message);
        err.println("See `" + name + " --help`.");
        return EXIT_USAGE;
    }

    private static int failure(Exception e, CommandLine command, PrintStream err) {
        String name = command.getCommandSpec().qualifiedName(" ");
        if (e instanceof UsageException) {
            return usageError(command, e.getMessage(), err);
        }
        if (e instanceof ConfigException) {
            err.println(name + ": configuration: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (e instanceof CommandFailure f) {
            err.println(name + ": " + f.getMessage());
            return f.exitCode;
        }
        err.println(name + ": failed: " + KafkaCliSupport.oneLine(e) + rootCause(e));
        if (System.getenv("REFUNDGUARD_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return EXIT_FAILED;
    }

    /**
     * The innermost cause, when the line does not already say it: Flink wraps a job's failure in
     * layers ("Failed to execute job 'RefundGuard'.") around the one that matters, such as a class
     * a setting names that is not there.
     */
    static String rootCause(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 50; depth++) {
            root = root.getCause();
        }
        String line = KafkaCliSupport.oneLine(failure);
        String said = root.getMessage() == null ? root.getClass().getName() : root.getMessage().replaceAll("\\s+", " ").trim();
        return root == failure || line.contains(said) ? "" : " (cause: " + root.getClass().getName()
                + (root.getMessage() == null ? "" : ": " + said) + ")";
    }

    /** picocli's messages, in the words the commands use for their own checks. */
    static String message(ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            if (first.startsWith("-") && first.length() > 1) {
                return "unknown option " + first.split("=", 2)[0];
            }
            boolean isRoot = u.getCommandLine().getParent() == null;
            return isRoot ? "unknown command \"" + first + "\"" : "unexpected argument \"" + first + "\"";
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
            ArgSpec missing = m.getMissing().get(0);
            if (missing instanceof OptionSpec option) {
                return e.getMessage().startsWith("Missing required option")
                        ? "missing " + option.longestName() : option.longestName() + " needs a value";
            }
            return "missing " + missing.paramLabel();
        }
        if (e instanceof CommandLine.OverwrittenOptionException o && o.getOverwritten() instanceof OptionSpec option) {
            return option.longestName() + " given twice";
        }
        if (e.getCause() instanceof CommandLine.TypeConversionException t && e.getArgSpec() instanceof OptionSpec option) {
            return option.longestName() + " " + t.getMessage();
        }
        return e.getMessage();
    }

    private static Integer wholeNumber(String text) {
        long value = longNumber(text);
        if (value != (int) value) {
            throw new CommandLine.TypeConversionException("expects a whole number, got \"" + text + "\"");
        }
        return (int) value;
    }

    /** Digits may be grouped with underscores, as in Java: 2_000_000. */
    private static Long longNumber(String text) {
        try {
            return Long.parseLong(text.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("expects a whole number, got \"" + text + "\"");
        }
    }

    /** {@code refundguard completion}: a bash completion script for every command and option. */
    @Command(name = "completion", description = {
            "Print a bash completion script for every command and option.",
            "Load it with: source <(jobs/refundguard completion)"})
    static final class Completion extends CliCommand {
        @Override
        public Integer call() {
            out().print(AutoComplete.bash("refundguard", spec.root().commandLine()));
            return 0;
        }
    }
}
