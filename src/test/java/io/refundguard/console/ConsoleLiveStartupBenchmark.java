package io.refundguard.console;

import io.refundguard.local.KafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;

/**
 * Start-up time of the console in live mode with N cases (default 100,000): an embedded broker on
 * 127.0.0.1, the same folder as {@link ConsoleStartupBenchmark} published to the operator's and the
 * four platforms' alert and verdict topics in committed transactions, then the time from opening
 * the console (read every topic to its end, read_committed) to the first authenticated query
 * answered. Run: {@code java -cp target/classes:target/test-classes:$(cat target/test.classpath)
 * io.refundguard.console.ConsoleLiveStartupBenchmark [N]}.
 */
public final class ConsoleLiveStartupBenchmark {
    private static final List<String> PLATFORMS = List.of("tb", "jd", "pdd", "dy");

    private ConsoleLiveStartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("console-live-startup");
        Files.createDirectories(dir.resolve("folder"));
        ConsoleStartupBenchmark.write(dir.resolve("folder"), n);
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"), 0)) {
            LiveConfig config = new LiveConfig(broker.bootstrapServers(), Map.of(), "refund-alerts", "refund-verdicts",
                    "refund-events", false, PLATFORMS);
            List<String> topics = new ArrayList<>(List.of(config.alerts(), config.verdicts(), config.refundEvents()));
            PLATFORMS.forEach(p -> topics.addAll(List.of(config.alerts() + "." + p, config.verdicts() + "." + p)));
            broker.createTopics(topics, 4);
            long records = publish(broker, dir.resolve("folder"));

            ConsoleStartupBenchmark.StartupClock clock = ConsoleStartupBenchmark.StartupClock.start();
            CommandLine.Model.CommandSpec spec = new CommandLine(new ConsoleCommand(ConsoleApiTest.ENV)).getCommandSpec();
            try (ConsoleServer server = ConsoleCommand.openLive(config, dir.resolve("journal.jsonl"),
                    Path.of("config/console.yaml"), null, ConsoleApiTest.ENV, ConsoleApiTest.CLOCK, spec)
                    .start("127.0.0.1", 0)) {
                // The broker runs in this process too: its share of the CPU is in the figure.
                System.out.printf("console live start-up: %d cases (%d records on %d topics) read and %s%n", n, records,
                        topics.size() - 1, clock.firstQueryAnswered(server, "console and broker"));
            }
        }
    }

    /** Every file of the folder to its topic (alerts.tb.jsonl to refund-alerts.tb), committed. */
    private static long publish(KafkaBroker broker, Path folder) throws IOException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "console-startup-detector");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        long records = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer()); var files = Files.list(folder)) {
            producer.initTransactions();
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                String topic = "refund-" + name.substring(0, name.length() - ".jsonl".length());
                producer.beginTransaction();
                try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    for (String line; (line = in.readLine()) != null; records++) {
                        producer.send(new ProducerRecord<>(topic, line));
                    }
                }
                producer.commitTransaction();
            }
        }
        return records;
    }
}
