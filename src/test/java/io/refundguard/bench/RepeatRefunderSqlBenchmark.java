package io.refundguard.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code RepeatRefunderSqlBenchmark EVENTS OUT_DIR [PARALLELISM]}: runs {@link RepeatRefunderSqlPeer}
 * once and prints one JSON line: matches and the job's wall time (the MiniCluster start
 * included, as in {@code replay}'s own figure). {@code scripts/bench-throughput.sh} times the whole
 * process around it as well.
 */
public final class RepeatRefunderSqlBenchmark {
    private RepeatRefunderSqlBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: RepeatRefunderSqlBenchmark EVENTS.jsonl OUT_DIR [PARALLELISM]");
            System.exit(2);
        }
        int parallelism = args.length == 3 ? Integer.parseInt(args[2]) : 2;
        RepeatRefunderSqlPeer.Result result = RepeatRefunderSqlPeer.run(Path.of(args[0]), Path.of(args[1]), parallelism,
                Duration.ofDays(30), 4);
        System.out.println(String.format(Locale.ROOT, "{\"run\":\"sql-peer\",\"matches\":%d,\"jobSeconds\":%.3f}",
                result.matches(), result.elapsed().toMillis() / 1000.0));
    }
}
