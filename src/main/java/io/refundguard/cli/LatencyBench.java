package io.refundguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.Sha256;
import io.refundguard.job.FlinkSetup;
import io.refundguard.job.KafkaIo;
import io.refundguard.job.RefundGuardJob;
import io.refundguard.job.Topics;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.local.KafkaBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.runtime.checkpoint.SubtaskStateStats;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bench latency}: the production job, live, on an embedded broker with exactly-once output,
 * and the time from publishing a refund request to reading its verdict with a {@code
 * read_committed} consumer, as a platform waiting for the verdict sees it.
 *
 * <p>Everything runs in this JVM and talks to 127.0.0.1 only: a KRaft broker on a free port, the
 * job on a local Flink (Kafka sources and the transactional sink, the configured state backend and
 * checkpoints), a producer publishing {@code REFUND_REQUESTED} events at a steady rate with
 * {@code occurredAt} = now, and a consumer of {@code refund-verdicts}. A warm-up at the same rate
 * comes first (JIT, first checkpoints, the sources' first watermarks); only the requests published
 * after it are measured. The process's CPU time and the job's checkpoint statistics over the
 * measured span say what the latency costs.
 */
final class LatencyBench {
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    private static final String[] PLATFORMS = {"tb", "jd", "pdd", "dy"};
    private static final ObjectMapper JSON = new ObjectMapper();
    /** After the last measured publish, how long verdicts may take before they count as missing. */
    private static final Duration DRAIN = Duration.ofSeconds(60);
    /** After every verdict arrived, how long to keep reading so a duplicate would be seen. */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final Duration JOB_START_TIMEOUT = Duration.ofSeconds(180);

    record Settings(int rate, int seconds, int warmupSeconds, Path configFile, List<String> overrides) {}

    /**
     * Checkpoints triggered in the measured span. The phases are each checkpoint's slowest subtask,
     * median over the checkpoints: how long the barrier took to reach it, the alignment of its
     * inputs' barriers, the synchronous part (RocksDB flushes its memtables) and the asynchronous
     * part (new files written to checkpoint storage).
     */
    record Checkpoints(int completed, int failed, long p50DurationMs, long maxDurationMs, long avgCheckpointedBytes,
            long stateBytes, long p50BarrierDelayMs, long p50AlignmentMs, long p50SyncMs, long p50AsyncMs) {}

    record Result(int rate, long events, double publishedPerSecond, long answered, long missing, long duplicates,
            long p50Ms, long p90Ms, long p99Ms, long maxMs, Duration checkpointInterval, String stateBackend,
            int parallelism, Checkpoints checkpoints, double coresUsed, double loadBefore, double loadAfter) {
        boolean complete() {
            return missing == 0 && duplicates == 0;
        }
    }

    private LatencyBench() {}

    static Result run(Settings settings, Path workDir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(workDir.resolve("kafka"), 0)) {
            List<String> overrides = new ArrayList<>(settings.overrides());
            overrides.add("kafka.bootstrapServers=" + broker.bootstrapServers());
            RefundGuardConfig config = ConfigLoader.load(settings.configFile(), overrides);
            broker.createTopics(Topics.all(config, config.local().platforms()), config.local().topicPartitions());

            Configuration conf = FlinkSetup.configuration(config.flink(), config.flink().stateBackend(),
                    workDir.resolve("checkpoints"), null);
            conf.setString("io.tmp.dirs", Files.createDirectories(workDir.resolve("tmp")).toString());
            conf.setString("taskmanager.numberOfTaskSlots", Integer.toString(config.flink().parallelism()));
            // Loopback only, on a free port: another local Flink may hold 8081.
            conf.setString("rest.address", KafkaBroker.HOST);
            conf.setString("rest.bind-address", KafkaBroker.HOST);
            conf.setString("rest.bind-port", "0");
            // Enough history to see every checkpoint of the measured span.
            conf.setString("web.checkpoints.history", "5000");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            boolean checkpointing = !config.flink().checkpointInterval().isZero();
            new RefundGuardJob(config, KafkaIo.sources(config), KafkaIo.sinks(config, checkpointing)).wire(env);

            MiniClusterConfiguration cluster = new MiniClusterConfiguration.Builder().setConfiguration(conf)
                    .setNumTaskManagers(1).setNumSlotsPerTaskManager(config.flink().parallelism()).build();
            try (MiniCluster mini = new MiniCluster(cluster)) {
                mini.start();
                JobID job = mini.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
                try {
                    awaitRunning(mini, job);
                    return measure(settings, config, broker, mini, job);
                } finally {
                    stop(mini, job);
                }
            }
        }
    }

    /**
     * Cancels the job if it still runs. A job that failed on its own is the real news: its root
     * cause replaces whatever the measurement saw (a wrong Flink setting, a missing state backend
     * module), instead of "was not canceled, but instead FAILED".
     */
    private static void stop(MiniCluster mini, JobID job) throws Exception {
        JobStatus status = mini.getJobStatus(job).get(60, TimeUnit.SECONDS);
        if (!status.isGloballyTerminalState()) {
            mini.cancelJob(job).get(60, TimeUnit.SECONDS);
        } else if (status == JobStatus.FAILED) {
            Throwable failure = mini.requestJobResult(job).get(60, TimeUnit.SECONDS).getSerializedThrowable()
                    .map(t -> t.deserializeError(LatencyBench.class.getClassLoader())).orElse(null);
            Throwable root = failure;
            while (root != null && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalStateException("the job failed: " + (root == null ? "no cause recorded" : root), failure);
        }
    }

    private static Result measure(Settings settings, RefundGuardConfig config, KafkaBroker broker, MiniCluster mini,
            JobID job) throws Exception {
        int measured = settings.rate() * settings.seconds();
        Requests requests = new Requests(measured);
        try (VerdictReader reader = new VerdictReader(broker, config.topics().verdicts(), requests);
                KafkaProducer<String, String> producer = producer(broker)) {
            reader.start();
            Traffic traffic = new Traffic(config.topics().refundEvents(), producer);
            traffic.publish("W", settings.rate(), (long) settings.rate() * settings.warmupSeconds(), null);

            double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            long cpuBefore = processCpuNanos();
            long startMillis = System.currentTimeMillis();
            long start = System.nanoTime();
            traffic.publish("M", settings.rate(), measured, requests);
            long publishedNanos = System.nanoTime() - start;
            long cpuAfter = processCpuNanos();
            long endMillis = System.currentTimeMillis();
            double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

            reader.awaitAll(DRAIN);
            reader.settle(SETTLE);
            Checkpoints checkpoints = checkpoints(mini.getExecutionGraph(job).get(), startMillis, endMillis);
            long[] latencies = requests.latenciesMillis();
            Arrays.sort(latencies);
            return new Result(settings.rate(), measured, measured * 1e9 / publishedNanos, latencies.length,
                    measured - latencies.length, requests.duplicates(), percentile(latencies, 0.50),
                    percentile(latencies, 0.90), percentile(latencies, 0.99), percentile(latencies, 1.0),
                    config.flink().checkpointInterval(), config.flink().stateBackend(), config.flink().parallelism(),
                    checkpoints, (double) (cpuAfter - cpuBefore) / publishedNanos, loadBefore, loadAfter);
        }
    }

    /** Until every task runs: requests published before that would measure the job's start. */
    private static void awaitRunning(MiniCluster mini, JobID job) throws Exception {
        long deadline = System.nanoTime() + JOB_START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            AccessExecutionGraph graph = mini.getExecutionGraph(job).get();
            if (graph.getState().isGloballyTerminalState()) {
                throw new IllegalStateException("the job ended before it ran: " + graph.getState()
                        + (graph.getFailureInfo() == null ? "" : " (" + graph.getFailureInfo().getExceptionAsString() + ")"));
            }
            boolean allRunning = graph.getState() == JobStatus.RUNNING;
            for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
                allRunning &= vertex.getExecutionState() == ExecutionState.RUNNING;
            }
            if (allRunning) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the job was not running within " + JOB_START_TIMEOUT.toSeconds() + " s");
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    private static Checkpoints checkpoints(AccessExecutionGraph graph, long fromMillis, long toMillis) {
        if (graph.getCheckpointStatsSnapshot() == null) {
            return new Checkpoints(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        List<AbstractCheckpointStats> inSpan = graph.getCheckpointStatsSnapshot().getHistory().getCheckpoints().stream()
                .filter(c -> c.getTriggerTimestamp() >= fromMillis && c.getTriggerTimestamp() <= toMillis)
                .toList();
        List<AbstractCheckpointStats> completed = inSpan.stream()
                .filter(c -> c.getStatus() == CheckpointStatsStatus.COMPLETED)
                .sorted(Comparator.comparingLong(AbstractCheckpointStats::getEndToEndDuration))
                .toList();
        int failed = (int) inSpan.stream().filter(c -> c.getStatus() == CheckpointStatsStatus.FAILED).count();
        if (completed.isEmpty()) {
            return new Checkpoints(0, failed, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        long checkpointed = completed.stream().mapToLong(AbstractCheckpointStats::getCheckpointedSize).sum();
        long state = completed.stream().max(Comparator.comparingLong(AbstractCheckpointStats::getCheckpointId))
                .orElseThrow().getStateSize();
        return new Checkpoints(completed.size(), failed, completed.get((completed.size() - 1) / 2).getEndToEndDuration(),
                completed.get(completed.size() - 1).getEndToEndDuration(), checkpointed / completed.size(), state,
                medianOfSlowest(completed, SubtaskStateStats::getCheckpointStartDelay),
                medianOfSlowest(completed, SubtaskStateStats::getAlignmentDuration),
                medianOfSlowest(completed, SubtaskStateStats::getSyncCheckpointDuration),
                medianOfSlowest(completed, SubtaskStateStats::getAsyncCheckpointDuration));
    }

    private static long medianOfSlowest(List<AbstractCheckpointStats> checkpoints, ToLongFunction<SubtaskStateStats> phase) {
        long[] slowest = checkpoints.stream().mapToLong(c -> c.getAllTaskStateStats().stream()
                .flatMap(task -> Arrays.stream(task.getSubtaskStats()))
                .filter(subtask -> subtask != null && subtask.isCompleted())
                .mapToLong(phase).max().orElse(0)).sorted().toArray();
        return percentile(slowest, 0.5);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static KafkaProducer<String, String> producer(KafkaBroker broker) {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("acks", "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** When each measured request was published, and its verdicts as they arrive. */
    private static final class Requests {
        private final AtomicLongArray publishedAt;
        private final AtomicLongArray answeredAt;
        private final AtomicIntegerArray verdicts;
        private final AtomicLong answered = new AtomicLong();

        Requests(int count) {
            publishedAt = new AtomicLongArray(count);
            answeredAt = new AtomicLongArray(count);
            verdicts = new AtomicIntegerArray(count);
        }

        int size() {
            return publishedAt.length();
        }

        void published(int index, long nanos) {
            publishedAt.set(index, nanos);
        }

        void answered(int index, long nanos) {
            if (verdicts.incrementAndGet(index) == 1) {
                answeredAt.set(index, nanos);
                answered.incrementAndGet();
            }
        }

        long answeredCount() {
            return answered.get();
        }

        long duplicates() {
            long duplicates = 0;
            for (int i = 0; i < verdicts.length(); i++) {
                duplicates += Math.max(0, verdicts.get(i) - 1);
            }
            return duplicates;
        }

        long[] latenciesMillis() {
            long[] latencies = new long[(int) answered.get()];
            int n = 0;
            for (int i = 0; i < answeredAt.length() && n < latencies.length; i++) {
                if (verdicts.get(i) > 0) {
                    latencies[n++] = TimeUnit.NANOSECONDS.toMillis(answeredAt.get(i) - publishedAt.get(i));
                }
            }
            return Arrays.copyOf(latencies, n);
        }
    }

    /**
     * Refund requests as a platform publishes them: one evidence photo each with its fingerprints
     * (SHA-256, PDQ, quality), buyers drawn from a large population so histories build slowly, and
     * one request in a hundred re-using an earlier request's photo (a shared-image case).
     */
    private static final class Traffic {
        private static final int PERSONS = 200_000;
        private static final int MERCHANTS = 50_000;
        private final String topic;
        private final KafkaProducer<String, String> producer;
        private final SplittableRandom random = new SplittableRandom(42);
        private final List<String[]> recentPhotos = new ArrayList<>();

        Traffic(String topic, KafkaProducer<String, String> producer) {
            this.topic = topic;
            this.producer = producer;
        }

        /** {@code count} requests at {@code rate} per second, paced by the clock, not by the broker. */
        void publish(String prefix, int rate, long count, Requests measured) {
            long start = System.nanoTime();
            double interval = 1e9 / rate;
            for (int i = 0; i < count; i++) {
                long due = start + (long) (i * interval);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                String platform = PLATFORMS[random.nextInt(PLATFORMS.length)];
                String requestId = prefix + i;
                String json = request(platform, requestId, System.currentTimeMillis());
                if (measured != null) {
                    measured.published(i, System.nanoTime());
                }
                producer.send(new ProducerRecord<>(topic, platform + ":" + requestId, json));
            }
            producer.flush();
        }

        private String request(String platform, String requestId, long now) {
            int person = random.nextInt(PERSONS);
            ObjectNode json = JSON.createObjectNode();
            json.put("schemaVersion", 1);
            json.put("eventId", platform + "-bench-" + requestId);
            json.put("type", "REFUND_REQUESTED");
            json.put("platform", platform);
            json.put("requestId", requestId);
            json.put("occurredAt", OffsetDateTime.ofInstant(Instant.ofEpochMilli(now), CHINA).toString());
            json.put("orderId", "O-" + requestId);
            int merchant = random.nextInt(MERCHANTS);
            json.put("merchantId", "M" + merchant);
            json.put("productId", "P" + merchant + "-" + random.nextInt(20));
            json.put("refundType", random.nextInt(10) < 7 ? "REFUND_ONLY" : "RETURN_AND_REFUND");
            json.put("reason", "DAMAGED");
            json.put("amount", (20 + random.nextInt(980)) + "." + (10 + random.nextInt(90)));
            json.put("currency", "CNY");
            ObjectNode buyer = json.putObject("buyer");
            buyer.put("accountId", platform + "-acct-" + person);
            buyer.put("identityHash", sha256("person-" + person));
            buyer.put("deviceHash", sha256("device-" + person));
            String[] photo = photo();
            ObjectNode image = json.putArray("evidence").addObject();
            image.put("imageId", "img-" + requestId);
            image.put("sha256", photo[0]);
            image.put("pdq", photo[1]);
            image.put("pdqQuality", 90);
            return json.toString();
        }

        /** {sha256, pdq} of a new photo, or of a recent request's photo one time in a hundred. */
        private String[] photo() {
            if (!recentPhotos.isEmpty() && random.nextInt(100) == 0) {
                return recentPhotos.get(random.nextInt(recentPhotos.size()));
            }
            String[] photo = {randomHex(), randomHex()};
            if (recentPhotos.size() < 10_000) {
                recentPhotos.add(photo);
            } else {
                recentPhotos.set(random.nextInt(recentPhotos.size()), photo);
            }
            return photo;
        }

        private String randomHex() {
            StringBuilder hex = new StringBuilder(64);
            for (int i = 0; i < 4; i++) {
                hex.append(HexFormat.of().toHexDigits(random.nextLong()));
            }
            return hex.toString();
        }

        private static String sha256(String text) {
            return Sha256.hex(text);
        }
    }

    /** A read_committed consumer of every partition of the verdict topic, on its own thread. */
    private static final class VerdictReader implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final String topic;
        private final Requests requests;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;
        private volatile Exception failure;

        VerdictReader(KafkaBroker broker, String topic, Requests requests) {
            Properties props = new Properties();
            props.put("bootstrap.servers", broker.bootstrapServers());
            props.put("isolation.level", "read_committed");
            // The broker answers a fetch as soon as committed data is there; this bounds an empty wait.
            props.put("fetch.max.wait.ms", "10");
            props.put("enable.auto.commit", "false");
            this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
            this.topic = topic;
            this.requests = requests;
            this.thread = new Thread(this::read, "bench-verdict-reader");
            this.thread.setDaemon(true);
        }

        void start() {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            thread.start();
        }

        private void read() {
            try {
                while (!stop.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        JsonNode verdict = JSON.readTree(record.value());
                        String requestId = verdict.path("requestId").asText();
                        if (requestId.startsWith("M")) {
                            int index = Integer.parseInt(requestId.substring(1));
                            if (index < requests.size()) {
                                requests.answered(index, now);
                            }
                        }
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        void awaitAll(Duration patience) throws Exception {
            long deadline = System.nanoTime() + patience.toNanos();
            while (requests.answeredCount() < requests.size() && System.nanoTime() < deadline && failure == null) {
                Thread.sleep(50);
            }
            if (failure != null) {
                throw failure;
            }
        }

        void settle(Duration time) throws InterruptedException {
            Thread.sleep(time.toMillis());
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(5_000);
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
