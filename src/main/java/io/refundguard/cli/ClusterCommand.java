package io.refundguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.cli.KafkaCliSupport.CommandFailure;
import io.refundguard.job.Topics;
import io.refundguard.job.config.ConfigException;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.local.KafkaLogging;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * {@code cluster start|stop|status}: a standalone Flink session cluster (one JobManager, N
 * TaskManagers) and one Kafka broker as separate processes on 127.0.0.1, from the jars Maven
 * resolved (no Flink distribution needed). Everything lives under one directory ({@code
 * var/cluster}): {@code conf/}, {@code log/}, {@code pids/}, {@code tmp/}, {@code checkpoints/},
 * {@code savepoints/}, {@code kafka/}.
 *
 * <p>{@code start} is idempotent: it starts whatever is not running (a TaskManager that died is
 * replaced), then waits until the REST API answers and every TaskManager has registered.
 */
@Command(name = "cluster", sortOptions = false, description = {
        "Start/stop/status a standalone Flink cluster and Kafka broker on this machine.",
        "  start   start a Flink JobManager, N TaskManagers and a Kafka broker on 127.0.0.1 (whatever is not",
        "          running yet; a dead TaskManager is replaced), create the topics, and wait until the",
        "          TaskManagers have registered",
        "  status  which processes run, registered TaskManagers and slots, and the jobs (exit status 3 when",
        "          no cluster is there)",
        "  stop    stop every process of the cluster (jobs are not savepointed: `refundguard stop` first)"})
public final class ClusterCommand extends CliCommand {

    static final String STATE_FILE = "cluster.properties";
    static final String JOBMANAGER = "jobmanager";
    static final String BROKER = "broker";
    private static final String MARKER_PROPERTY = "refundguard.cluster";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What the Flink distribution passes to its JVMs on Java 17: Flink and its libraries reflect
     * into these JDK packages (without them, e.g. {@code InaccessibleObjectException ... does not
     * "opens java.util"} when a jar's main runs in the JobManager).
     */
    static final List<String> JDK_ACCESS_FLAGS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    @Parameters(paramLabel = "start|stop|status", arity = "0..1", description = "What to do (see above).")
    private String action;

    @Option(names = "--taskmanagers", paramLabel = "N",
            description = "TaskManagers, 1 to 16 (default: the settings).")
    private String taskManagers;

    @Option(names = "--rest-port", paramLabel = "P", description = "Flink REST port (default: the settings).")
    private String restPort;

    @Option(names = "--kafka-port", paramLabel = "K", description = "Kafka port (default: the settings).")
    private String kafkaPort;

    @Option(names = "--dir", paramLabel = "DIR", description =
            "Where the cluster keeps conf, logs, pids, checkpoints, savepoints and Kafka data "
            + "(default: `dir` in the settings, var/cluster).")
    private Path dir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Cluster settings (default config/cluster.yaml).")
    private Path config;

    @Override
    public Integer call() throws CommandFailure {
        KafkaLogging.silentClients();
        if (action == null) {
            throw new UsageException("missing start, stop or status");
        }
        ClusterSettings settings = settings();
        Layout layout = new Layout(settings.dir().toAbsolutePath().normalize());
        PrintStream out = out();
        return switch (action) {
            case "start" -> start(settings, layout, out);
            case "stop" -> stop(layout, out);
            case "status" -> status(layout, out);
            default -> throw new UsageException("expected start, stop or status, got \"" + action + "\"");
        };
    }

    private ClusterSettings settings() throws UsageException {
        if (action != null && !List.of("start", "stop", "status").contains(action)) {
            throw new UsageException("expected start, stop or status, got \"" + action + "\"");
        }
        ClusterSettings settings = ClusterSettings.load(config != null ? config : ClusterSettings.DEFAULT_FILE);
        return settings.withOverrides(
                dir,
                number("--rest-port", restPort, 1, 65535),
                number("--taskmanagers", taskManagers, 1, 16),
                number("--kafka-port", kafkaPort, 1, 65535));
    }

    private static Integer number(String flag, String value, int min, int max) throws UsageException {
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + " expects a whole number from " + min + " to " + max + ", got \"" + value + "\"");
    }

