package io.refundguard.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refundguard.cli.KafkaCliSupport.CommandFailure;
import io.refundguard.local.KafkaLogging;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code publish}: sends JSON-lines files to a topic, one record per non-empty line.
 *
 * <p>Lines go out byte for byte, whatever they contain: a line that is not JSON, or not even
 * UTF-8, is exactly what the detector's dead-letter path must be shown.
 */
@Command(name = "publish", sortOptions = false, description = {
        "Publish JSON lines to a Kafka topic.",
        "Sends each non-empty line of the JSON-lines FILEs (- reads standard input) as one record, in order, "
        + "and waits until the broker has acknowledged all of them."})
public final class PublishCommand extends CliCommand {
    private static final String STDIN = "-";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Mixin
    private KafkaCliSupport.BrokerOptions broker;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to publish to.")
    private String topic;

    @Option(names = "--key-field", paramLabel = "F1,F2",
            description = "Record key from these top-level JSON fields joined by ':' (platform,requestId gives "
                    + "tb:R1); a line that is not a JSON object or lacks one of the fields is sent with no key.")
    private String keyField;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "JSON-lines files; - reads standard input.")
    private List<String> files = new ArrayList<>();

    @Mixin
    private ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        KafkaLogging.silentClients();
        return publish(options(), in(), out());
    }

    private record Options(String bootstrapServers, String topic, List<String> keyFields, List<String> files) {}

    private Options options() throws CommandFailure {
        String servers = broker.bootstrapServers(config);
        String checkedTopic = KafkaCliSupport.topic(topic);
        List<String> keyFields = new ArrayList<>();
        if (keyField != null) {
            for (String field : keyField.split(",", -1)) {
                if (field.isBlank()) {
                    throw new UsageException("--key-field has an empty field name");
                }
                keyFields.add(field.trim());
            }
        }
        if (files.isEmpty()) {
            throw new UsageException("no input FILE given (use - for standard input)");
        }
        if (files.stream().filter(STDIN::equals).count() > 1) {
            throw new UsageException("- (standard input) can be given only once");
        }
        for (String file : files) {
            checkReadable(file);
        }
        return new Options(servers, checkedTopic, List.copyOf(keyFields), List.copyOf(files));
    }

    /** All inputs are checked before anything is sent, so a typo does not leave half a file published. */
    private static void checkReadable(String file) throws CommandFailure {
        if (file.equals(STDIN)) {
            return;
        }
        Path path = Path.of(file);
        String problem = null;
        if (!Files.exists(path)) {
            problem = "no such file";
        } else if (Files.isDirectory(path)) {
            problem = "it is a directory";
        } else if (!Files.isReadable(path)) {
            problem = "permission denied";
        }
        if (problem != null) {
            throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "cannot read " + file + ": " + problem);
        }
    }

    private static int publish(Options options, InputStream stdin, PrintStream out) throws CommandFailure {
        KafkaCliSupport.checkBroker(options.bootstrapServers(), options.topic(), "refundguard-publish");
        Counts counts = new Counts();
        try (KafkaProducer<String, byte[]> producer = producer(options.bootstrapServers())) {
            try {
                for (String file : options.files()) {
                    if (file.equals(STDIN)) {
                        send(producer, options, "standard input", stdin, counts);
                    } else {
                        try (InputStream in = Files.newInputStream(Path.of(file))) {
                            send(producer, options, file, in, counts);
                        }
                    }
                }
                producer.flush();
            } catch (IOException e) {
                producer.flush();
                throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "cannot read " + readProblem(e) + "; "
                        + counts.acknowledged.get() + " records were sent before");
            }
            RecordFailure failure = counts.failure.get();
            if (failure != null) {
                throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "record from " + failure.where() + " was not sent: "
                        + failure.message() + "; " + counts.acknowledged.get() + " records were sent");
            }
        } catch (KafkaException e) {
            throw KafkaCliSupport.failureOf(options.bootstrapServers(), e);
        }
        StringBuilder summary = new StringBuilder()
                .append("published ").append(counts.acknowledged.get())
                .append(counts.acknowledged.get() == 1 ? " record" : " records")
                .append(" to ").append(options.topic()).append(" at ").append(options.bootstrapServers());
        if (!options.keyFields().isEmpty() && counts.withoutKey > 0) {
            summary.append(" (").append(counts.withoutKey).append(" without a key: not a JSON object or missing ")
                    .append(String.join(",", options.keyFields())).append(")");
        }
        out.println(summary);
        return 0;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        Properties props = KafkaCliSupport.clientProperties(bootstrapServers, "refundguard-publish");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Bounds the wait for topic metadata, which is also where a vanished broker shows up first.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) KafkaCliSupport.BROKER_TIMEOUT.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, Options options, String source, InputStream in,
            Counts counts) throws IOException, CommandFailure {
        LineReader lines = new LineReader(in);
        byte[] line;
        while ((line = lines.next()) != null) {
            if (isBlank(line)) {
                continue;
            }
            if (counts.failure.get() != null) {
                return; // the producer is failing; sending more would only bury the first error
            }
            String where = source + ":" + lines.lineNumber();
            String key = options.keyFields().isEmpty() ? null : keyOf(line, options.keyFields());
            if (key == null && !options.keyFields().isEmpty()) {
                counts.withoutKey++;
            }
            try {
                producer.send(new ProducerRecord<>(options.topic(), key, line), (metadata, exception) -> {
                    if (exception == null) {
                        counts.acknowledged.incrementAndGet();
                    } else {
                        counts.failure.compareAndSet(null,
                                new RecordFailure(where, KafkaCliSupport.oneLine(exception)));
                    }
                });
            } catch (TimeoutException e) {
                throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "topic " + options.topic() + " at "
                        + options.bootstrapServers() + " is not available within "
                        + KafkaCliSupport.BROKER_TIMEOUT.toSeconds()
                        + " s (the broker may not create topics automatically; create it first)");
            }
        }
    }

    /** The key from the given fields, or null when the line is not an object that has them all. */
    static String keyOf(byte[] line, List<String> fields) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
        if (node == null || !node.isObject()) {
            return null;
        }
        List<String> parts = new ArrayList<>(fields.size());
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value == null || !value.isValueNode() || value.isNull()) {
                return null;
            }
            parts.add(value.asText());
        }
        return String.join(":", parts);
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String readProblem(IOException e) {
        if (e instanceof NoSuchFileException) {
            return e.getMessage() + ": no such file";
        }
        if (e instanceof AccessDeniedException) {
            return e.getMessage() + ": permission denied";
        }
        return KafkaCliSupport.oneLine(e);
    }

    private record RecordFailure(String where, String message) {}

    private static final class Counts {
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicReference<RecordFailure> failure = new AtomicReference<>();
        long withoutKey;
    }

    /**
     * Splits a stream into lines at {@code \n} without decoding it, dropping the {@code \r} of
     * CRLF files; decoding would replace invalid bytes and so change what gets published.
     */
    static final class LineReader {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        private long lineNumber;

        LineReader(InputStream in) {
            this.in = in;
        }

        long lineNumber() {
            return lineNumber;
        }

        byte[] next() throws IOException {
            ByteArrayOutputStream line = null;
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        if (line == null) {
                            return null;
                        }
                        lineNumber++;
                        return stripCarriageReturn(line.toByteArray());
                    }
                }
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                if (line == null) {
                    line = new ByteArrayOutputStream(Math.max(16, position - start));
                }
                line.write(buffer, start, position - start);
                if (position < limit) {
                    position++; // the '\n'
                    lineNumber++;
                    return stripCarriageReturn(line.toByteArray());
                }
            }
        }

        private static byte[] stripCarriageReturn(byte[] line) {
            int length = line.length;
            if (length > 0 && line[length - 1] == '\r') {
                return Arrays.copyOf(line, length - 1);
            }
            return line;
        }
    }
}
