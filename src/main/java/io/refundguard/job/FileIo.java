package io.refundguard.job;

import io.refundguard.events.DecodedCatalogImage;
import io.refundguard.events.DecodedEvent;
import io.refundguard.events.EventDecoder;
import io.refundguard.events.InputLimits;
import io.refundguard.events.RawRecord;
import io.refundguard.job.config.ControlRecords;
import io.refundguard.job.config.RuleSetLimits;
import io.refundguard.patterns.DecodedRuleSetUpdate;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * JSON-lines files in place of topics, for {@code replay}: one line is one record, its line number
 * stands in for the Kafka offset in dead letters.
 */
public final class FileIo {
    private FileIo() {}

    public static Sources sources(Path events, InputLimits limits) {
        return sources(events, null, limits);
    }

    /** @param catalog listing photos as JSON lines, or null for none */
    public static Sources sources(Path events, Path catalog, InputLimits limits) {
        return sources(events, catalog, null, limits, null);
    }

    /**
     * @param control {@code detector-control} records (rule sets) as JSON lines, or null to decide
     *     with the configured rules only
     * @param ruleLimits what those rule sets may change; needed with {@code control}
     */
    public static Sources sources(Path events, Path catalog, Path control, InputLimits limits, RuleSetLimits ruleLimits) {
        return new FileSources(events.toAbsolutePath().toString(),
                catalog == null ? null : catalog.toAbsolutePath().toString(),
                control == null ? null : control.toAbsolutePath().toString(), limits, ruleLimits);
    }

    /**
     * Writes {@code DIR/parts/<name>-<subtask>.jsonl}, name being alerts, verdicts or dlq, with
     * {@code .<platform>} for a platform's view; {@link #mergeParts} makes the final files.
     */
    public static Sinks sinks(Path outDir) {
        String dir = outDir.toAbsolutePath().toString();
        return outputs -> outputs.sinkTo(new PartFileSink(dir)).uid("file-sink").name("Files: " + dir);
    }

    static String fileNameOf(OutboundRecord record) {
        String base = switch (record.kind()) {
            case ALERT -> "alerts";
            case VERDICT -> "verdicts";
            case DEAD_LETTER -> "dlq";
        };
        return record.platform() == null ? base : base + "." + record.platform();
    }

    private record FileSources(String eventsPath, String catalogPath, String controlPath, InputLimits limits,
            RuleSetLimits ruleLimits) implements Sources {
        @Override
        public DataStream<DecodedEvent> refundEvents(StreamExecutionEnvironment env, WatermarkStrategy<DecodedEvent> watermarks) {
            EventDecoder decoder = new EventDecoder(limits);
            return lines(env, eventsPath, "file-refund-events")
                    .map(decoder::decode).returns(TypeInformation.of(DecodedEvent.class))
                    .name("Decode events")
                    .assignTimestampsAndWatermarks(watermarks).name("Event time");
        }

        @Override
        public Optional<DataStream<DecodedCatalogImage>> catalogImages(
                StreamExecutionEnvironment env, WatermarkStrategy<DecodedCatalogImage> watermarks) {
            if (catalogPath == null) {
                return Optional.empty();
            }
            EventDecoder decoder = new EventDecoder(limits);
            return Optional.of(lines(env, catalogPath, "file-catalog-images")
                    .map(decoder::decodeCatalogImage).returns(TypeInformation.of(DecodedCatalogImage.class))
                    .name("Decode listing photos")
                    .assignTimestampsAndWatermarks(watermarks).name("Event time (catalog)"));
        }

        @Override
        public Optional<DataStream<DecodedRuleSetUpdate>> ruleSetUpdates(
                StreamExecutionEnvironment env, WatermarkStrategy<DecodedRuleSetUpdate> watermarks) {
            if (controlPath == null) {
                return Optional.empty();
            }
            ControlRecords records = new ControlRecords(limits, ruleLimits);
            return Optional.of(lines(env, controlPath, "file-detector-control")
                    .map(records::decode).returns(TypeInformation.of(DecodedRuleSetUpdate.class))
                    .name("Decode rule sets")
                    .assignTimestampsAndWatermarks(watermarks).name("Event time (rules)"));
        }

        private static DataStream<RawRecord> lines(StreamExecutionEnvironment env, String path, String uid) {
            FileSource<RawRecord> source = FileSource
                    .forRecordStreamFormat(new JsonLines(path), new org.apache.flink.core.fs.Path(path))
                    .build();
            return env.fromSource(source, WatermarkStrategy.noWatermarks(), "File: " + path)
                    .uid(uid)
                    // One reader, many decoders; partitioning by line number keeps the run
                    // deterministic, which a random rebalance would not.
                    .partitionCustom((line, partitions) -> (int) (line % partitions), RawRecord::offset);
        }
    }