    // ---------------------------------------------------------------------------------- start

    private static int start(ClusterSettings requested, Layout layout, PrintStream out) throws CommandFailure {
        long began = System.nanoTime();
        Properties state = layout.readState();
        boolean anyRunning = layout.roles().stream().anyMatch(layout::isRunning);
        ClusterSettings s = requested;
        int rpcPort;
        if (anyRunning && !state.isEmpty()) {
            // A running cluster keeps its ports; asking for others is a mistake, not a restart.
            int restPort = Integer.parseInt(state.getProperty("restPort"));
            int kafkaPort = Integer.parseInt(state.getProperty("kafkaPort"));
            if (restPort != requested.restPort() || kafkaPort != requested.kafkaPort()) {
                throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "the cluster in " + layout.dir
                        + " is already running with REST port " + restPort + " and Kafka port " + kafkaPort
                        + "; stop it first to change ports");
            }
            rpcPort = Integer.parseInt(state.getProperty("rpcPort"));
        } else {
            requireFree(requested.restPort(), "--rest-port");
            requireFree(requested.kafkaPort(), "--kafka-port");
            rpcPort = freePort();
        }
        layout.createDirectories(s.taskManagers());
        layout.writeState(s, rpcPort);
        writeFlinkConfig(s, layout, rpcPort);
        writeLog4j(layout);

        List<String> started = new ArrayList<>();
        String bootstrap = "127.0.0.1:" + s.kafkaPort();
        if (!layout.isRunning(BROKER)) {
            launch(layout, BROKER, brokerCommand(s, layout));
            started.add(BROKER);
            awaitBroker(layout, s.kafkaPort());
        }
        List<String> topics = createTopics(s, bootstrap);

