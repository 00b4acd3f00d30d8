package io.refundguard.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Drives the real {@link NearDuplicateIndexFunction} through Flink's operator test harness on the
 * embedded RocksDB state backend: files N random hashes, then times full 272-probe lookups and
 * compares them with a brute-force scan of the same N hashes held in memory. Prints a table.
 *
 * <p>Usage: {@code NearDuplicateIndexBenchmark N [lookups]}. The load files each hash under its
 * 16 own slot keys by direct keyed-state writes (see {@link #load()}); lookups use the full 272
 * probes through the operator.
 */
public final class NearDuplicateIndexBenchmark {
    private static final int RADIUS = 31;
    private static final Duration RETENTION = Duration.ofDays(365);
    private static final int LOOKUP_BATCH = 20;
    private static final long T0 = 1_700_000_000_000L;
    /** Other work shares the machine, so wall time is printed next to this thread's CPU time. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int n;
    private final int lookups;
    private final long[] words;
    private final int[] filedPerSlotKey = new int[MultiIndexHashing.SLOTS << MultiIndexHashing.SLOT_BITS];
    private final Path dbDir;
    private KeyedOneInputStreamOperatorTestHarness<Integer, ImageProbe, ProbeResult> harness;

    private NearDuplicateIndexBenchmark(int n, int lookups) throws IOException {
        this.n = n;
        this.lookups = lookups;
        this.words = new long[4 * n];
        this.dbDir = Files.createTempDirectory("mih-bench-rocksdb");
        SplittableRandom random = new SplittableRandom(20260503L);
        for (int i = 0; i < words.length; i++) {
            words[i] = random.nextLong();
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int lookups = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        new NearDuplicateIndexBenchmark(n, lookups).run();
    }

    private void run() throws Exception {
        printMachine();
        harness = openHarness();
        try {
            Timing loadTiming = load();
            long stateBytes = compactedStateBytes();
            List<PdqHash> queries = queries();
            LookupStats index = lookUpThroughOperator(queries);
            LookupStats brute = bruteForce(queries);
            printTable(loadTiming, stateBytes, index, brute, queries);
        } finally {
            harness.close();
            deleteRecursively(dbDir);
        }
    }

    private KeyedOneInputStreamOperatorTestHarness<Integer, ImageProbe, ProbeResult> openHarness() throws Exception {
        NearDuplicateIndexFunction function =
                new NearDuplicateIndexFunction(RADIUS, 50, RETENTION, Duration.ofDays(2));
        KeyedOneInputStreamOperatorTestHarness<Integer, ImageProbe, ProbeResult> opened =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function), ImageProbe::slotKey, Types.INT);
        // The harness's mock task has almost no managed memory; RocksDB sized from it thrashes.
        // Use RocksDB's own (Flink default) buffers instead, as a task manager with memory would.
        Configuration config = new Configuration();
        config.set(RocksDBOptions.USE_MANAGED_MEMORY, false);
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend()
                .configure(config, NearDuplicateIndexBenchmark.class.getClassLoader());
        backend.setDbStoragePath(dbDir.toString());
        opened.setStateBackend(backend);
        opened.open();
        return opened;
    }

    /**
     * The corpus is filed as listing photos: evidence lookups compare with them exactly as with
     * evidence, and a random corpus then emits nothing while loading, so the harness's copying of
     * output records is not timed as if it were the operator's work.
     */
    private IndexedImage stored(int i) {
        return new IndexedImage(ImageOrigin.CATALOG, imageKeyOf(i), "bench:m:p" + i, "bench",
                words[4 * i], words[4 * i + 1], words[4 * i + 2], words[4 * i + 3], 90, T0 + i);
    }

    private static String imageKeyOf(int i) {
        return "bench:m:p" + i + ":img0";
    }

    /**
     * Files every hash under its 16 own keys by writing the operator's keyed state directly (same
     * state name and TTL as {@link NearDuplicateIndexFunction}), as a bulk bootstrap would. Filing
     * through the operator compares each new photo with everything already in its slots, which
     * makes loading quadratic in N (a 1M load did not finish in 13 minutes); the lookups below
     * still go through the operator and are what this benchmark measures.
     */
    private Timing load() throws Exception {
        harness.processWatermark(T0 + n);
        RocksDBKeyedStateBackend<Integer> backend =
                (RocksDBKeyedStateBackend<Integer>) harness.getOperator().<Integer>getKeyedStateBackend();
        MapStateDescriptor<String, IndexedImage> descriptor = new MapStateDescriptor<>(
                NearDuplicateIndexFunction.IMAGES_IN_SLOT, Types.STRING, TypeInformation.of(IndexedImage.class));
        descriptor.enableTimeToLive(io.refundguard.eventtime.StateTtl.expiredByOwner(RETENTION));
        org.apache.flink.api.common.state.MapState<String, IndexedImage> slots = backend.getPartitionedState(
                org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE, descriptor);
        long start = System.nanoTime();
        long startCpu = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            IndexedImage image = stored(i);
            for (int slotKey : MultiIndexHashing.ownKeys(image.hash())) {
                backend.setCurrentKey(slotKey);
                slots.put(image.imageKey(), image);
                filedPerSlotKey[slotKey]++;
            }
            if ((i + 1) % Math.max(1, n / 10) == 0) {
                System.out.printf(Locale.ROOT, "  loaded %,d hashes in %.0f s%n", i + 1, seconds(System.nanoTime() - start));
            }
        }
        return new Timing(System.nanoTime() - start, THREADS.getCurrentThreadCpuTime() - startCpu);
    }

    /** Flushes and compacts the images column family so the directory holds only live SST data. */
    private long compactedStateBytes() throws Exception {
        RocksDBKeyedStateBackend<?> backend = (RocksDBKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend();
        backend.compactState(new MapStateDescriptor<>(NearDuplicateIndexFunction.IMAGES_IN_SLOT, Types.STRING,
                TypeInformation.of(IndexedImage.class)));
        return directoryBytes(dbDir);
    }

    /** Half near-duplicates of filed hashes at 0..40 bits (some beyond the radius), half fresh. */
    private List<PdqHash> queries() {
        SplittableRandom random = new SplittableRandom(99L);
        List<PdqHash> queries = new ArrayList<>(lookups);
        for (int q = 0; q < lookups; q++) {
            if (q % 2 == 0) {
                int source = random.nextInt(n);
                PdqHash hash = new PdqHash(words[4 * source], words[4 * source + 1], words[4 * source + 2],
                        words[4 * source + 3]);
                int flips = random.nextInt(41);
                for (int f = 0; f < flips; f++) {
                    hash = hash.flip(random.nextInt(PdqHash.BITS));
                }
                queries.add(hash);
            } else {
                queries.add(new PdqHash(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()));
            }
        }
        return queries;
    }

    private record Timing(long wallNanos, long cpuNanos) {}

    private record LookupStats(Timing timing, List<Set<String>> found, double candidatesPerLookup) {}

    private LookupStats lookUpThroughOperator(List<PdqHash> queries) throws Exception {
        harness.getOutput().clear();
        long candidates = 0;
        long start = System.nanoTime();
        long startCpu = THREADS.getCurrentThreadCpuTime();
        for (int q = 0; q < queries.size(); q++) {
            long at = T0 + n + 1 + q;
            IndexedImage image = IndexedImage.of(ImageOrigin.EVIDENCE, "query:q" + q + ":img0", "query-person",
                    "query", queries.get(q), 90, at);
            for (ImageProbe probe : ImageProbe.fanOut(image, "query:q" + q, RADIUS)) {
                harness.processElement(probe, at);
            }
            if ((q + 1) % LOOKUP_BATCH == 0 || q == queries.size() - 1) {
                harness.processWatermark(at);
            }
        }
        Timing timing = new Timing(System.nanoTime() - start, THREADS.getCurrentThreadCpuTime() - startCpu);
        for (PdqHash query : queries) {
            for (int key : MultiIndexHashing.probeKeys(query, RADIUS)) {
                candidates += filedPerSlotKey[key];
            }
        }
        return new LookupStats(timing, foundByQuery(queries.size()), (double) candidates / queries.size());
    }

    /** Image keys of the loaded corpus each query matched; earlier queries are left out. */
    private List<Set<String>> foundByQuery(int queryCount) {
        Map<String, Set<String>> byRequest = new HashMap<>();
        for (ProbeResult result : harness.extractOutputValues()) {
            Set<String> found = byRequest.computeIfAbsent(result.requestKey(), k -> new HashSet<>());
            result.matches().stream()
                    .map(match -> match.matched().imageKey())
                    .filter(key -> key.startsWith("bench:"))
                    .forEach(found::add);
        }
        List<Set<String>> found = new ArrayList<>();
        for (int q = 0; q < queryCount; q++) {
            found.add(byRequest.getOrDefault("query:q" + q, Set.of()));
        }
        return found;
    }

    private LookupStats bruteForce(List<PdqHash> queries) {
        List<Set<String>> found = new ArrayList<>();
        long start = System.nanoTime();
        long startCpu = THREADS.getCurrentThreadCpuTime();
        for (PdqHash query : queries) {
            Set<String> matches = new HashSet<>();
            long a = query.w0();
            long b = query.w1();
            long c = query.w2();
            long d = query.w3();
            for (int i = 0; i < n; i++) {
                int distance = Long.bitCount(a ^ words[4 * i]) + Long.bitCount(b ^ words[4 * i + 1])
                        + Long.bitCount(c ^ words[4 * i + 2]) + Long.bitCount(d ^ words[4 * i + 3]);
                if (distance <= RADIUS) {
                    matches.add(imageKeyOf(i));
                }
            }
            found.add(matches);
        }
        return new LookupStats(
                new Timing(System.nanoTime() - start, THREADS.getCurrentThreadCpuTime() - startCpu), found, n);
    }

    private void printTable(Timing load, long stateBytes, LookupStats index, LookupStats brute,
            List<PdqHash> queries) throws IOException {
        long agreeing = 0;
        long withMatches = 0;
        for (int q = 0; q < queries.size(); q++) {
            agreeing += index.found().get(q).equals(brute.found().get(q)) ? 1 : 0;
            withMatches += brute.found().get(q).isEmpty() ? 0 : 1;
        }
        int entryBytes = serializedEntryBytes();
        System.out.println();
        System.out.printf(Locale.ROOT, "N = %,d hashes, %,d lookups (%,d with a match within %d), radius %d%n",
                n, queries.size(), withMatches, RADIUS, RADIUS);
        System.out.println("| measure | MIH on RocksDB (operator via harness) | brute force in memory |");
        System.out.println("|---|---|---|");
        row("load (16 direct keyed-state writes per hash), wall / CPU", String.format(Locale.ROOT,
                "%.0f s / %.0f s, %,.0f hashes per CPU-second", seconds(load.wallNanos()), seconds(load.cpuNanos()),
                n / seconds(load.cpuNanos())), "n/a (array fill)");
        row("lookups per second, wall", perSecond(index, queries.size()), perSecond(brute, queries.size()));
        row("lookups per CPU-second", perCpuSecond(index, queries.size()), perCpuSecond(brute, queries.size()));
        row("time per lookup, wall / CPU", perLookup(index, queries.size()), perLookup(brute, queries.size()));
        row("keyed-state keys read per lookup", "272", "n/a");
        row("candidates verified per lookup", String.format(Locale.ROOT, "%,.1f (272 x N/65536 = %,.1f)",
                index.candidatesPerLookup(), 272.0 * n / 65536), String.format(Locale.ROOT, "%,d", n));
        row("state size", String.format(Locale.ROOT, "%,.1f MB on disk after compaction (%.0f B per hash)",
                stateBytes / 1e6, (double) stateBytes / n), String.format(Locale.ROOT, "%,.1f MB (32 B per hash)", 32.0 * n / 1e6));
        row("serialized entry (key + value, no RocksDB overhead)", entryBytes + " B x 16 copies = " + 16 * entryBytes + " B", "32 B");
        row("results equal to brute force", agreeing + " / " + queries.size(), "-");
    }

    /** imageKey (map key) plus the TTL timestamp and POJO-serialised IndexedImage (map value). */
    private int serializedEntryBytes() throws IOException {
        IndexedImage sample = stored(n / 2);
        DataOutputSerializer out = new DataOutputSerializer(256);
        Types.STRING.createSerializer(new SerializerConfigImpl()).serialize(sample.imageKey(), out);
        TypeInformation.of(IndexedImage.class).createSerializer(new SerializerConfigImpl()).serialize(sample, out);
        return out.length() + Long.BYTES;
    }

    private static void row(String measure, String index, String brute) {
        System.out.println("| " + measure + " | " + index + " | " + brute + " |");
    }

    private static void printMachine() throws IOException {
        String cpu;
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        }
        System.out.printf(Locale.ROOT, "cpus %d, %s, Java %s (%s), max heap %,d MB, JVM args %s%n",
                Runtime.getRuntime().availableProcessors(), cpu, System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    private static String perSecond(LookupStats stats, int lookups) {
        return String.format(Locale.ROOT, "%,.1f", lookups / seconds(stats.timing().wallNanos()));
    }

    private static String perCpuSecond(LookupStats stats, int lookups) {
        return String.format(Locale.ROOT, "%,.1f", lookups / seconds(stats.timing().cpuNanos()));
    }

    private static String perLookup(LookupStats stats, int lookups) {
        return String.format(Locale.ROOT, "%.2f ms / %.2f ms",
                stats.timing().wallNanos() / 1e6 / lookups, stats.timing().cpuNanos() / 1e6 / lookups);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static long directoryBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0L; // RocksDB deleted it between listing and sizing
                }
            }).sum();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
