package io.refundguard.cli;

import io.refundguard.cli.KafkaCliSupport.CommandFailure;
import io.refundguard.cli.simulate.Label;
import io.refundguard.cli.simulate.RandomPhotos;
import io.refundguard.cli.simulate.SimulatedTraffic;
import io.refundguard.cli.simulate.Thresholds;
import io.refundguard.cli.simulate.TrafficWriter;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.local.KafkaLogging;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
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

/**
 * {@code simulate}: realistic multi-platform refund traffic with fraud of every pattern and honest
 * near-misses planted in it, to a file and/or to Kafka at a chosen rate, with the ground truth
 * in a separate file. For load tests, backtests and demos; {@link SimulatedTraffic} says what is
 * modelled.
 */
@Command(name = "simulate", sortOptions = false, description = {
        "Realistic traffic at scale (photos, rings, bursts, near-misses) to a file or Kafka, with labels.",
        "Simulates refund traffic on four platforms (tb, jd, pdd, dy) over D days: buyers with a long tail "
        + "of heavy returners, merchants of Zipf-like sizes, a daily cycle, decisions and outcomes, "
        + "redelivered and late events, K evidence photos per request, and planted fraud of every pattern "
        + "next to honest near-misses. The same seed gives the same traffic; K changes only the photos. "
        + "Thresholds of planted cases follow the configuration (--config, --set rules.…)."})
public final class SimulateCommand extends CliCommand {
    static final long FIXED_START = OffsetDateTime.parse("2026-10-01T00:00:00+08:00").toInstant().toEpochMilli();
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    @Option(names = "--out", paramLabel = "FILE", description = "refund-events as JSON lines, in arrival order.")
    private Path eventsOut;

