package io.refundguard.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code refundguard console}: the case console over a replay output folder. */
@Command(name = "console", sortOptions = false,
        description = "The case console: a web application where reviewers see every alert as a case, judge it and record the decision as REFUND_OUTCOME events. Offline over a `replay` output folder; decisions go to --outcomes as JSON lines, ready to publish to refund-events. Users and roles: --users; each user's password comes from the environment variable the file names.")
public final class ConsoleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--from", paramLabel = "DIR", description = "a `replay` output folder (alerts.jsonl, alerts.<platform>.jsonl, verdicts…)")
    Path from;

    @Option(names = "--outcomes", paramLabel = "FILE", description = "where decisions are appended as REFUND_OUTCOME events (default: DIR/outcomes.jsonl)")
    Path outcomes;

    @Option(names = "--journal", paramLabel = "FILE", description = "the console's record of decisions with notes (default: the outcomes file + .decisions)")
    Path journal;

    @Option(names = "--users", paramLabel = "FILE", defaultValue = "config/console.yaml", description = "users and roles (default: ${DEFAULT-VALUE})")
    Path users;

    @Option(names = "--labels", paramLabel = "FILE", description = "ground truth of a backtest (simulate --labels) for the quality page")
    Path labels;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8090", description = "port to listen on (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "live mode over Kafka: not available in this release")
    String bootstrapServers;

    private final Map<String, String> environment;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ConsoleServer server;

    public ConsoleCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        if (bootstrapServers != null) {
            throw new ParameterException(spec.commandLine(),
                    "live mode (--bootstrap-servers) is not available in this release; use --from DIR over a replay output");
        }
        if (from == null) {
            throw new ParameterException(spec.commandLine(), "--from DIR is required");
        }
        Path outcomesFile = outcomes != null ? outcomes : from.resolve("outcomes.jsonl");
        long start = System.nanoTime();
        ConsoleServer started = open(from, outcomesFile, journal, users, labels, environment, Clock.systemUTC(), spec)
                .start(host, port);
        server = started;
        var out = spec.commandLine().getOut();
        out.printf("console: %s, ready in %d ms%n", from, (System.nanoTime() - start) / 1_000_000);
        out.printf("  http://%s:%d/   (Ctrl-C stops)%n", host.contains(":") ? "[" + host + "]" : host, started.port());
        out.printf("  decisions → %s%n", outcomesFile);
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.close();
            stopped.countDown();
        }, "console-shutdown"));
        stopped.await();
        return 0;
    }

    /** Everything the server needs, read and checked; a user's mistake is a ParameterException. */
    static ConsoleServer open(Path from, Path outcomesFile, Path journalFile, Path usersFile, Path labelsFile,
            Map<String, String> environment, Clock clock, CommandSpec spec) throws Exception {
        if (!Files.isDirectory(from)) {
            throw new ParameterException(spec.commandLine(), "--from: " + from + " is not a directory");
        }
        if (!Files.isRegularFile(usersFile)) {
            throw new ParameterException(spec.commandLine(), "--users: " + usersFile + " not found");
        }
        if (labelsFile != null && !Files.isRegularFile(labelsFile)) {
            throw new ParameterException(spec.commandLine(), "--labels: " + labelsFile + " not found");
        }
        CaseBook book;
        ConsoleUsers accounts;
        Labels labels;
        try {
            book = CaseBook.load(from);
            accounts = ConsoleUsers.load(usersFile, environment::get);
            labels = labelsFile == null ? null : Labels.load(labelsFile);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        var err = spec.commandLine().getErr();
        book.problems().stream().limit(10).forEach(p -> err.println("console: skipped " + p));
        accounts.locked().forEach((name, env) -> err.println("console: user " + name + " cannot log in: " + env + " is not set"));
        err.flush();
        DecisionLog log = DecisionLog.open(outcomesFile,
                journalFile != null ? journalFile : DecisionLog.journalOf(outcomesFile), clock);
        return new ConsoleServer(book, accounts, log, new Quality(labels), clock);
    }

    /** For tests and the harness: stops a running {@link #call()}. */
    void stop() {
        ConsoleServer running = server;
        if (running != null) {
            running.close();
        }
        stopped.countDown();
    }
}
