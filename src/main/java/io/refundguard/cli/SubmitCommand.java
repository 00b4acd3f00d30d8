package io.refundguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.cli.KafkaCliSupport.CommandFailure;
import io.refundguard.images.ImageSettings;
import io.refundguard.job.RefundGuardJob;
import io.refundguard.job.Topics;
import io.refundguard.job.config.ConfigException;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RecoveryTime;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.local.KafkaLogging;
import io.refundguard.settings.Durations;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.util.Set;

/**
 * {@code submit}: creates the job's missing topics, uploads the job jar to a Flink cluster
 * ({@code POST /jars/upload}), runs it ({@code POST /jars/<id>/run}), optionally from a savepoint,
 * waits until the job is RUNNING, and prints its id (alone on standard output, for scripts).
 */
@Command(name = "submit", sortOptions = false, description = {
        "Upload the job jar to a Flink cluster and run it (optionally from a savepoint).",
        "Creates missing topics, uploads the job jar to the Flink cluster and starts the job; prints the job "
        + "id."})
public final class SubmitCommand extends CliCommand {
    static final Path DEFAULT_JAR = Path.of("target/refundguard-0.1.0-SNAPSHOT-job.jar");
    private static final long RUNNING_TIMEOUT_MS = 90_000;

    @Option(names = "--rest", paramLabel = "URL",
            description = "The cluster's REST endpoint (default: the `cluster` in --dir, else "
                    + "http://127.0.0.1:8081).")
    private String rest;

    @Option(names = "--from-savepoint", paramLabel = "PATH",
            description = "Resume from this savepoint or retained checkpoint (a directory or its _metadata).")
    private String fromSavepoint;

    @Option(names = "--allow-non-restored-state",
            description = "Resume even if the savepoint holds state no operator claims.")
    private boolean allowNonRestoredState;

    @Option(names = "--allow-producer-timestamps",
            description = "Start even though refund-events keeps producers' timestamps without a bound (neither "
                    + "LogAppendTime nor message.timestamp.after.max.ms <= input.maxFutureSkew); only where every "
                    + "producer is trusted.")
    private boolean allowProducerTimestamps;

