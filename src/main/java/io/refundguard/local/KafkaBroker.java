package io.refundguard.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real, single-node Kafka (KRaft, combined broker and controller) running inside this JVM on
 * 127.0.0.1, for {@code local} runs and integration tests.
 *
 * <p>The data directory is the broker's state: the first start formats it, later starts reuse
 * it, so topics, records and committed consumer-group offsets survive a restart. The cluster id
 * lives in {@code <dataDir>/cluster.id} because Kafka refuses to open a log formatted for another
 * cluster.
 *
 * <p>The controller quorum is static ({@code controller.quorum.voters}), not the dynamic
 * "standalone" quorum: a dynamic quorum records the controller's address in the metadata log,
 * and the controller port here is a fresh free port on every start.
 */
public final class KafkaBroker implements AutoCloseable {
    public static final String HOST = "127.0.0.1";

    static final int NODE_ID = 1;
    static final String CLUSTER_ID_FILE = "cluster.id";
    static final String LOG_DIR_NAME = "kafka-logs";
    static final String LOCK_FILE = "broker.lock";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);
    private static final int BIND_ATTEMPTS = 3;
    private static final Pattern PORT_IN_MESSAGE = Pattern.compile(":(\\d{1,5})\\b");

    private final KafkaRaftServer server;
    private final FileLock dirLock;
    private final Path dataDir;
    private final int port;
    private final String clusterId;
    private boolean closed;

    private KafkaBroker(KafkaRaftServer server, FileLock dirLock, Path dataDir, int port, String clusterId) {
        this.server = server;
        this.dirLock = dirLock;
        this.dataDir = dataDir;
        this.port = port;
        this.clusterId = clusterId;
    }

    /** Starts with the default local settings; {@code port} 0 picks a free port. */
    public static KafkaBroker start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /**
     * Starts with the default local settings overlaid by {@code overrides} (broker config keys,
     * e.g. {@code num.partitions}). Returns once the broker accepts client requests.
     *
     * @throws IllegalStateException when the port is taken, the directory is unusable, or the
     *     broker does not come up; the message is meant for the user, one line
     */
    public static KafkaBroker start(Path dataDir, int port, Map<String, String> overrides) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        KafkaLogging.quiet();
        Path dir = prepareDataDir(dataDir);
        FileLock lock = lockDataDir(dir);
        try {
            String clusterId = clusterId(dir);
            // A port we picked can be taken by someone else before Kafka binds it; then pick
            // again. A port the caller chose is theirs to fix, so that fails at once.
            for (int attempt = 1; ; attempt++) {
                int brokerPort = port == 0 ? freePort() : requireFree(port);
                int controllerPort = freePort();
                Map<String, String> config = config(dir, brokerPort, controllerPort, overrides);
                format(config, clusterId);
                try {
                    return launch(config, lock, dir, brokerPort, clusterId);
                } catch (PortTakenException e) {
                    if (e.port == port || attempt >= BIND_ATTEMPTS) {
                        throw portInUse(e.port);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            release(lock);
            throw e;
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String clusterId() {
        return clusterId;
    }

    /**
     * Creates the topics that do not exist yet, replication factor 1, and waits until every
     * partition has a leader so clients can use them at once. Existing topics are left as they
     * are, even with another partition count.
     */
    public void createTopics(Collection<String> names, int partitions) {
        createTopics(names, partitions, Map.of());
    }

    /** {@link #createTopics(Collection, int)}, creating the topics named in {@code configs} with those topic configs. */
    public void createTopics(Collection<String> names, int partitions, Map<String, Map<String, String>> configs) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (names.isEmpty()) {
            return;
        }
        List<NewTopic> topics = names.stream()
                .distinct()
                .map(name -> new NewTopic(name, partitions, (short) 1).configs(configs.getOrDefault(name, Map.of())))
                .collect(Collectors.toList());
        try (Admin admin = admin()) {
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic '" + created.getKey() + "': "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, topics.stream().map(NewTopic::name).collect(Collectors.toSet()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker at " + bootstrapServers() + " did not create topics "
                    + names + " within " + ADMIN_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /** Shuts the broker down and waits until its files are closed; the directory can be reused. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            release(dirLock);
        }
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "refundguard-local-broker");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        return Admin.create(props);
    }

    private void awaitLeaders(Admin admin, Set<String> topics)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics)
                        .allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean allLed = described.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && !leader.isEmpty());
                if (allLed) {
                    return;
                }
            } catch (ExecutionException e) {
                // The broker applies the controller's records shortly after the create returns;
                // until then it does not know the topic.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("could not describe topics " + topics + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException();
            }
            Thread.sleep(50);
        }
    }

    private static KafkaBroker launch(Map<String, String> config, FileLock lock, Path dir, int brokerPort,
            String clusterId) {
        KafkaConfig kafkaConfig;
        try {
            kafkaConfig = new KafkaConfig(config, false);
        } catch (RuntimeException e) {
            throw new IllegalStateException("invalid Kafka broker settings: " + rootMessage(e), e);
        }
        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the Kafka data in " + dir + ": " + rootMessage(e), e);
        }
        KafkaBroker broker = new KafkaBroker(server, lock, dir, brokerPort, clusterId);
        try {
            server.startup();
            broker.awaitReady();
            return broker;
        } catch (Throwable e) {
            try {
                // Stops what did start, but keeps our lock: the caller may try another port.
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Integer takenPort = boundPortOf(e);
            if (takenPort != null) {
                throw new PortTakenException(takenPort);
            }
            if (e instanceof IllegalStateException) {
                throw (IllegalStateException) e;
            }
            if (e instanceof Error && !(e instanceof LinkageError)) {
                throw (Error) e;
            }
            throw new IllegalStateException("the Kafka broker in " + dir + " failed to start: " + rootMessage(e), e);
        }
    }

    /** Waits until the broker is registered and unfenced, which is when it can host partitions. */
    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String lastProblem = "no answer";
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    if (nodes.stream().anyMatch(node -> node.id() == NODE_ID)) {
                        return;
                    }
                    lastProblem = "the broker has not joined the cluster yet";
                } catch (ExecutionException | TimeoutException e) {
                    lastProblem = rootMessage(e);
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the Kafka broker at " + bootstrapServers() + " was not ready within "
                + READY_TIMEOUT.toSeconds() + " s (" + lastProblem + ")");
    }

    static Map<String, String> config(Path dir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        String logDir = dir.resolve(LOG_DIR_NAME).toString();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(NODE_ID));
        config.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        config.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", logDir);

        // One broker: every internal topic must make do with one replica, or consumer groups and
        // transactions (the exactly-once sink) cannot start.
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        // 50 partitions per internal topic cost seconds on the first group or transaction and
        // buy nothing on one machine.
        config.put("offsets.topic.num.partitions", "4");
        config.put("transaction.state.log.num.partitions", "4");
        config.put("share.coordinator.state.topic.num.partitions", "4");
        // A group's first member should not wait 3 s for others that are not coming.
        config.put("group.initial.rebalance.delay.ms", "0");

        // The longest transaction timeout a producer may ask for. Kafka's default (15 min) is exactly
        // the job's default kafka.transactionTimeout, which must outlast a TaskManager's loss and the
        // job's restart; an hour leaves room to raise it (production brokers need the same setting).
        config.put("transaction.max.timeout.ms", Long.toString(Duration.ofHours(1).toMillis()));

        config.put("auto.create.topics.enable", "true");
        config.put("num.partitions", "4");

        // Local data should not fill the disk: a week or 256 MiB per partition, whichever comes
        // first. Segments are small enough that the size limit can act.
        config.put("log.retention.hours", "168");
        config.put("log.retention.bytes", Long.toString(256L << 20));
        config.put("log.segment.bytes", Long.toString(64L << 20));
        config.put("log.retention.check.interval.ms", "60000");
        // The cleaner allocates this buffer up front in our heap, next to the Flink job's.
        config.put("log.cleaner.dedupe.buffer.size", Long.toString(16L << 20));

        config.putAll(overrides);
        return config;
    }

    private static Path prepareDataDir(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalStateException("the Kafka data directory " + dir + " is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the Kafka data directory " + dir + ": " + rootMessage(e), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("the Kafka data directory " + dir + " is not writable");
        }
        return dir;
    }

    /**
     * Kafka locks its log directory too, but only once the broker is half started, and it logs
     * that failure as a fatal error with a stack trace; our own lock turns a second broker on the
     * same directory into a plain message before anything starts.
     */
    private static FileLock lockDataDir(Path dir) {
        Path file = dir.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // held by a broker in this JVM
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalStateException("cannot lock the Kafka data directory " + dir + ": " + rootMessage(e), e);
        }
        closeQuietly(channel);
        throw new IllegalStateException("the Kafka data directory " + dir
                + " is in use by another running broker; stop it or use another directory");
    }

    private static void release(FileLock lock) {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it as well
        }
        closeQuietly(lock.channel());
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with a lock file we are abandoning
        }
    }

    /** The cluster id this directory was formatted with, or a new one saved for later starts. */
    private static String clusterId(Path dir) {
        Path file = dir.resolve(CLUSTER_ID_FILE);
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (id.isEmpty()) {
                    throw new IllegalStateException("the Kafka data directory " + dir + " has an empty " + CLUSTER_ID_FILE
                            + "; delete the directory to start afresh");
                }
                return id;
            }
            // Someone removed our file but kept the log: the log decides.
            String id = clusterIdOfFormattedLog(dir.resolve(LOG_DIR_NAME));
            if (id == null) {
                id = Uuid.randomUuid().toString();
            }
            Path tmp = Files.createTempFile(dir, CLUSTER_ID_FILE, ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return id;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write " + file + ": " + rootMessage(e), e);
        }
    }

    private static String clusterIdOfFormattedLog(Path logDir) throws IOException {
        Path meta = logDir.resolve("meta.properties");
        if (!Files.isRegularFile(meta)) {
            return null;
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            props.load(in);
        }
        return props.getProperty("cluster.id");
    }

    /** Formats the log directories not formatted yet; already formatted ones must match the id. */
    private static void format(Map<String, String> config, String clusterId) {
        List<String> logDirs = Arrays.stream(config.getOrDefault("log.dirs", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(ArrayList::new));
        String metadataDir = config.getOrDefault("metadata.log.dir", logDirs.isEmpty() ? null : logDirs.get(0));
        if (metadataDir == null) {
            throw new IllegalStateException("no Kafka log directory configured (log.dirs)");
        }
        if (!logDirs.contains(metadataDir)) {
            logDirs.add(metadataDir);
        }
        String controllerListener = config.getOrDefault("controller.listener.names", "CONTROLLER").split(",")[0].trim();
        try (PrintStream silent = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(silent)
                    .setNodeId(Integer.parseInt(config.getOrDefault("node.id", Integer.toString(NODE_ID))))
                    .setClusterId(clusterId)
                    .setDirectories(logDirs)
                    .setMetadataLogDirectory(metadataDir)
                    .setControllerListenerName(controllerListener)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka data in " + logDirs + ": " + rootMessage(e), e);
        }
    }

    private static int requireFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return port;
        } catch (IOException e) {
            throw portInUse(port);
        }
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free port on " + HOST + ": " + rootMessage(e), e);
        }
    }

    private static IllegalStateException portInUse(int port) {
        return new IllegalStateException("port " + port + " on " + HOST
                + " is in use (another Kafka broker?); stop that process or choose another port");
    }

    /** The port Kafka could not bind, if that is why startup failed. */
    private static Integer boundPortOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            boolean bindFailure = t instanceof BindException
                    || (message != null && message.contains("failed to bind"));
            if (bindFailure && message != null) {
                Matcher m = PORT_IN_MESSAGE.matcher(message);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        return null;
    }

    static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    private static final class PortTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int port;

        PortTakenException(int port) {
            super(null, null, false, false);
            this.port = port;
        }
    }
}
