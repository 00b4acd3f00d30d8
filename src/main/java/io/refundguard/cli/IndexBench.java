package io.refundguard.cli;

import io.refundguard.eventtime.StateTtl;
import io.refundguard.images.EvidenceKeys;
import io.refundguard.images.ImageOrigin;
import io.refundguard.images.IndexedImage;
import io.refundguard.images.ProbeResult;
import io.refundguard.images.index.IndexEntry;
import io.refundguard.images.index.IndexLookup;
import io.refundguard.images.index.PhotoIndexOperator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * {@code bench index}: the production photo index operator on a local Flink (RocksDB, incremental
 * checkpoints), filled with {@code stored} random PDQ hashes and then asked {@code lookups}
 * exact-within-radius lookups, half of them near a stored hash. Measures lookups per second end
 * to end (every subtask's answer in), state bytes per stored hash from the last completed
 * checkpoint, and compares every answer (or a sample, when brute force would take minutes) with
 * a brute-force scan.
 */
final class IndexBench {
    /** Lookups checked against brute force at most this many hash comparisons (~10 s of one core). */
    private static final long BRUTE_FORCE_BUDGET = 4_000_000_000L;
    private static final int RADIUS = 31;
    private static final long T0 = 1_790_000_000_000L;

    record Result(long stored, int lookups, int parallelism, double loadSeconds, double lookupSeconds,
            double lookupsPerSecond, long stateBytes, double bytesPerHash, int verified, int equalToBruteForce,
            long matchesFound) {}

    // The job runs in this JVM (a MiniCluster): its functions report here.
    private static final AtomicLong FIRST_LOOKUP_NANOS = new AtomicLong();
    private static final AtomicLong LAST_ANSWER_NANOS = new AtomicLong();
    private static final Map<Integer, Integer> COVERED = new ConcurrentHashMap<>();
    private static final Map<Integer, Set<Long>> FOUND = new ConcurrentHashMap<>();

    private IndexBench() {}

    static Result run(long stored, int lookups, int parallelism, long seed, Path workDir) throws Exception {
        FIRST_LOOKUP_NANOS.set(0);
        LAST_ANSWER_NANOS.set(0);
        COVERED.clear();
        FOUND.clear();
        Files.createDirectories(workDir);
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "1s");
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("execution.checkpointing.dir", workDir.resolve("checkpoints").toUri().toString());
        conf.setString("taskmanager.memory.managed.size", "256m");
        conf.setString("pipeline.generic-types", "false");
        conf.setString("pipeline.object-reuse", "true");
        conf.setString("io.tmp.dirs", workDir.toString());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        wire(env, stored, lookups, seed);

        long start = System.nanoTime();
        MiniClusterConfiguration cluster = new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(parallelism + 1).build();
        ArchivedExecutionGraph graph;
        try (MiniCluster mini = new MiniCluster(cluster)) {
            mini.start();
            JobID job = mini.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
            mini.requestJobResult(job).get().toJobExecutionResult(IndexBench.class.getClassLoader());
            graph = mini.getArchivedExecutionGraph(job).get();
        }
        long stateBytes = indexStateBytes(graph);
        double loadSeconds = (FIRST_LOOKUP_NANOS.get() - start) / 1e9;
        double lookupSeconds = (LAST_ANSWER_NANOS.get() - FIRST_LOOKUP_NANOS.get()) / 1e9;
        int[] checked = compareWithBruteForce(stored, lookups, seed);
        long matches = FOUND.values().stream().mapToLong(Set::size).sum();
        deleteQuietly(workDir.resolve("checkpoints"));
        return new Result(stored, lookups, parallelism, loadSeconds, lookupSeconds, lookups / lookupSeconds,
                stateBytes, (double) stateBytes / stored, checked[0], checked[1], matches);
    }

    private static void wire(StreamExecutionEnvironment env, long stored, int lookups, long seed) {
        OutputTag<IndexLookup> lookupTag = new OutputTag<>("lookups", TypeInformation.of(IndexLookup.class)) {};
        SingleOutputStreamOperator<IndexEntry> entries = env.fromSequence(0, stored + lookups - 1).setParallelism(1)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((i, previous) -> T0 + i)).setParallelism(1)
                .process(new ProcessFunction<Long, IndexEntry>() {
                    @Override
                    public void processElement(Long i, Context ctx, Collector<IndexEntry> out) {
                        if (i < stored) {
                            out.collect(IndexEntry.filing(storedPhoto(i, seed)));
                        } else {
                            FIRST_LOOKUP_NANOS.compareAndSet(0, System.nanoTime());
                            ctx.output(lookupTag, new IndexLookup("bench:q" + (i - stored), lookup((int) (i - stored), stored, seed)));
                        }
                    }
                }).returns(IndexEntry.class).setParallelism(1).name("Generate photos and lookups");
        DataStream<ProbeResult> answers = entries.keyBy(IndexEntry::photoId, Types.LONG)
                .connect(entries.getSideOutput(lookupTag).broadcast())
                .transform("Photo index", TypeInformation.of(ProbeResult.class),
                        new PhotoIndexOperator(RADIUS, Duration.ofDays(3650), Duration.ofDays(3650), Duration.ofDays(30),
                                StateTtl.PROCESSING_TIME))
                .uid("photo-index");
        answers.map((MapFunction<ProbeResult, Integer>) IndexBench::record).returns(Types.INT).name("Record answers")
                .sinkTo(new DiscardingSink<>());
    }

    private static Integer record(ProbeResult answer) {
        int lookup = Integer.parseInt(EvidenceKeys.requestIdOf(answer.requestKey()).substring(1));
        Set<Long> found = FOUND.computeIfAbsent(lookup, k -> ConcurrentHashMap.newKeySet());
        answer.matches().forEach(m -> found.add(Long.parseLong(EvidenceKeys.requestIdOf(
                EvidenceKeys.requestKeyOf(m.matched().imageKey())))));
        if (COVERED.merge(lookup, answer.covered(), Integer::sum) == answer.total()) {
            LAST_ANSWER_NANOS.accumulateAndGet(System.nanoTime(), Math::max);
        }
        return lookup;
    }

    /** Stored photo {@code i}: a uniformly random hash, the same for a seed on every run. */
    static IndexedImage storedPhoto(long i, long seed) {
        long[] h = hashOf(i, seed);
        return new IndexedImage(ImageOrigin.EVIDENCE, EvidenceKeys.imageKey("bench", Long.toString(i), "img"),
                "person-" + (i % 1_000_003), "bench", h[0], h[1], h[2], h[3], 90, T0 + i);
    }

    /** Lookup {@code j}: every other one a stored hash with 0..39 bits flipped, the rest random. */
    static IndexedImage lookup(int j, long stored, long seed) {
        long[] h;
        if (j % 2 == 0) {
            h = hashOf(Math.floorMod(mix(seed * 31 + j), stored), seed);
            int bits = (j / 2) % 40;
            for (int b = 0; b < bits; b++) {
                int bit = Math.floorMod(mix(seed + j * 257L + b), 256);
                h[3 - (bit >>> 6)] ^= 1L << (bit & 63);
            }
        } else {
            h = hashOf(-1 - j, seed ^ 0x5DEECE66DL);
        }
        return new IndexedImage(ImageOrigin.EVIDENCE, EvidenceKeys.imageKey("bench", "q" + j, "img"), "q" + j, "bench",
                h[0], h[1], h[2], h[3], 90, T0 + stored + j);
    }

    private static long[] hashOf(long i, long seed) {
        long base = mix(seed ^ (i * 0x9E3779B97F4A7C15L));
        return new long[] {mix(base + 1), mix(base + 2), mix(base + 3), mix(base + 4)};
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Returns {verified, equal}: lookups checked against a full scan, and how many agreed. */
    private static int[] compareWithBruteForce(long stored, int lookups, long seed) {
        int verify = (int) Math.min(lookups, Math.max(1, BRUTE_FORCE_BUDGET / Math.max(1, stored)));
        int step = Math.max(1, lookups / verify);
        List<Integer> chosen = new ArrayList<>();
        for (int j = 0; j < lookups && chosen.size() < verify; j += step) {
            chosen.add(j);
        }
        Map<Integer, Set<Long>> expected = new HashMap<>();
        List<long[]> queries = new ArrayList<>();
        for (int j : chosen) {
            IndexedImage q = lookup(j, stored, seed);
            queries.add(new long[] {q.w0(), q.w1(), q.w2(), q.w3()});
            expected.put(j, new TreeSet<>());
        }
        for (long i = 0; i < stored; i++) {
            long[] h = hashOf(i, seed);
            for (int k = 0; k < queries.size(); k++) {
                long[] q = queries.get(k);
                int d = Long.bitCount(h[0] ^ q[0]) + Long.bitCount(h[1] ^ q[1]) + Long.bitCount(h[2] ^ q[2])
                        + Long.bitCount(h[3] ^ q[3]);
                if (d <= RADIUS) {
                    expected.get(chosen.get(k)).add(i);
                }
            }
        }
        int equal = 0;
        for (int j : chosen) {
            Set<Long> found = FOUND.getOrDefault(j, Set.of());
            boolean complete = COVERED.getOrDefault(j, 0) > 0;
            if (complete && new TreeSet<>(found).equals(expected.get(j))) {
                equal++;
            }
        }
        return new int[] {chosen.size(), equal};
    }

    private static long indexStateBytes(ArchivedExecutionGraph graph) {
        AbstractCheckpointStats latest = graph.getCheckpointStatsSnapshot().getHistory().getLatestCompletedCheckpoint();
        if (latest == null) {
            return -1;
        }
        for (AccessExecutionJobVertex vertex : graph.getVerticesTopologically()) {
            if (vertex.getName().contains("Photo index")) {
                TaskStateStats stats = latest.getTaskStateStats(vertex.getJobVertexId());
                return stats == null ? -1 : stats.getStateSize();
            }
        }
        return -1;
    }

    private static void deleteQuietly(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