    @Option(names = "--jar", paramLabel = "FILE",
            description = "Default: target/refundguard-0.1.0-SNAPSHOT-job.jar.")
    private Path jarFile;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "A cluster started by `refundguard cluster` (default var/cluster): its REST and Kafka "
                    + "ports and job defaults (config/cluster.yaml) are used.")
    private Path dirOption;

    @Mixin
    private ConfigOptions configOptions;

    @Override
    public Integer call() throws CommandFailure {
        KafkaLogging.silentClients();
        PrintStream out = out();
        PrintStream err = err();
        List<String> settings = configOptions.settings();
        Path jar = jarFile != null ? jarFile : DEFAULT_JAR;
        if (!Files.isRegularFile(jar)) {
            throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "no job jar at " + jar
                    + (jarFile != null ? "" : " (build it: mvn -B -ntp -DskipTests package)"));
        }
        Path configFile = configOptions.file() == null ? null : configOptions.file().toAbsolutePath();
        String savepoint = fromSavepoint != null ? savepoint(fromSavepoint) : null;

        // Defaults from the local cluster, if there is one; the user's --set come last and win.
        Properties cluster = new Properties();
        List<String> effective = new ArrayList<>();
        Path dir = (dirOption != null ? dirOption : Path.of("var/cluster")).toAbsolutePath().normalize();
        if (Files.isRegularFile(dir.resolve(ClusterCommand.STATE_FILE))) {
            cluster = new ClusterCommand.Layout(dir).readState();
            if (Files.isRegularFile(ClusterSettings.DEFAULT_FILE)) {
                ClusterSettings s = ClusterSettings.load(ClusterSettings.DEFAULT_FILE);
                effective.add("flink.parallelism=" + s.jobParallelism());
                effective.add("flink.checkpointInterval=" + Durations.format(s.checkpointInterval()));
            }
            effective.add("kafka.bootstrapServers=127.0.0.1:" + cluster.getProperty("kafkaPort"));
        } else if (dirOption != null) {
            throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "no cluster in " + dir + " (refundguard cluster start --dir "
                    + dir + ")");
        }
        effective.addAll(settings);
        // Fails here, with the setting's name, rather than inside the JobManager.
        RefundGuardConfig config = ConfigLoader.load(configFile, effective);
        String restUrl = rest != null ? rest : cluster.containsKey("restPort")
                ? "http://127.0.0.1:" + cluster.getProperty("restPort") : "http://127.0.0.1:8081";
        FlinkRest flink = new FlinkRest(restUrl);
        try {
            flink.get("/overview");
        } catch (FlinkRest.HttpFailure e) {
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, restUrl + " is not a Flink REST endpoint: " + e.getMessage());
        }

        int partitions = Integer.parseInt(cluster.getProperty("topicPartitions",
                Integer.toString(config.local().topicPartitions())));
        checkTransactionTimeout(config, clusterFlinkConfiguration(flink));

        List<String> created = ClusterTopics.ensure(config.kafka().bootstrapServers(), config.kafka().clientProperties(),
                Topics.all(config, config.local().platforms()), partitions, (short) 1, Topics.configs(config));
        if (!created.isEmpty()) {
            err.println("created topics " + created + " at " + config.kafka().bootstrapServers());
        }
        checkTimestampBound(config, allowProducerTimestamps, err);
        if (config.images().clusterKeySecret().equals(ImageSettings.LOCAL_ONLY_SECRET)) {
            err.println("warning: images.clusterKeySecret is the shipped, public value: anyone can compute the IMAGE"
                    + " subject keys of alerts; give this deployment its own (docs/operations.md)");
        }

        List<String> programArgs = new ArrayList<>();
        if (configFile != null) {
            programArgs.add("--config");
            programArgs.add(configFile.toString());
        }
        for (String setting : effective) {
            programArgs.add("--set");
            programArgs.add(setting);
        }

        String jarId;
        try {
            JsonNode uploaded = flink.uploadJar(jar);
            String filename = uploaded.path("filename").asText();
            jarId = filename.substring(filename.lastIndexOf('/') + 1);
            if (jarId.isEmpty()) {
                throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "the cluster did not say where it stored the jar");
            }
        } catch (FlinkRest.HttpFailure e) {
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "uploading " + jar + " failed: " + e.getMessage());
        }
        String jobId;
        try {
            ObjectNode body = FlinkRest.JSON.createObjectNode();
            body.put("entryClass", RefundGuardJob.class.getName());
            body.set("programArgsList", FlinkRest.JSON.valueToTree(programArgs));
            if (savepoint != null) {
                body.put("savepointPath", savepoint);
                body.put("allowNonRestoredState", allowNonRestoredState);
            }
            jobId = flink.post("/jars/" + jarId + "/run", body).path("jobid").asText();
        } catch (FlinkRest.HttpFailure e) {
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "the cluster did not start the job: " + e.getMessage());
        } finally {
            try {
                flink.delete("/jars/" + jarId); // the job keeps its own copy; don't pile up 24 MB per submit
            } catch (FlinkRest.HttpFailure | CommandFailure e) {
                // not worth failing the submission for
            }
        }
        if (jobId.isEmpty()) {
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "the cluster did not return a job id");
        }
        awaitRunning(flink, jobId, err);
        err.println("job " + jobId + " running on " + restUrl + (savepoint == null ? "" : " (restored from " + savepoint + ")"));
        out.println(jobId);
        return 0;
    }

    /**
     * The transaction timeout against the cluster's own heartbeat timeout and restart strategy
     * (which the job's settings cannot see at load time), the job's {@code flink.configuration}
     * on top, as the job will run.
     */
    static void checkTransactionTimeout(RefundGuardConfig config, Map<String, String> clusterConfiguration) {
        if (config.flink().checkpointInterval().isZero()) {
            return;
        }
        Map<String, String> inForce = new HashMap<>(clusterConfiguration);
        inForce.putAll(config.flink().configuration());
        try {
            RecoveryTime.of(config.flink().checkpointInterval(), inForce).check(config.kafka().transactionTimeout());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (heartbeat timeout and restart strategy as the cluster at the"
                    + " --rest URL has them)");
        }
    }

    /** {@code GET /jobmanager/config}: the cluster's Flink configuration; empty if it will not say. */
    private static Map<String, String> clusterFlinkConfiguration(FlinkRest flink) throws CommandFailure {
        Map<String, String> conf = new HashMap<>();
        try {
            for (JsonNode entry : flink.get("/jobmanager/config")) {
                conf.put(entry.path("key").asText(), entry.path("value").asText());
            }
        } catch (FlinkRest.HttpFailure e) {
            // Flink's defaults then, as at load time.
        }
        return conf;
    }

    /**
     * Refuses to start the job on refund-events topics whose producers choose their records'
     * timestamps without a bound: a forged timestamp would defeat the future-skew guard. Refused, not
     * warned about, because a warning scrolls past in a deployment script while the gap stays open;
     * {@code --allow-producer-timestamps} is the explicit, visible way to accept it.
     */
    private static void checkTimestampBound(RefundGuardConfig config, boolean allowed, PrintStream err)
            throws CommandFailure {
        List<String> topics = Topics.refundEvents(config);
        List<String> problems = ClusterTopics.unboundedTimestamps(config.kafka().bootstrapServers(),
                config.kafka().clientProperties(), topics, config.input().maxFutureSkew());
        if (problems.isEmpty()) {
            return;
        }
        if (allowed) {
            problems.forEach(problem -> err.println("warning: " + problem + " (accepted: --allow-producer-timestamps)"));
            return;
        }
        throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, String.join("; ", problems)
                + ": a producer could forge timestamps that move the job's event time; "
                + TimestampBound.fix(config.kafka().bootstrapServers(), topics)
                + "\n(or start anyway with --allow-producer-timestamps)");
    }

    /** A local path must exist; remote paths (s3://, hdfs://) are checked by the cluster. */
    private static String savepoint(String path) throws CommandFailure {
        // Flink prints local savepoints as file:/path, remote ones as s3://bucket/path.
        URI uri = path.matches("[A-Za-z][A-Za-z0-9+.-]+:.*") ? URI.create(path.replace(" ", "%20")) : null;
        if (uri == null || "file".equals(uri.getScheme())) {
            Path local = uri == null ? Path.of(path) : Path.of(uri.getPath());
            if (!Files.exists(local)) {
                throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "--from-savepoint: no such savepoint: " + path);
            }
            return local.toAbsolutePath().toUri().toString();
        }
        return path;
    }

    private static void awaitRunning(FlinkRest flink, String jobId, PrintStream err) throws CommandFailure {
        long deadline = System.currentTimeMillis() + RUNNING_TIMEOUT_MS;
        String state = "";
        while (System.currentTimeMillis() < deadline) {
            try {
                JsonNode job = flink.get("/jobs/" + jobId);
                state = job.path("state").asText();
                if (state.equals("RUNNING")) {
                    boolean allRunning = true;
                    for (JsonNode vertex : job.path("vertices")) {
                        allRunning &= vertex.path("status").asText().equals("RUNNING");
                    }
                    if (allRunning) {
                        return;
                    }
                } else if (Set.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
                    throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "job " + jobId + " is " + state + ": "
                            + rootCause(flink, jobId));
                }
            } catch (FlinkRest.HttpFailure e) {
                // just submitted: the dispatcher may not list it for a moment
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "interrupted");
            }
        }
        err.println("refundguard submit: job " + jobId + " submitted but not yet running after " + RUNNING_TIMEOUT_MS / 1000
                + " s (state " + state + "): " + rootCause(flink, jobId));
    }

    static String rootCause(FlinkRest flink, String jobId) {
        try {
            JsonNode root = flink.get("/jobs/" + jobId + "/exceptions").path("rootException");
            if (root.isTextual()) {
                return FlinkRest.errorMessage(FlinkRest.JSON.createObjectNode().set("errors",
                        FlinkRest.JSON.createArrayNode().add(root.asText())), 500);
            }
        } catch (FlinkRest.HttpFailure | CommandFailure e) {
            // fall through
        }
        return "see the JobManager log";
    }
}
