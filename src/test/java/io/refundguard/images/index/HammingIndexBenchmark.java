package io.refundguard.images.index;

import java.util.Locale;
import java.util.Random;

/**
 * The in-memory multi-index alone, one thread: search time per lookup and heap per hash at
 * several sizes, with the layout {@link Substrings#forSize} picks and with the fixed 16 x 16-bit
 * layout for comparison. Run: {@code java -cp target/classes:target/test-classes:$(cat
 * target/test.classpath) io.refundguard.images.index.HammingIndexBenchmark 100000 1000000 10000000}.
 */
public final class HammingIndexBenchmark {
    private HammingIndexBenchmark() {}

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "%-10s %-40s %12s %12s %12s%n", "hashes", "layout", "us/lookup", "matches", "heap B/hash");
        for (String arg : args) {
            int n = Integer.parseInt(arg);
            for (Substrings layout : new Substrings[] {Substrings.forSize(n, 31), Substrings.evenly(16, 31), Substrings.evenly(11, 31)}) {
                run(n, layout);
            }
        }
    }

    private static void run(int n, Substrings layout) throws Exception {
        Random random = new Random(42);
        HammingIndex index = new HammingIndex(layout, n);
        long[][] stored = new long[n][];
        for (int i = 0; i < n; i++) {
            stored[i] = HammingIndexTest.randomHash(random);
            index.add(stored[i][0], stored[i][1], stored[i][2], stored[i][3]);
        }
        int lookups = 20_000;
        long[][] queries = new long[lookups][];
        for (int j = 0; j < lookups; j++) {
            long[] q = stored[random.nextInt(n)].clone();
            for (int b = 0; b < j % 40; b++) {
                int bit = random.nextInt(256);
                q[3 - (bit >>> 6)] ^= 1L << (bit & 63);
            }
            queries[j] = q;
        }
        long[] found = new long[1];
        for (int j = 0; j < 2000; j++) {
            index.search(queries[j][0], queries[j][1], queries[j][2], queries[j][3], (h, d) -> found[0]++);
        }
        found[0] = 0;
        long start = System.nanoTime();
        for (long[] q : queries) {
            index.search(q[0], q[1], q[2], q[3], (h, d) -> found[0]++);
        }
        double micros = (System.nanoTime() - start) / 1e3 / lookups;
        System.out.printf(Locale.ROOT, "%-10d %-40s %12.1f %12d %12.1f%n", n, layout, micros, found[0],
                (double) index.heapBytes() / n);
    }
}
