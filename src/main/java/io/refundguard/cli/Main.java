package io.refundguard.cli;

import io.refundguard.job.config.ConfigException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code jobs/refundguard} command line. A user's mistake prints one line and the usage, exit
 * code 2; only a genuine failure of ours prints a stack trace.
 */
public final class Main {
    private static final String USAGE = """
            usage: refundguard <command> [options]
            commands:
              local         run the detector on an embedded Kafka broker and a local Flink (Ctrl-C stops, a restart resumes)
              replay        run the detector over a JSON-lines file and write alerts, verdicts and dead letters
              sample-data   write synthetic multi-platform refund traffic with planted fraud
              simulate      realistic traffic at scale (photos, rings, bursts, near-misses) to a file or Kafka, with labels
              fingerprint   print the contract's evidence object (sha256, PDQ, provenance) of image files
              cluster       start/stop/status a standalone Flink cluster and Kafka broker on this machine
              submit        upload the job jar to a Flink cluster and run it (optionally from a savepoint)
              stop          stop the job with a savepoint and print its path
              rules         print a detector-control record: the configured rules with overrides, for a live update
              publish       publish JSON lines to a Kafka topic
              consume       print records of a Kafka topic (read_committed)
              bench         measure the photo index or the live verdict latency on this machine (a table, then one JSON line)
              console       the case console: review a replay's alerts in a browser, decisions become REFUND_OUTCOME events
              evaluate      precision per pattern and rule-set version of a replay, from labels and the console's decisions
            `refundguard <command> --help` shows a command's options.""";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("help")) {
            out.println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (io.refundguard.console.ConsoleCommands.handles(command)) return io.refundguard.console.ConsoleCommands.run(command, rest, out, err, ConsoleLiveConfig::load);
        String usage = usageOf(command);
        if (usage == null) {
            err.println("refundguard: unknown command \"" + command + "\"");
            err.println(USAGE);
            return 2;
        }
        if (rest.contains("--help")) {
            out.println(usage);
            return 0;
        }
        try {
            return switch (command) {
                case "local" -> LocalCommand.run(rest, out);
                case "replay" -> ReplayCommand.run(rest, out);
                case "sample-data" -> SampleDataCommand.run(rest, out);
                case "simulate" -> SimulateCommand.run(rest, out, err);
                case "rules" -> RulesCommand.run(rest, out);
                case "publish" -> PublishCommand.run(rest, out, err);
                case "consume" -> ConsumeCommand.run(rest, out, err);
                case "fingerprint" -> FingerprintCommand.run(rest, out, err);
                case "cluster" -> ClusterCommand.run(rest, out, err);
                case "submit" -> SubmitCommand.run(rest, out, err);
                case "stop" -> StopCommand.run(rest, out, err);
                case "bench" -> BenchCommand.run(rest, out);
                default -> throw new IllegalStateException(command);
            };
        } catch (UsageException e) {
            err.println("refundguard " + command + ": " + e.getMessage());
            err.println(usage);
            return 2;
        } catch (ConfigException e) {
            err.println("refundguard " + command + ": configuration: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("refundguard " + command + ": failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static String usageOf(String command) {
        return switch (command) {
            case "local" -> LocalCommand.USAGE;
            case "replay" -> ReplayCommand.USAGE;
            case "sample-data" -> SampleDataCommand.USAGE;
            case "simulate" -> SimulateCommand.USAGE;
            case "rules" -> RulesCommand.USAGE;
            case "publish", "consume" -> "usage: refundguard " + command + " --help";
            case "fingerprint" -> FingerprintCommand.USAGE;
            case "cluster" -> ClusterCommand.USAGE;
            case "submit" -> SubmitCommand.USAGE;
            case "stop" -> StopCommand.USAGE;
            case "bench" -> BenchCommand.USAGE;
            default -> null;
        };
    }
}
