package io.refundguard.console;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code refundguard console}: the case console over a replay output folder or, live, the alert topics. */
@Command(name = "console", sortOptions = false,
        description = "The case console: a web application where reviewers see every alert as a case, judge it and record the decision as REFUND_OUTCOME events. Offline (--from DIR) over a `replay` output folder; decisions go to --outcomes as JSON lines, ready to publish to refund-events. Live (--live or --bootstrap-servers) over the alert and verdict topics; decisions are published to refund-events. Users and roles: --users; each user's password comes from the environment variable the file names.")
public final class ConsoleCommand implements Callable<Integer> {
    /** Where live mode keeps its journal unless --journal says otherwise. */
    static final String DEFAULT_LIVE_JOURNAL = "console-decisions.jsonl";

    /**
     * Per view, verdicts kept while their alert has not arrived: live, an alert and its trigger's
     * verdict are written within moments of each other, so this only has to cover the records in
     * flight between the two topics.
     */
    static final int LIVE_WAITING_VERDICTS = 10_000;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--from", paramLabel = "DIR", description = "a `replay` output folder (alerts.jsonl, alerts.<platform>.jsonl, verdicts…)")
    Path from;

    @Option(names = "--outcomes", paramLabel = "FILE", description = "where decisions are appended as REFUND_OUTCOME events (default: DIR/outcomes.jsonl)")
    Path outcomes;

    @Option(names = "--journal", paramLabel = "FILE", description = "the console's record of decisions with notes (default: the outcomes file + .decisions; live: " + DEFAULT_LIVE_JOURNAL + ")")
    Path journal;

    @Option(names = "--users", paramLabel = "FILE", defaultValue = "config/console.yaml", description = "users and roles (default: ${DEFAULT-VALUE})")
    Path users;

    @Option(names = "--labels", paramLabel = "FILE", description = "ground truth of a backtest (simulate --labels) for the quality page")
    Path labels;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8090", description = "port to listen on (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--live", description = "live mode: read the alert and verdict topics, publish decisions to refund-events (Kafka as configured)")
    boolean live;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "live mode, at these brokers (default: kafka.bootstrapServers of the configuration)")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "live mode: the configuration file (default: config/refundguard.yaml)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "live mode: override a configuration key, e.g. --set topics.alerts=alerts-test (repeatable)")
    List<String> overrides = new ArrayList<>();

    private final Map<String, String> environment;
    private final LiveConfig.Loader liveConfig;
    private final PhotoRulesLoader photoRules;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ConsoleServer server;

    /** Offline only: live mode needs the launcher's configuration. */
    public ConsoleCommand(Map<String, String> environment) {
        this(environment, (file, sets) -> {
            throw new IllegalArgumentException("live mode needs the launcher's configuration (jobs/refundguard console)");
        });
    }

    public ConsoleCommand(Map<String, String> environment, LiveConfig.Loader liveConfig) {
        this(environment, liveConfig, (file, sets) -> io.refundguard.images.EnrichmentSettings.defaults());
    }

    /** @param photoRules the {@code enrichment.*} rules case photos are fetched under */
    public ConsoleCommand(Map<String, String> environment, LiveConfig.Loader liveConfig, PhotoRulesLoader photoRules) {
        this.environment = environment;
        this.liveConfig = liveConfig;
        this.photoRules = photoRules;
    }

