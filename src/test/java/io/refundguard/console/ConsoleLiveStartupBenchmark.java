package io.refundguard.console;

import io.refundguard.local.KafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

            System.gc();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            CommandLine.Model.CommandSpec spec = new CommandLine(new ConsoleCommand(ConsoleApiTest.ENV)).getCommandSpec();
            try (ConsoleServer server = ConsoleCommand.openLive(config, dir.resolve("journal.jsonl"),
                    Path.of("config/console.yaml"), null, ConsoleApiTest.ENV, ConsoleApiTest.CLOCK, spec)
                    .start("127.0.0.1", 0)) {
                HttpResponse<String> first = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/cases?severity=CRITICAL"))
                        .header("Authorization", ConsoleApiTest.basic("admin", "admin-secret")).build(),
                        HttpResponse.BodyHandlers.ofString());
                long ms = (System.nanoTime() - start) / 1_000_000;
                // The broker runs in this process too: its share of the CPU is in this figure.
                long cpuMs = (os.getProcessCpuTime() - cpuStart) / 1_000_000;
                System.gc();
                long heapMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
                System.out.printf("console live start-up: %d cases (%d records on %d topics) read and first query"
                        + " answered (HTTP %d) in %d ms wall, %d ms CPU (console and broker); heap after GC %d MB%n",
                        n, records, topics.size() - 1, first.statusCode(), ms, cpuMs, heapMb);
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
