package io.refundguard.cli;

import io.refundguard.eventtime.StateTtl;
import io.refundguard.job.FlinkSetup;
import io.refundguard.job.KafkaIo;
import io.refundguard.job.RefundGuardJob;
import io.refundguard.job.Topics;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.job.config.TopicSettings;
import io.refundguard.local.KafkaBroker;
import io.refundguard.local.Recovery;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code local}: the whole detector on one machine. A real KRaft broker on 127.0.0.1, the job on a
 * local Flink MiniCluster with RocksDB state, checkpoints and savepoints under {@code var/}. Ctrl-C
 * stops with a savepoint; the next start resumes from the newest savepoint or checkpoint.
 */
public final class LocalCommand {
    static final String USAGE = """
            usage: refundguard local [--port N] [--config FILE] [--set key=value]...
              Starts a Kafka broker on 127.0.0.1 (default port 9092), creates the topics, and runs the
              detector on a local Flink with RocksDB state under var/. Ctrl-C stops; a restart resumes.""";

    private LocalCommand() {}

    public static int run(List<String> args, PrintStream out) throws Exception {
        Flags flags = Flags.parse(args, Set.of("--port", "--config"), Set.of());
        RefundGuardConfig defaults = ConfigLoader.load(flags.configFile(), flags.settings());
        int port = flags.intValue("--port", defaults.local().brokerPort());
        Path var = Path.of(defaults.local().varDir()).toAbsolutePath();
        Files.createDirectories(var.resolve("tmp"));

        KafkaBroker broker = KafkaBroker.start(var.resolve("kafka"), port);
        List<String> settings = new ArrayList<>(flags.settings());
        settings.add("kafka.bootstrapServers=" + broker.bootstrapServers());
        RefundGuardConfig config = ConfigLoader.load(flags.configFile(), settings);
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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(client, broker, var, out), "refundguard-stop"));
        printBanner(out, config, broker, resumeFrom, var);
        client.getJobExecutionResult().get();
        return 0;
    }

    /** Ctrl-C: stop with a savepoint so the next start resumes exactly here, then the broker. */
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

    private static void stop(JobClient client, KafkaBroker broker, Path var, PrintStream out) {
        out.println("\nstopping: taking a savepoint ...");
        try {
            String savepoint = client.stopWithSavepoint(false, var.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
            out.println("savepoint written: " + savepoint);
        } catch (Exception e) {
            out.println("no savepoint (" + e.getClass().getSimpleName()
                    + "); the next start resumes from the last checkpoint instead");
        } finally {
            broker.close();
            out.println("stopped.");
        }
    }

    private static void printBanner(PrintStream out, RefundGuardConfig config, KafkaBroker broker,
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
        out.println("  jobs/refundguard publish --bootstrap-servers " + bootstrap + " --topic " + t.refundEvents()
                + " --key-field platform,requestId var/sample.jsonl");
        out.println("Read alerts and verdicts:");
        out.println("  jobs/refundguard consume --bootstrap-servers " + bootstrap + " --topic " + t.alerts() + " --from-beginning");
        out.println("  jobs/refundguard consume --bootstrap-servers " + bootstrap + " --topic " + t.verdicts() + " --from-beginning");
        out.println("  jobs/refundguard consume --bootstrap-servers " + bootstrap + " --topic " + t.deadLetters() + " --from-beginning");
        out.println("Ctrl-C stops with a savepoint; starting again resumes.");
    }
}
