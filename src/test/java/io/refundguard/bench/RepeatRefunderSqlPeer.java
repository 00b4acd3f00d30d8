package io.refundguard.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * The throughput peer of {@code replay}: a Flink SQL job that applies only the repeat-refunder
 * rule to the same refund-events file. Filesystem source with the JSON format, an OVER window per
 * person over event time with heap state, matches written as JSON lines; streaming mode at the
 * replay's parallelism, like the replay.
 *
 * <p>It is deliberately the simple job a user would write: no deduplication by eventId (a
 * redelivered request counts twice), no dead-letter path, no verdicts, and times read without
 * their offset (every simulated platform writes +08:00, so the order is the same).
 */
public final class RepeatRefunderSqlPeer {
    /** The matches written (requests at which a person had at least the minimum) and the job's time. */
    public record Result(long matches, Duration elapsed) {}

    private RepeatRefunderSqlPeer() {}

    public static Result run(Path events, Path outDir, int parallelism, Duration window, int minRequests)
            throws Exception {
        Files.createDirectories(outDir);
        try (var stale = Files.list(outDir)) {
            for (Path file : stale.toList()) {
                Files.delete(file);
            }
        }
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "hashmap");
        conf.setString("parallelism.default", Integer.toString(parallelism));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        // Timed like replay's own figure: from building the job to its output complete.
        long start = System.nanoTime();
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);

        tables.executeSql("""
                CREATE TABLE refund_events (
                  eventId STRING,
                  type STRING,
                  platform STRING,
                  requestId STRING,
                  occurredAt STRING,
                  refundType STRING,
                  buyer ROW<accountId STRING, identityHash STRING>,
                  ts AS TO_TIMESTAMP(SUBSTRING(occurredAt FROM 1 FOR 23), 'yyyy-MM-dd''T''HH:mm:ss.SSS'),
                  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
                ) WITH (
                  'connector' = 'filesystem',
                  'path' = '%s',
                  'format' = 'json',
                  'json.ignore-parse-errors' = 'true'
                )""".formatted(events.toAbsolutePath().toUri()));
        tables.executeSql("""
                CREATE TEMPORARY VIEW refund_only AS
                SELECT COALESCE(buyer.identityHash, platform || ':' || buyer.accountId) AS person,
                       platform, requestId, occurredAt, ts
                FROM refund_events
                WHERE type = 'REFUND_REQUESTED' AND refundType = 'REFUND_ONLY'""");
        Table matches = tables.sqlQuery("""
                SELECT person, platform, requestId, occurredAt, requests FROM (
                  SELECT person, platform, requestId, occurredAt,
                         COUNT(*) OVER (PARTITION BY person ORDER BY ts
                                        RANGE BETWEEN INTERVAL '%d' DAY PRECEDING AND CURRENT ROW) AS requests
                  FROM refund_only)
                WHERE requests >= %d""".formatted(window.toDays(), minRequests));

        tables.toDataStream(matches)
                .map(new ToJsonLine()).returns(Types.STRING).name("Matches as JSON")
                .sinkTo(new LineFileSink(outDir.toAbsolutePath().toString())).name("Files: " + outDir);
        env.execute("repeat-refunder SQL peer");
        long matched = 0;
        try (var parts = Files.list(outDir)) {
            for (Path part : parts.toList()) {
                try (var lines = Files.lines(part)) {
                    matched += lines.count();
                }
            }
        }
        return new Result(matched, Duration.ofNanos(System.nanoTime() - start));
    }

    /** One match as a JSON line (values are ids and an ISO time: no escaping needed beyond quotes). */
    static final class ToJsonLine implements MapFunction<Row, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String map(Row row) {
            return "{\"person\":\"" + row.getField("person") + "\",\"platform\":\"" + row.getField("platform")
                    + "\",\"requestId\":\"" + row.getField("requestId") + "\",\"occurredAt\":\""
                    + row.getField("occurredAt") + "\",\"requests\":" + row.getField("requests") + "}";
        }
    }

    /** Writes {@code DIR/part-<subtask>.jsonl}; a bounded run's files are complete when the job ends. */
    static final class LineFileSink implements Sink<String> {
        private static final long serialVersionUID = 1L;
        private final String dir;

        LineFileSink(String dir) {
            this.dir = dir;
        }

        @Override
        public SinkWriter<String> createWriter(WriterInitContext context) throws IOException {
            Path file = Path.of(dir, "part-" + context.getTaskInfo().getIndexOfThisSubtask() + ".jsonl");
            BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            return new SinkWriter<>() {
                @Override
                public void write(String line, Context context) throws IOException {
                    out.write(line);
                    out.newLine();
                }

                @Override
                public void flush(boolean endOfInput) throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
        }
    }
}
