package io.refundguard.cli;

import io.refundguard.eventtime.StateTtl;
import io.refundguard.job.FlinkSetup;
import io.refundguard.job.KafkaIo;
import io.refundguard.job.RefundGuardJob;
import io.refundguard.job.Topics;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.job.config.TopicSettings;
import io.refundguard.local.KafkaBroker;
import io.refundguard.local.Recovery;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code local}: the whole detector on one machine. A real KRaft broker on 127.0.0.1, the job on a
 * local Flink MiniCluster with RocksDB state, checkpoints and savepoints under {@code var/}. SIGINT
 * (Ctrl-C) and SIGTERM stop with a savepoint; the next start resumes from the newest savepoint or
 * checkpoint.
 */
@Command(name = "local", sortOptions = false, description = {
        "Run the detector on an embedded Kafka broker and a local Flink.",
        "Starts a Kafka broker on 127.0.0.1 (default port 9092), creates the topics, and runs the detector "
        + "on a local Flink with RocksDB state under var/. Ctrl-C, kill -INT or kill -TERM stops it with a "
        + "savepoint (also when started in the background by jobs/refundguard); starting again resumes."})
public final class LocalCommand extends CliCommand {
    @Option(names = "--port", paramLabel = "N",
            description = "The broker's port (default: local.brokerPort, 9092).")
    private Integer port;

    @Mixin
    private ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
        PrintStream out = out();
        RefundGuardConfig defaults = configOptions.load();
        int brokerPort = port != null ? port : defaults.local().brokerPort();
        if (brokerPort < 0 || brokerPort > 65535) {
            throw new UsageException("--port expects 0 to 65535, got " + brokerPort);
        }
        Path var = Path.of(defaults.local().varDir()).toAbsolutePath();
        Files.createDirectories(var.resolve("tmp"));

        KafkaBroker broker = KafkaBroker.start(var.resolve("kafka"), brokerPort);
        RefundGuardConfig config = configOptions.load(List.of("kafka.bootstrapServers=" + broker.bootstrapServers()));
        broker.createTopics(Topics.all(config, config.local().platforms()), config.local().topicPartitions(),
                Topics.configs(config));
        warnOfUnboundedTimestamps(config, out);

        Optional<Path> resumeFrom = Recovery.latest(var.resolve("savepoints"), var.resolve("checkpoints"));
        Configuration flinkConf = FlinkSetup.configuration(config.flink(), config.flink().stateBackend(),
                var.resolve("checkpoints"), resumeFrom.map(p -> p.toUri().toString()).orElse(null));
        flinkConf.setString("rest.port", Integer.toString(config.local().webUiPort()));
        flinkConf.setString("rest.address", "127.0.0.1");
        flinkConf.setString("rest.bind-address", "127.0.0.1");
        flinkConf.setString("io.tmp.dirs", var.resolve("tmp").toString());
        flinkConf.setString("taskmanager.numberOfTaskSlots", Integer.toString(config.flink().parallelism()));
        // A newer build may add operators; their absence in the old state is not an error.
        flinkConf.setString("execution.state-recovery.ignore-unclaimed-state", "true");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flinkConf);
        env.configure(flinkConf);
        boolean checkpointing = !config.flink().checkpointInterval().isZero();
        new RefundGuardJob(config, StateTtl.PROCESSING_TIME, KafkaIo.sources(config), KafkaIo.sinks(config, checkpointing))
                .wire(env);
        JobClient client = env.executeAsync(RefundGuardJob.JOB_NAME);
        StopOnSignals signals = StopOnSignals.install(() -> stop(client, broker, var, out), err());
        printBanner(out, config, broker, resumeFrom, var);
        client.getJobExecutionResult().get();
        return signals.awaitStop();
    }

    /**
     * Warned about, not refused: the local broker is this machine's own, its new topics are created
     * with LogAppendTime, and only a data directory from an earlier release (or a lowered
     * input.maxFutureSkew) lacks the bound; refusing would lock a developer out of their own data.
     */
    private static void warnOfUnboundedTimestamps(RefundGuardConfig config, PrintStream out) throws Exception {
        List<String> topics = Topics.refundEvents(config);
        for (String problem : ClusterTopics.unboundedTimestamps(config.kafka().bootstrapServers(),
                config.kafka().clientProperties(), topics, config.input().maxFutureSkew())) {
            out.println("warning: " + problem + "; " + TimestampBound.fix(config.kafka().bootstrapServers(), topics));
        }
    }

    /** SIGINT or SIGTERM: stop with a savepoint so the next start resumes exactly here, then the broker. */
    private static void stop(JobClient client, KafkaBroker broker, Path var, PrintStream out) {
        out.println("\nstopping: taking a savepoint ...");
        try {
            out.println("savepoint written: " + savepoint(client, var.resolve("savepoints")));
        } catch (Exception e) {
            out.println("no savepoint (" + KafkaCliSupport.oneLine(e)
                    + "); the next start resumes from the last checkpoint instead");
        } finally {
            broker.close();
            out.println("stopped.");
        }
    }

    /**
     * A signal soon after the start finds tasks still deploying or restoring, and Flink refuses a
     * savepoint until all of them run: try again until they do, within a minute.
     */
    private static String savepoint(JobClient client, Path savepoints) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return client.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline || client.getJobStatus().get().isGloballyTerminalState()) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** publish/consume find the configured broker themselves; another one must be named. */
    private String broker(String bootstrap) {
        boolean configured = bootstrap.equals(configOptions.load().kafka().bootstrapServers());
        return configured ? "" : " --bootstrap-servers " + bootstrap;
    }

    private void printBanner(PrintStream out, RefundGuardConfig config, KafkaBroker broker,
            Optional<Path> resumedFrom, Path var) {
        String bootstrap = broker.bootstrapServers();
        TopicSettings t = config.topics();
        out.println();
        out.println("RefundGuard is running.");
        out.println("  Kafka broker   " + bootstrap + "   (data: " + var.resolve("kafka") + ")");
        out.println("  Flink web UI   http://127.0.0.1:" + config.local().webUiPort());
        out.println("  state          " + config.flink().stateBackend() + ", checkpoint every "
                + io.refundguard.settings.Durations.format(config.flink().checkpointInterval()) + " to "
                + var.resolve("checkpoints"));
        out.println("  resumed from   " + resumedFrom.map(Path::toString).orElse("(fresh start)"));
        out.println();
        out.println("Publish events (one JSON object per line):");
        out.println("  jobs/refundguard sample-data --out var/sample.jsonl");
        out.println("  jobs/refundguard publish" + broker(bootstrap) + " --topic " + t.refundEvents()
                + " --key-field platform,requestId var/sample.jsonl");
        out.println("Read alerts, verdicts and dead letters (each follows until Ctrl-C):");
        out.println("  jobs/refundguard consume" + broker(bootstrap) + " --topic " + t.alerts() + " --from-beginning");
        out.println("  jobs/refundguard consume" + broker(bootstrap) + " --topic " + t.verdicts() + " --from-beginning");
        out.println("  jobs/refundguard consume" + broker(bootstrap) + " --topic " + t.deadLetters() + " --from-beginning");
        out.println("Ctrl-C, kill -INT " + ProcessHandle.current().pid() + " or kill -TERM " + ProcessHandle.current().pid()
                + " stops with a savepoint; starting again resumes.");
    }
}