    /** Reads lines as raw bytes (no charset decoding: invalid UTF-8 must reach the DLQ as it was). */
    static final class JsonLines implements StreamFormat<RawRecord> {
        private static final long serialVersionUID = 1L;
        private final String name;

        JsonLines(String name) {
            this.name = name;
        }

        @Override
        public Reader<RawRecord> createReader(Configuration config, FSDataInputStream stream, long fileLen, long splitEnd) {
            return new LineReader(name, stream);
        }

        @Override
        public Reader<RawRecord> restoreReader(Configuration config, FSDataInputStream stream, long restoredOffset,
                long fileLen, long splitEnd) throws IOException {
            throw new IOException("replay does not restore from checkpoints; run it again from the start");
        }

        @Override
        public boolean isSplittable() {
            return false;
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return TypeInformation.of(RawRecord.class);
        }
    }

    /** Splits the stream on '\n' in 64 KiB chunks; a line may span chunks. */
    private static final class LineReader implements StreamFormat.Reader<RawRecord> {
        private final String name;
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        private int position;
        private int limit;
        private long lineNumber;

        LineReader(String name, InputStream in) {
            this.name = name;
            this.in = in;
        }

        @Override
        public RawRecord read() throws IOException {
            byte[] next;
            while ((next = nextLine()) != null) {
                lineNumber++;
                // A blank line in a JSON-lines file separates nothing; it is not a record.
                if (!isBlank(next)) {
                    return new RawRecord(name, -1, lineNumber, -1, null, next);
                }
            }
            return null;
        }

        /** The next line without its line break, or null at the end of the file. */
        private byte[] nextLine() throws IOException {
            line.reset();
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return line.size() == 0 ? null : stripCarriageReturn(line.toByteArray());
                    }
                }
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                line.write(buffer, start, position - start);
                if (position < limit) {
                    position++;
                    return stripCarriageReturn(line.toByteArray());
                }
            }
        }

        private static byte[] stripCarriageReturn(byte[] bytes) {
            return bytes.length > 0 && bytes[bytes.length - 1] == '\r'
                    ? java.util.Arrays.copyOf(bytes, bytes.length - 1)
                    : bytes;
        }

        private static boolean isBlank(byte[] bytes) {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    static final class PartFileSink implements Sink<OutboundRecord> {
        private static final long serialVersionUID = 1L;
        private final String dir;

        PartFileSink(String dir) {
            this.dir = dir;
        }

        @Override
        public SinkWriter<OutboundRecord> createWriter(WriterInitContext context) throws IOException {
            Path parts = Path.of(dir, "parts");
            Files.createDirectories(parts);
            return new PartFileWriter(parts, context.getTaskInfo().getIndexOfThisSubtask());
        }
    }

    private static final class PartFileWriter implements SinkWriter<OutboundRecord> {
        private final Path parts;
        private final int subtask;
        private final Map<String, OutputStream> files = new HashMap<>();

        PartFileWriter(Path parts, int subtask) {
            this.parts = parts;
            this.subtask = subtask;
        }

        @Override
        public void write(OutboundRecord record, Context context) throws IOException {
            String name = fileNameOf(record);
            OutputStream out = files.get(name);
            if (out == null) {
                out = new BufferedOutputStream(Files.newOutputStream(parts.resolve(name + "-" + subtask + ".jsonl")), 1 << 16);
                files.put(name, out);
            }
            out.write(record.value());
            out.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            for (OutputStream out : files.values()) {
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            for (OutputStream out : files.values()) {
                out.close();
            }
        }
    }

    /**
     * Concatenates the part files of each output into {@code DIR/<name>.jsonl} and removes the
     * parts. Returns the number of lines per output name.
     */
    public static Map<String, Long> mergeParts(Path outDir) throws IOException {
        Path parts = outDir.resolve("parts");
        Map<String, Long> lines = new java.util.TreeMap<>();
        if (!Files.isDirectory(parts)) {
            return lines;
        }
        Map<String, java.util.List<Path>> byTopic = new java.util.TreeMap<>();
        try (var list = Files.list(parts)) {
            list.sorted().forEach(p -> {
                String file = p.getFileName().toString();
                String topic = file.substring(0, file.lastIndexOf('-'));
                byTopic.computeIfAbsent(topic, t -> new java.util.ArrayList<>()).add(p);
            });
        }
        for (var entry : byTopic.entrySet()) {
            Path target = outDir.resolve(entry.getKey() + ".jsonl");
            long count = 0;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target))) {
                for (Path part : entry.getValue()) {
                    count += copyCountingLines(part, out);
                    Files.delete(part);
                }
            }
            lines.put(entry.getKey(), count);
        }
        Files.deleteIfExists(parts);
        return lines;
    }

    private static long copyCountingLines(Path part, OutputStream out) throws IOException {
        long count = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(part)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        count++;
                    }
                }
            }
        }
        return count;
    }
}