    @Option(names = "--catalog-out", paramLabel = "FILE",
            description = "catalog-images (a listing photo of every product refunded) as JSON lines.")
    private Path catalogOut;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Ground truth, one JSON line per planted case: truth FRAUD or HONEST, pattern, subject "
                    + "{kind, key}, requests, what.")
    private Path labelsOut;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Also publish to the configured topics (catalog first), keys as the contract says.")
    private String bootstrapServers;

    @Option(names = "--rate", paramLabel = "R",
            description = "With --bootstrap-servers: records per second (default 1000, 0 = no limit).")
    private Integer rate;

    @Option(names = "--persons", paramLabel = "N", description = "Buyers (default 2000, at least 200).")
    private int persons = 2000;

    @Option(names = "--requests", paramLabel = "N", description = "Refund requests (default 5 x persons).")
    private Integer requests;

    @Option(names = "--days", paramLabel = "D", description = "Default 60.")
    private int days = 60;

    @Option(names = "--start", paramLabel = "TIME|fixed",
            description = "First day: a date (2026-10-01, +08:00), an ISO time with offset, or \"fixed\" "
                    + "(2026-10-01); default D days ago, so the traffic ends today.")
    private String start;

    @Option(names = "--seed", paramLabel = "S", description = "Default 42.")
    private long seed = 42;

    @Option(names = "--photos-per-request", paramLabel = "K", description = "Default 1.")
    private int photos = 1;

    @Mixin
    private ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
        PrintStream out = out();
        PrintStream err = err();
        RefundGuardConfig config = configOptions.load();
        Path eventsFile = prepare("--out", eventsOut);
        Path catalogFile = prepare("--catalog-out", catalogOut);
        Path labelsFile = prepare("--labels", labelsOut);
        String servers = bootstrapServers != null ? KafkaCliSupport.bootstrapServers(bootstrapServers) : null;
        if (eventsFile == null && servers == null) {
            throw new UsageException("give --out FILE, --bootstrap-servers HOST:PORT, or both");
        }
        if (rate != null && servers == null) {
            throw new UsageException("--rate applies to publishing: give --bootstrap-servers too");
        }
        int rate = atLeast("--rate", this.rate == null ? 1000 : this.rate, 0);
        int persons = atLeast("--persons", this.persons, SimulatedTraffic.MIN_PERSONS);
        int requests = atLeast("--requests", this.requests == null
                ? (int) Math.min(Integer.MAX_VALUE, 5L * persons) : this.requests, 1);
        int days = atLeast("--days", this.days, 1);
        int photos = atLeast("--photos-per-request", this.photos, 0);
        if (photos > config.input().maxEvidence()) {
            throw new UsageException("--photos-per-request must be at most " + config.input().maxEvidence()
                    + " (input.maxEvidence), got " + photos);
        }
        long start = startOf(this.start, days);

        long began = System.nanoTime();
        SimulatedTraffic.Settings settings = new SimulatedTraffic.Settings(seed, persons, requests, days, start, photos);
        SimulatedTraffic traffic;
        try {
            traffic = SimulatedTraffic.generate(settings, Thresholds.of(config), new RandomPhotos(seed));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (labelsFile != null) {
            try (BufferedWriter writer = Files.newBufferedWriter(labelsFile, StandardCharsets.UTF_8)) {
                TrafficWriter.writeLabels(traffic.labels(), writer);
            }
        }
        SimulatedTraffic.Counts counts = traffic.counts();
        boolean catalogWanted = catalogFile != null || servers != null;
        long total = traffic.eventCount() + (catalogWanted ? counts.listings() : 0);
        Progress progress = new Progress(err, total, servers == null ? 0 : rate);
        TrafficWriter writer = new TrafficWriter(traffic);
        try (Outputs outputs = new Outputs(servers, config, progress)) {
            if (catalogWanted) {
                try (OutputStream catalog = catalogFile == null ? null : open(catalogFile)) {
                    writer.writeCatalog(outputs.sink(catalog, config.topics().catalogImages()));
                }
            }
            try (OutputStream events = eventsFile == null ? null : open(eventsFile)) {
                writer.writeEvents(outputs.sink(events, config.topics().refundEvents()));
            }
            outputs.flush();
        } catch (CommandFailure e) {
            progress.clear();
            err.println("refundguard simulate: " + e.getMessage());
            return e.exitCode;
        } catch (SendFailed e) {
            progress.clear();
            err.println("refundguard simulate: " + e.getMessage() + "; " + progress.written() + " records were written before");
            return KafkaCliSupport.EXIT_FAILED;
        }
        progress.clear();
        double seconds = Math.max(1, System.nanoTime() - began) / 1e9;
        summary(out, traffic, settings, seconds, progress.written(), eventsFile, catalogFile, labelsFile, servers, config);
        return 0;
    }

    private static Path prepare(String flag, Path path) throws IOException {
        if (path == null) {
            return null;
        }
        if (Files.isDirectory(path)) {
            throw new UsageException(flag + ": " + path + " is a directory");
        }
        if (path.toAbsolutePath().getParent() != null) {
            Files.createDirectories(path.toAbsolutePath().getParent());
        }
        return path;
    }

    private static OutputStream open(Path file) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
    }

    private static int atLeast(String flag, int value, int minimum) {
        if (value < minimum) {
            throw new UsageException(flag + " must be at least " + minimum + ", got " + value);
        }
        return value;
    }

    static long startOf(String value, int days) {
        if (value == null) {
            return LocalDate.now(CHINA).minusDays(days).atStartOfDay(CHINA).toInstant().toEpochMilli();
        }
        if (value.equals("fixed")) {
            return FIXED_START;
        }
        try {
            if (value.length() <= 10) {
                return LocalDate.parse(value).atStartOfDay(CHINA).toInstant().toEpochMilli();
            }
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new UsageException("--start expects a date like 2026-10-01, a time like 2026-10-01T00:00:00+08:00,"
                    + " or \"fixed\", got \"" + value + "\"");
        }
    }

    private static void summary(PrintStream out, SimulatedTraffic traffic, SimulatedTraffic.Settings s, double seconds,
            long written, Path events, Path catalog, Path labels, String servers, RefundGuardConfig config) {
        SimulatedTraffic.Counts c = traffic.counts();
        out.printf("Simulated %d days from %s, seed %d, in %.1f s (%,.0f records/s)%n", s.days(),
                OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(s.start()), CHINA), s.seed(), seconds,
                written / seconds);
        List<String> wrote = new ArrayList<>();
        if (events != null) {
            wrote.add("events " + events);
        }
        if (catalog != null) {
            wrote.add("catalog " + catalog);
        }
        if (labels != null) {
            wrote.add("labels " + labels);
        }
        if (servers != null) {
            wrote.add("published to " + config.topics().refundEvents() + " and " + config.topics().catalogImages()
                    + " at " + servers);
        }
        out.println("  " + String.join("; ", wrote));
        out.println();
        out.printf("  %-40s %12s%n", "what", "count");
        row(out, "persons", c.persons());
        row(out, "merchants", c.merchants());
        row(out, "refund requests", c.requests());
        row(out, "  refund-only", c.refundOnly());
        row(out, "  return-and-refund", c.requests() - c.refundOnly());
        for (int p = 0; p < c.requestsByPlatform().length; p++) {
            out.printf("  %-40s %12d  %5.1f %%%n", "  on " + SimulatedTraffic.platforms().get(p), c.requestsByPlatform()[p],
                    100.0 * c.requestsByPlatform()[p] / Math.max(1, c.requests()));
        }
        row(out, "decisions (REFUND_DECIDED)", c.decisions());
        row(out, "outcomes (REFUND_OUTCOME)", c.outcomes());
        row(out, "redelivered copies (same eventId)", c.redelivered());
        row(out, "late, within " + config.eventTime().outOfOrderness().toSeconds() + " s", c.lateWithinTolerance());
        row(out, "late, beyond it", c.lateBeyondTolerance());
        row(out, "evidence photos", c.evidencePhotos());
        row(out, "listing photos (catalog)", c.listings());
        row(out, "event records", c.records());
        out.println();
        Map<String, int[]> byPattern = new TreeMap<>();
        for (Label label : traffic.labels()) {
            byPattern.computeIfAbsent(label.pattern(), k -> new int[2])[label.isFraud() ? 0 : 1]++;
        }
        out.printf("  %-40s %12s %12s%n", "planted cases (labels)", "fraud", "honest");
        byPattern.forEach((pattern, n) -> out.printf("  %-40s %12d %12d%n", pattern, n[0], n[1]));
        if (s.photosPerRequest() == 0) {
            out.println("  (no photos: IMAGE_REUSE, CATALOG_IMAGE_MATCH and AI_GENERATED_EVIDENCE cases are not labelled)");
        }
    }

    private static void row(PrintStream out, String what, long count) {
        out.printf("  %-40s %12d%n", what, count);
    }

    /** The file and/or Kafka destinations of one run, behind one rate limit and one progress line. */
    private static final class Outputs implements AutoCloseable {
        private final KafkaProducer<String, byte[]> producer;
        private final String servers;
        private final Progress progress;
        private final AtomicReference<String> failure = new AtomicReference<>();
        private final AtomicLong acknowledged = new AtomicLong();

        Outputs(String servers, RefundGuardConfig config, Progress progress) throws CommandFailure {
            this.servers = servers;
            this.progress = progress;
            if (servers == null) {
                producer = null;
                return;
            }
            KafkaLogging.silentClients();
            KafkaCliSupport.checkBroker(servers, config.topics().refundEvents(), "refundguard-simulate");
            Properties props = KafkaCliSupport.clientProperties(servers, "refundguard-simulate");
            props.putAll(config.kafka().clientProperties());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) KafkaCliSupport.BROKER_TIMEOUT.toMillis());
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            try {
                producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
            } catch (KafkaException e) {
                throw KafkaCliSupport.failureOf(servers, e);
            }
        }

        /** Writes each record to {@code file} (if not null) and to {@code topic} (if publishing). */
        TrafficWriter.Sink sink(OutputStream file, String topic) {
            return (key, record) -> {
                progress.awaitTurn();
                if (file != null) {
                    file.write(record);
                    file.write('\n');
                }
                if (producer != null) {
                    send(topic, key, record);
                }
                progress.written(1);
            };
        }

        private void send(String topic, String key, byte[] record) throws IOException {
            String failed = failure.get();
            if (failed != null) {
                throw new SendFailed(failed);
            }
            try {
                producer.send(new ProducerRecord<>(topic, key, record), (metadata, exception) -> {
                    if (exception == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, "record to " + topic + " was not sent: "
                                + KafkaCliSupport.oneLine(exception));
                    }
                });
            } catch (TimeoutException e) {
                throw new SendFailed("topic " + topic + " at " + servers + " is not available within "
                        + KafkaCliSupport.BROKER_TIMEOUT.toSeconds() + " s (create it first, or start `refundguard local`)");
            } catch (KafkaException e) {
                throw new SendFailed(KafkaCliSupport.oneLine(e));
            }
        }

        void flush() throws CommandFailure {
            if (producer == null) {
                return;
            }
            producer.flush();
            if (failure.get() != null) {
                throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, failure.get() + "; " + acknowledged.get()
                        + " records were acknowledged");
            }
        }

        @Override
        public void close() {
            if (producer != null) {
                producer.close();
            }
        }
    }

    /** A publish failure, carried through the writer's IOException path to a one-line message. */
    private static final class SendFailed extends IOException {
        private static final long serialVersionUID = 1L;

        SendFailed(String message) {
            super(message);
        }
    }

    /**
     * Records written so far, the rate and the time left, on standard error: redrawn in place on a
     * terminal, a line every five seconds otherwise. Also paces publishing to the requested rate.
     */
    static final class Progress {
        private final PrintStream err;
        private final long total;
        private final int rate;
        private final boolean terminal = System.console() != null;
        private final long began = System.nanoTime();
        private long written;
        private long lastShown = began;
        private boolean shown;

        Progress(PrintStream err, long total, int rate) {
            this.err = err;
            this.total = total;
            this.rate = rate;
        }

        /** Blocks until the next record is due at the requested rate. */
        void awaitTurn() {
            if (rate <= 0) {
                return;
            }
            long due = began + written * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 1_000_000) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void written(int records) {
            written += records;
            if ((written & 1023) != 0 && written != total) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastShown < (terminal ? 500_000_000L : 5_000_000_000L)) {
                return;
            }
            lastShown = now;
            double seconds = (now - began) / 1e9;
            double perSecond = written / Math.max(seconds, 1e-9);
            long eta = Math.round((total - written) / Math.max(perSecond, 1e-9));
            String line = String.format("simulate: %,d / %,d records (%d %%), %,.0f records/s, ETA %d s",
                    written, total, total == 0 ? 100 : written * 100 / total, perSecond, eta);
            if (terminal) {
                err.print("\r" + line + "   ");
            } else {
                err.println(line);
            }
            err.flush();
            shown = true;
        }

        long written() {
            return written;
        }

        /** Ends the progress display, so the summary starts on a clean line. */
        void clear() {
            if (shown && terminal) {
                err.println();
            }
            shown = false;
        }
    }
}
