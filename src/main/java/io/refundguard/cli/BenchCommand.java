package io.refundguard.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code bench index ...}: measurements a user can rerun on their own machine. Each prints a table
 * for people and, as its last line, one JSON object for scripts.
 */
public final class BenchCommand {
    static final String USAGE = """
            usage: refundguard bench index [--stored N] [--lookups M] [--parallelism P] [--seed S] [--work-dir DIR]
              index   the photo index operator on a local Flink with RocksDB: files N random PDQ hashes
                      (default 2000000), then answers M exact-within-radius lookups (default 10000, half of
                      them near a stored hash); prints lookups per second, state bytes per stored hash (last
                      checkpoint) and how many answers equal a brute-force scan. Large N needs heap: e.g.
                      REFUNDGUARD_JAVA_OPTS=-Xmx6g for 10000000.""";

    private BenchCommand() {}

    public static int run(List<String> args, PrintStream out) throws Exception {
        if (args.isEmpty()) {
            throw new UsageException("which benchmark? index");
        }
        return switch (args.get(0)) {
            case "index" -> index(args.subList(1, args.size()), out);
            default -> throw new UsageException("unknown benchmark \"" + args.get(0) + "\"; expected index");
        };
    }

    private static int index(List<String> args, PrintStream out) throws Exception {
        Flags flags = Flags.parse(args, Set.of("--stored", "--lookups", "--parallelism", "--seed", "--work-dir"), Set.of());
        long stored = positive(flags, "--stored", 2_000_000);
        int lookups = (int) positive(flags, "--lookups", 10_000);
        int parallelism = (int) positive(flags, "--parallelism", 2);
        long seed = flags.intValue("--seed", 1);
        Path work = flags.has("--work-dir") ? Path.of(flags.required("--work-dir"))
                : Files.createTempDirectory("refundguard-bench-index");
        IndexBench.Result r = IndexBench.run(stored, lookups, parallelism, seed, work);
        out.printf(Locale.ROOT, "  %-40s %16s%n", "what", "value");
        out.printf(Locale.ROOT, "  %-40s %16d%n", "stored hashes", r.stored());
        out.printf(Locale.ROOT, "  %-40s %16d%n", "lookups (radius 31)", r.lookups());
        out.printf(Locale.ROOT, "  %-40s %16d%n", "parallelism", r.parallelism());
        out.printf(Locale.ROOT, "  %-40s %16.1f%n", "load, seconds", r.loadSeconds());
        out.printf(Locale.ROOT, "  %-40s %16.2f%n", "lookups, seconds", r.lookupSeconds());
        out.printf(Locale.ROOT, "  %-40s %16.0f%n", "lookups per second", r.lookupsPerSecond());
        out.printf(Locale.ROOT, "  %-40s %16d%n", "index state, bytes (last checkpoint)", r.stateBytes());
        out.printf(Locale.ROOT, "  %-40s %16.1f%n", "state bytes per stored hash", r.bytesPerHash());
        out.printf(Locale.ROOT, "  %-40s %16d%n", "matches found", r.matchesFound());
        out.printf(Locale.ROOT, "  %-40s %10d of %3d%n", "answers equal to brute force", r.equalToBruteForce(), r.verified());
        out.printf(Locale.ROOT, "{\"stored\": %d, \"lookups\": %d, \"lookupsPerSecond\": %.0f, \"bytesPerHash\": %.1f, "
                + "\"equalToBruteForce\": %d, \"verified\": %d, \"parallelism\": %d}%n", r.stored(), r.lookups(),
                r.lookupsPerSecond(), r.bytesPerHash(), r.equalToBruteForce(), r.verified(), r.parallelism());
        return r.equalToBruteForce() == r.verified() ? 0 : 1;
    }

    private static long positive(Flags flags, String flag, long fallback) {
        String text = flags.get(flag);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.replace("_", ""));
            if (value < 1) {
                throw new UsageException(flag + " expects a positive number, got " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects a whole number, got \"" + text + "\"");
        }
    }
}