        if (!layout.isRunning(JOBMANAGER)) {
            launch(layout, JOBMANAGER, jobManagerCommand(s, layout));
            started.add(JOBMANAGER);
        }
        Map<String, String> expectedIds = new LinkedHashMap<>();
        for (int i = 1; i <= s.taskManagers(); i++) {
            String role = "taskmanager-" + i;
            if (!layout.isRunning(role)) {
                String resourceId = role + "-" + System.currentTimeMillis();
                launch(layout, role, taskManagerCommand(s, layout, role, resourceId));
                layout.write(layout.pids.resolve(role + ".id"), resourceId);
                started.add(role);
            }
            expectedIds.put(role, layout.read(layout.pids.resolve(role + ".id")).orElse(""));
        }
        String rest = "http://127.0.0.1:" + s.restPort();
        awaitRegistered(layout, new FlinkRest(rest), expectedIds);
        double seconds = (System.nanoTime() - began) / 1e9;
        out.println(started.isEmpty() ? "cluster already running" : "started " + String.join(", ", started)
                + String.format(" in %.1f s", seconds));
        out.println("  Flink REST / web UI  " + rest);
        out.println("  Kafka                " + bootstrap + (topics.isEmpty() ? "" : "   (created " + topics.size() + " topics)"));
        out.println("  TaskManagers         " + s.taskManagers() + " x " + s.slots() + " slots, "
                + s.taskManagerMemory() + " each");
        out.println("  directory            " + layout.dir + "   (logs in log/)");
        out.println("Next: jobs/refundguard submit" + (s.restPort() == 8081 && layout.isDefault() ? ""
                : " --dir " + layout.dir));
        return 0;
    }

    private static List<String> createTopics(ClusterSettings s, String bootstrap) throws CommandFailure {
        RefundGuardConfig config = ConfigLoader.load(List.of("kafka.bootstrapServers=" + bootstrap));
        return ClusterTopics.ensure(bootstrap, config.kafka().clientProperties(),
                Topics.all(config, s.platforms()), s.topicPartitions(), (short) 1, Topics.configs(config));
    }

    static void writeFlinkConfig(ClusterSettings s, Layout layout, int rpcPort) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("jobmanager.rpc.address", "127.0.0.1");
        conf.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        conf.put("jobmanager.bind-host", "127.0.0.1");
        conf.put("jobmanager.memory.process.size", s.jobManagerMemory());
        conf.put("taskmanager.bind-host", "127.0.0.1");
        conf.put("taskmanager.host", "127.0.0.1");
        conf.put("taskmanager.memory.process.size", s.taskManagerMemory());
        conf.put("taskmanager.numberOfTaskSlots", Integer.toString(s.slots()));
        // Spread a job's slots over the TaskManagers, so losing one is a partial failure.
        conf.put("taskmanager.load-balance.mode", "SLOTS");
        conf.put("parallelism.default", Integer.toString(s.jobParallelism()));
        conf.put("rest.address", "127.0.0.1");
        conf.put("rest.bind-address", "127.0.0.1");
        conf.put("rest.port", Integer.toString(s.restPort()));
        conf.put("web.upload.dir", layout.dir.resolve("web-upload").toString());
        conf.put("io.tmp.dirs", layout.tmp.resolve(JOBMANAGER).toString());
        conf.put("state.backend.type", "rocksdb");
        conf.put("execution.checkpointing.dir", layout.dir.resolve("checkpoints").toUri().toString());
        conf.put("execution.checkpointing.savepoint-dir", layout.dir.resolve("savepoints").toUri().toString());
        conf.put("execution.checkpointing.incremental", "true");
        conf.put("execution.checkpointing.interval", s.checkpointInterval().toMillis() + " ms");
        conf.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        conf.put("restart-strategy.type", s.restartType());
        if (s.restartType().equals("fixed-delay")) {
            conf.put("restart-strategy.fixed-delay.attempts", Integer.toString(s.restartAttempts()));
            conf.put("restart-strategy.fixed-delay.delay", s.restartDelay().toMillis() + " ms");
        } else if (s.restartType().equals("exponential-delay")) {
            conf.put("restart-strategy.exponential-delay.initial-backoff", s.restartDelay().toMillis() + " ms");
            conf.put("restart-strategy.exponential-delay.attempts-before-reset-backoff",
                    Integer.toString(s.restartAttempts()));
        }
        conf.putAll(s.flinkConfiguration());
        StringBuilder yaml = new StringBuilder("# Written by `refundguard cluster start` from config/cluster.yaml;"
                + " rewritten on every start.\n");
        conf.forEach((k, v) -> yaml.append(k).append(": ").append(yamlString(v)).append('\n'));
        layout.write(layout.conf.resolve("config.yaml"), yaml.toString());
    }

    private static String yamlString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void writeLog4j(Layout layout) {
        layout.write(layout.conf.resolve("log4j.properties"), String.join("\n",
                "# Flink processes of `refundguard cluster`: one file per process (log.file is set per JVM).",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.append = true",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = WARN",
                "logger.pekko.name = org.apache.pekko",
                "logger.pekko.level = WARN",
                "logger.zookeeper.name = org.apache.zookeeper",
                "logger.zookeeper.level = WARN",
                ""));
    }

    // ------------------------------------------------------------------------ process commands

    private static List<String> jobManagerCommand(ClusterSettings s, Layout layout) {
        Configuration conf = new Configuration();
        conf.setString("jobmanager.memory.process.size", s.jobManagerMemory());
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(conf);
        List<String> cmd = javaCommand(layout, JOBMANAGER);
        cmd.addAll(words(JobManagerProcessUtils.generateJvmParametersStr(spec, conf)));
        cmd.addAll(List.of("-cp", flinkClasspath(),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                "--configDir", layout.conf.toString()));
        cmd.addAll(words(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
        return cmd;
    }

    private static List<String> taskManagerCommand(ClusterSettings s, Layout layout, String role, String resourceId) {
        Configuration conf = new Configuration();
        conf.setString("taskmanager.memory.process.size", s.taskManagerMemory());
        conf.setString("taskmanager.numberOfTaskSlots", Integer.toString(s.slots()));
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        List<String> cmd = javaCommand(layout, role);
        cmd.addAll(words(ProcessMemoryUtils.generateJvmParametersStr(spec)));
        cmd.addAll(List.of("-cp", flinkClasspath(),
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                "--configDir", layout.conf.toString(),
                "-D", "taskmanager.resource-id=" + resourceId,
                "-D", "io.tmp.dirs=" + layout.tmp.resolve(role)));
        cmd.addAll(words(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
        return cmd;
    }

    private static List<String> brokerCommand(ClusterSettings s, Layout layout) {
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-D" + MARKER_PROPERTY + "=" + BROKER + "@" + layout.dir,
                "-Xmx" + s.kafkaHeap(), "-Xms" + s.kafkaHeap(),
                "-Djava.io.tmpdir=" + layout.tmp.resolve(BROKER),
                "-Dlog4j2.configurationFile=" + Path.of("config/log4j2.properties").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"),
                "io.refundguard.local.BrokerProcess", layout.dir.resolve("kafka").toString(),
                Integer.toString(s.kafkaPort())));
        s.brokerProperties().forEach((k, v) -> cmd.add(k + "=" + v));
        return cmd;
    }

    private static List<String> javaCommand(Layout layout, String role) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add("-D" + MARKER_PROPERTY + "=" + role + "@" + layout.dir);
        cmd.addAll(JDK_ACCESS_FLAGS);
        cmd.add("-Djava.io.tmpdir=" + layout.tmp.resolve(role));
        cmd.add("-Dlog.file=" + layout.log.resolve(role + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + layout.conf.resolve("log4j.properties").toUri());
        cmd.add("-Dlog4j2.configurationFile=" + layout.conf.resolve("log4j.properties").toUri());
        return cmd;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Flink's own jars from this JVM's class path, without the job's classes and its Kafka
     * libraries: those come with the job jar, and a second copy on the cluster's class path would
     * load Kafka classes from two class loaders.
     */
    static String flinkClasspath() {
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            boolean ours = e.endsWith("/classes") || e.endsWith("/test-classes") || e.contains("refundguard-");
            boolean kafka = e.contains("/org/apache/kafka/") || e.contains("flink-connector-kafka");
            if (!entry.isBlank() && !ours && !kafka) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    private static List<String> words(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private static void launch(Layout layout, String role, List<String> command) {
        Path outFile = layout.log.resolve(role + ".out");
        try {
            Files.writeString(outFile, "");
            Process process = new ProcessBuilder(command)
                    .directory(Path.of("").toAbsolutePath().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(outFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            layout.write(layout.pids.resolve(role + ".pid"), Long.toString(process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------ readiness

    private static void awaitBroker(Layout layout, int port) throws CommandFailure {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Path out = layout.log.resolve(BROKER + ".out");
        while (System.nanoTime() < deadline) {
            String text = layout.read(out).orElse("");
            if (text.contains("ready ")) {
                return;
            }
            if (!layout.isRunning(BROKER)) {
                throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "the Kafka broker exited: "
                        + lastLine(text) + " (see " + out + ")");
            }
            sleep(200);
        }
        throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "the Kafka broker on port " + port
                + " was not ready within " + READY_TIMEOUT.toSeconds() + " s (see " + out + ")");
    }

    private static void awaitRegistered(Layout layout, FlinkRest rest, Map<String, String> expected)
            throws CommandFailure {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String waitingFor = "the REST API";
        while (System.nanoTime() < deadline) {
            for (String role : layout.roles()) {
                if ((role.equals(JOBMANAGER) || expected.containsKey(role)) && !layout.isRunning(role)) {
                    Path log = layout.log.resolve(role + ".log");
                    throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, role + " exited during start-up; see "
                            + log + " and " + layout.log.resolve(role + ".out"));
                }
            }
            try {
                JsonNode tms = rest.get("/taskmanagers").path("taskmanagers");
                Set<String> registered = new TreeSet<>();
                tms.forEach(tm -> registered.add(tm.path("id").asText()));
                List<String> missing = expected.entrySet().stream()
                        .filter(e -> !registered.contains(e.getValue())).map(Map.Entry::getKey).toList();
                if (missing.isEmpty()) {
                    return;
                }
                waitingFor = String.join(", ", missing) + " to register";
            } catch (CommandFailure | FlinkRest.HttpFailure e) {
                // not up yet
            }
            sleep(500);
        }
        throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "timed out after " + READY_TIMEOUT.toSeconds()
                + " s waiting for " + waitingFor + "; see " + layout.log);
    }

    // ------------------------------------------------------------------------------- status

    private static int status(Layout layout, PrintStream out) throws CommandFailure {
        Properties state = layout.readState();
        if (state.isEmpty()) {
            out.println("no cluster in " + layout.dir + " (refundguard cluster start)");
            return 3;
        }
        boolean allUp = true;
        int tms = Integer.parseInt(state.getProperty("taskManagers", "0"));
        List<String> roles = new ArrayList<>(List.of(JOBMANAGER, BROKER));
        for (int i = 1; i <= tms; i++) {
            roles.add("taskmanager-" + i);
        }
        for (String role : roles) {
            Optional<Long> pid = layout.pid(role);
            boolean up = layout.isRunning(role);
            allUp &= up;
            String where = switch (role) {
                case JOBMANAGER -> "http://127.0.0.1:" + state.getProperty("restPort");
                case BROKER -> "127.0.0.1:" + state.getProperty("kafkaPort")
                        + (up && !answers(Integer.parseInt(state.getProperty("kafkaPort"))) ? " (not accepting connections)" : "");
                default -> "";
            };
            out.printf("  %-15s %-12s %-12s %s%n", role, up ? "running" : "not running",
                    up ? "pid " + pid.orElse(0L) : "", where);
        }
        if (layout.isRunning(JOBMANAGER)) {
            FlinkRest rest = new FlinkRest("http://127.0.0.1:" + state.getProperty("restPort"));
            try {
                JsonNode overview = rest.get("/overview");
                out.printf("  REST: %d TaskManagers registered, %d slots (%d free)%n",
                        overview.path("taskmanagers").asInt(), overview.path("slots-total").asInt(),
                        overview.path("slots-available").asInt());
                JsonNode jobs = rest.get("/jobs/overview").path("jobs");
                if (jobs.isEmpty()) {
                    out.println("  jobs: none");
                }
                for (JsonNode job : jobs) {
                    out.printf("  job %s  %-10s %s%n", job.path("jid").asText(), job.path("state").asText(),
                            job.path("name").asText());
                }
            } catch (CommandFailure | FlinkRest.HttpFailure e) {
                out.println("  REST: not answering (" + e.getMessage() + ")");
                allUp = false;
            }
        }
        return allUp ? 0 : 1;
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // --------------------------------------------------------------------------------- stop

    private static int stop(Layout layout, PrintStream out) {
        List<String> roles = new ArrayList<>(layout.roles());
        // TaskManagers and the JobManager first, the broker last: a sink may still be closing.
        roles.remove(BROKER);
        roles.add(BROKER);
        List<String> stopped = new ArrayList<>();
        for (List<String> wave : List.of(roles.subList(0, roles.size() - 1), List.of(BROKER))) {
            List<ProcessHandle> handles = new ArrayList<>();
            for (String role : wave) {
                Optional<ProcessHandle> handle = layout.handle(role);
                if (handle.isPresent()) {
                    handle.get().destroy();
                    handles.add(handle.get());
                    stopped.add(role);
                }
            }
            long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
            for (ProcessHandle h : handles) {
                long left = Math.max(0, deadline - System.nanoTime());
                try {
                    h.onExit().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                    out.println("  pid " + h.pid() + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s; killed");
                }
            }
            for (String role : wave) {
                try {
                    Files.deleteIfExists(layout.pids.resolve(role + ".pid"));
                } catch (IOException e) {
                    // harmless: a stale pid file is checked against the process's command line
                }
            }
        }
        out.println(stopped.isEmpty() ? "nothing running in " + layout.dir : "stopped " + String.join(", ", stopped));
        return 0;
    }

    // ---------------------------------------------------------------------------------- misc

    private static void requireFree(int port, String flag) throws CommandFailure {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "port " + port + " on 127.0.0.1 is in use; choose another with "
                    + flag);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).trim();
    }

    private static void sleep(long millis) throws CommandFailure {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "interrupted");
        }
    }

    /** The cluster's directory: where each file lives, and which recorded process is still ours. */
    static final class Layout {
        final Path dir;
        final Path conf;
        final Path log;
        final Path pids;
        final Path tmp;

        Layout(Path dir) {
            this.dir = dir;
            this.conf = dir.resolve("conf");
            this.log = dir.resolve("log");
            this.pids = dir.resolve("pids");
            this.tmp = dir.resolve("tmp");
        }

        boolean isDefault() {
            return dir.equals(Path.of("var/cluster").toAbsolutePath().normalize());
        }

        void createDirectories(int taskManagers) {
            try {
                for (Path p : List.of(conf, log, pids, tmp.resolve(JOBMANAGER), tmp.resolve(BROKER),
                        dir.resolve("checkpoints"), dir.resolve("savepoints"), dir.resolve("kafka"),
                        dir.resolve("web-upload"))) {
                    Files.createDirectories(p);
                }
                for (int i = 1; i <= taskManagers; i++) {
                    Files.createDirectories(tmp.resolve("taskmanager-" + i));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Every role with a pid file, JobManager first. */
        List<String> roles() {
            List<String> roles = new ArrayList<>();
            if (Files.isDirectory(pids)) {
                try (var files = Files.list(pids)) {
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pid"))
                            .map(n -> n.substring(0, n.length() - 4)).sorted().forEach(roles::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (roles.remove(JOBMANAGER)) {
                roles.add(0, JOBMANAGER);
            }
            return roles;
        }

        Optional<Long> pid(String role) {
            return read(pids.resolve(role + ".pid")).flatMap(text -> {
                try {
                    return Optional.of(Long.parseLong(text.trim()));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            });
        }

        /** The live process recorded for {@code role}, if its command line still says it is ours. */
        Optional<ProcessHandle> handle(String role) {
            String marker = "-D" + MARKER_PROPERTY + "=" + role + "@" + dir;
            return pid(role).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                    .filter(h -> commandLine(h).contains(marker));
        }

        boolean isRunning(String role) {
            return handle(role).isPresent();
        }

        private static String commandLine(ProcessHandle h) {
            Path proc = Path.of("/proc", Long.toString(h.pid()), "cmdline");
            try {
                return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ');
            } catch (IOException e) {
                return h.info().commandLine().orElse("");
            }
        }

        Properties readState() {
            Properties p = new Properties();
            Path file = dir.resolve(STATE_FILE);
            if (Files.isRegularFile(file)) {
                try (Reader r = Files.newBufferedReader(file)) {
                    p.load(r);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return p;
        }

        void writeState(ClusterSettings s, int rpcPort) {
            Properties p = new Properties();
            p.setProperty("restPort", Integer.toString(s.restPort()));
            p.setProperty("kafkaPort", Integer.toString(s.kafkaPort()));
            p.setProperty("rpcPort", Integer.toString(rpcPort));
            p.setProperty("taskManagers", Integer.toString(s.taskManagers()));
            p.setProperty("topicPartitions", Integer.toString(s.topicPartitions()));
            p.setProperty("savepoints", dir.resolve("savepoints").toUri().toString());
            try (Writer w = Files.newBufferedWriter(dir.resolve(STATE_FILE))) {
                p.store(w, "refundguard cluster: ports of the running cluster");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Optional<String> read(Path file) {
            try (InputStream in = Files.newInputStream(file)) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        void write(Path file, String text) {
            try {
                Files.writeString(file, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