    /** Offline, the default configuration's rules ({@code config/refundguard.yaml}); live, --config and --set apply. */
    private io.refundguard.images.EnrichmentSettings photoRules(Path file, List<String> sets) {
        try {
            return photoRules.load(file, sets);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        boolean liveMode = live || bootstrapServers != null;
        if (liveMode && from != null) {
            throw new ParameterException(spec.commandLine(), "--from DIR (offline) and --live/--bootstrap-servers (live) exclude each other");
        }
        if (liveMode && outcomes != null) {
            throw new ParameterException(spec.commandLine(), "--outcomes applies to offline mode; live, decisions go to refund-events");
        }
        if (!liveMode && (config != null || !overrides.isEmpty())) {
            throw new ParameterException(spec.commandLine(), "--config and --set apply to live mode (--live or --bootstrap-servers)");
        }
        if (liveMode) {
            return runLive();
        }
        if (from == null) {
            throw new ParameterException(spec.commandLine(),
                    "say where the cases come from: --from DIR (a replay output) or --live / --bootstrap-servers HOST:PORT (Kafka)");
        }
        Path outcomesFile = outcomes != null ? outcomes : from.resolve("outcomes.jsonl");
        long start = System.nanoTime();
        var rules = photoRules(null, List.of());
        ConsoleServer started = open(from, outcomesFile, journal, users, labels, environment, Clock.systemUTC(), spec)
                .photoRules(rules).start(host, port);
        server = started;
        var out = spec.commandLine().getOut();
        out.printf("console: %s, ready in %d ms%n", from, (System.nanoTime() - start) / 1_000_000);
        out.printf("  http://%s:%d/   (Ctrl-C stops)%n", host.contains(":") ? "[" + host + "]" : host, started.port());
        out.printf("  decisions → %s%n", outcomesFile);
        out.flush();
        return serveUntilStopped(started);
    }

    private int serveUntilStopped(ConsoleServer started) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.close();
            stopped.countDown();
        }, "console-shutdown"));
        stopped.await();
        return 0;
    }

    private int runLive() throws Exception {
        LiveConfig settings;
        try {
            settings = liveConfig.load(config, overrides);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (bootstrapServers != null) {
            settings = settings.withBootstrapServers(bootstrapServers);
        }
        Path journalFile = journal != null ? journal : Path.of(DEFAULT_LIVE_JOURNAL);
        long start = System.nanoTime();
        var rules = photoRules(config, overrides);
        ConsoleServer started = openLive(settings, journalFile, users, labels, environment, Clock.systemUTC(), spec)
                .photoRules(rules).start(host, port);
        server = started;
        var out = spec.commandLine().getOut();
        out.printf("console: live at %s, ready in %d ms%n", settings.bootstrapServers(), (System.nanoTime() - start) / 1_000_000);
        out.printf("  http://%s:%d/   (Ctrl-C stops)%n", host.contains(":") ? "[" + host + "]" : host, started.port());
        out.printf("  decisions → %s (journal %s)%n", settings.perPlatformEventTopics()
                ? settings.refundEvents() + ".<platform>" : settings.refundEvents(), journalFile);
        out.flush();
        return serveUntilStopped(started);
    }

    /**
     * Live mode, read and checked: the cases of every view read from the topics up to their end,
     * then followed; decisions published to refund-events, notes and who decided what in the journal.
     */
    static ConsoleServer openLive(LiveConfig settings, Path journalFile, Path usersFile, Path labelsFile,
            Map<String, String> environment, Clock clock, CommandSpec spec) throws Exception {
        Access access = Access.read(usersFile, labelsFile, environment, spec);
        var err = spec.commandLine().getErr();
        access.warnLocked(err);
        // The detector writes views for the member platforms only (any other platform code is dead-lettered).
        CaseBook book = CaseBook.empty(settings.platforms(), LIVE_WAITING_VERDICTS);
        KafkaCaseFeed feed;
        try {
            feed = new KafkaCaseFeed(settings, book, err);
        } catch (org.apache.kafka.common.KafkaException e) {
            // A malformed address or client property: the client says which in its cause.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ParameterException(spec.commandLine(), "Kafka client: " + cause.getMessage());
        }
        try {
            feed.start();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            feed.close();
            throw new ParameterException(spec.commandLine(), "no Kafka broker answered at " + settings.bootstrapServers()
                    + " within " + KafkaCaseFeed.BROKER_TIMEOUT.toSeconds() + " s");
        }
        KafkaOutcomes outcomes = new KafkaOutcomes(settings);
        DecisionLog log;
        try {
            log = DecisionLog.open(outcomes, journalFile, clock, java.util.Set.of());
        } catch (Exception e) {
            outcomes.close();
            feed.close();
            throw e;
        }
        return new ConsoleServer(book, access.accounts(), log, new Quality(access.labels()), clock).closing(feed)
                .closing(outcomes);
    }

    /** Everything the server needs, read and checked; a user's mistake is a ParameterException. */
    static ConsoleServer open(Path from, Path outcomesFile, Path journalFile, Path usersFile, Path labelsFile,
            Map<String, String> environment, Clock clock, CommandSpec spec) throws Exception {
        if (!Files.isDirectory(from)) {
            throw new ParameterException(spec.commandLine(), "--from: " + from + " is not a directory");
        }
        Access access = Access.read(usersFile, labelsFile, environment, spec);
        CaseBook book;
        try {
            book = CaseBook.load(from);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        var err = spec.commandLine().getErr();
        book.problems().stream().limit(10).forEach(p -> err.println("console: skipped " + p));
        access.warnLocked(err);
        DecisionLog log = DecisionLog.open(outcomesFile,
                journalFile != null ? journalFile : DecisionLog.journalOf(outcomesFile), clock);
        return new ConsoleServer(book, access.accounts(), log, new Quality(access.labels()), clock);
    }

    /** Who may log in and the backtest's labels, both modes alike; a user's mistake is a ParameterException. */
    private record Access(ConsoleUsers accounts, Labels labels) {
        static Access read(Path usersFile, Path labelsFile, Map<String, String> environment, CommandSpec spec)
                throws IOException {
            if (!Files.isRegularFile(usersFile)) {
                throw new ParameterException(spec.commandLine(), "--users: " + usersFile + " not found");
            }
            if (labelsFile != null && !Files.isRegularFile(labelsFile)) {
                throw new ParameterException(spec.commandLine(), "--labels: " + labelsFile + " not found");
            }
            try {
                return new Access(ConsoleUsers.load(usersFile, environment::get),
                        labelsFile == null ? null : Labels.load(labelsFile));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        /** Says which users cannot log in (their password variable is unset) before anyone tries. */
        void warnLocked(PrintWriter err) {
            accounts.locked().forEach((name, env) -> err.println("console: user " + name + " cannot log in: " + env
                    + " is not set"));
            err.flush();
        }
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
