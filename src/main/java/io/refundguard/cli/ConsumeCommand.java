package io.refundguard.cli;

import io.refundguard.cli.KafkaCliSupport.CommandFailure;
import io.refundguard.local.KafkaLogging;
import io.refundguard.settings.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code consume}: prints the values of a topic's committed records, one per line. Like Kafka's
 * console consumer it follows the topic until interrupted, unless told to stop after a number of
 * records or a time without any.
 *
 * <p>Only committed records are shown ({@code read_committed}): the detector writes with
 * exactly-once transactions, and records of an aborted attempt are not results.
 */
@Command(name = "consume", sortOptions = false, description = {
        "Print records of a Kafka topic (read_committed).",
        "Prints the value of each committed record as one line (UTF-8) and follows the topic until "
        + "interrupted (Ctrl-C), unless --max-records or --timeout says when to stop. What it reads and "
        + "how many records it printed go to standard error."})
public final class ConsumeCommand extends CliCommand {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");
    private static final Duration MAX_POLL = Duration.ofMillis(200);

    @Mixin
    private KafkaCliSupport.BrokerOptions broker;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to read.")
    private String topic;

    @Option(names = "--from-beginning",
            description = "Start at the oldest record instead of only new ones (with --group: only when the group "
                    + "has no committed offset yet).")
    private boolean fromBeginning;

    @Option(names = "--max-records", paramLabel = "N", description = "Stop after N records.")
    private Long max;

    /** The name of --max-records before it matched Kafka's console consumer; scripts still use it. */
    @Option(names = "--max", paramLabel = "N", hidden = true)
    private Long maxOldName;

    @Option(names = "--timeout", paramLabel = "D", converter = DurationConverter.class,
            description = "Stop when no record arrived for D (e.g. 500ms, 10s, 2m; default: never).")
    private Duration timeout;

    @Option(names = "--group", paramLabel = "G",
            description = "Read as consumer group G and commit the offsets of what was printed; without it "
                    + "nothing is committed.")
    private String group;

    @Mixin
    private ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        KafkaLogging.silentClients();
        Options options = options();
        consume(options, out(), err());
        return 0;
    }

    /** {@code maxRecords} is Long.MAX_VALUE and {@code idleTimeout} null when not limited. */
    private record Options(String bootstrapServers, String topic, boolean fromBeginning, long maxRecords,
            Duration idleTimeout, String group) {
        String plan() {
            List<String> stops = new ArrayList<>();
            if (maxRecords != Long.MAX_VALUE) {
                stops.add("after " + maxRecords + (maxRecords == 1 ? " record" : " records"));
            }
            if (idleTimeout != null) {
                stops.add("after " + Durations.format(idleTimeout) + " without a record");
            }
            stops.add("on Ctrl-C");
            return "reading " + topic + " at " + bootstrapServers
                    + (fromBeginning ? " from the beginning" : ", new records only")
                    + (group == null ? "" : ", as group " + group)
                    + "; stops " + String.join(" or ", stops);
        }
    }

    private Options options() {
        if (max != null && maxOldName != null) {
            throw new UsageException("--max is --max-records: give one of them");
        }
        String flag = max != null ? "--max-records" : "--max";
        if (maxOldName != null) {
            max = maxOldName;
        }
        if (max != null && max < 1) {
            throw new UsageException(flag + " expects a positive number, got '" + max + "'");
        }
        if (group != null && group.isBlank()) {
            throw new UsageException("--group must not be empty");
        }
        return new Options(broker.bootstrapServers(config), KafkaCliSupport.topic(topic), fromBeginning,
                max == null ? Long.MAX_VALUE : max, timeout, group);
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            Matcher m = DURATION.matcher(text.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw new CommandLine.TypeConversionException(
                        "expects a positive duration like 500ms, 10s or 2m, got '" + text + "'");
            }
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
    }

    private static long consume(Options options, PrintStream out, PrintStream err) throws CommandFailure {
        TopicDescription topic = KafkaCliSupport.checkBroker(options.bootstrapServers(), options.topic(),
                "refundguard-consume");
        if (topic == null) {
            throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "topic " + options.topic() + " does not exist at "
                    + options.bootstrapServers());
        }
        err.println(options.plan());
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(options);
                StopOnShutdown stop = new StopOnShutdown(consumer)) {
            IdleClock idle = new IdleClock(options.idleTimeout());
            if (options.group() == null) {
                List<TopicPartition> partitions = topic.partitions().stream()
                        .map(p -> new TopicPartition(options.topic(), p.partition()))
                        .toList();
                consumer.assign(partitions);
                if (options.fromBeginning()) {
                    consumer.seekToBeginning(partitions);
                } else {
                    consumer.seekToEnd(partitions);
                }
            } else {
                // Joining a group takes a rebalance; the idle time counts from the moment
                // partitions arrive, not from a join that is still going on.
                consumer.subscribe(List.of(options.topic()), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        idle.restart();
                    }
                });
            }

            Map<TopicPartition, OffsetAndMetadata> printed = new HashMap<>();
            long count = 0;
            try {
                while (count < options.maxRecords() && !idle.expired()) {
                    boolean any = false;
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(idle.nextPoll(MAX_POLL))) {
                        byte[] value = record.value();
                        if (value != null) {
                            out.write(value, 0, value.length);
                        }
                        out.write('\n');
                        printed.put(new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1));
                        any = true;
                        if (++count == options.maxRecords()) {
                            break;
                        }
                    }
                    if (any) {
                        out.flush();
                        idle.restart();
                    }
                }
            } catch (WakeupException | InterruptException e) {
                // Ctrl-C (or an interrupted thread): a normal end of following.
                Thread.interrupted();
            }
            out.flush();
            if (options.group() != null && !printed.isEmpty()) {
                // Exactly what was printed: with --max-records the last poll may have fetched more.
                consumer.commitSync(printed, KafkaCliSupport.BROKER_TIMEOUT);
            }
            // Before the shutdown hook lets the JVM exit.
            err.println("consumed " + count + (count == 1 ? " record" : " records") + " from " + options.topic());
            return count;
        } catch (KafkaException e) {
            throw KafkaCliSupport.failureOf(options.bootstrapServers(), e);
        }
    }

    /**
     * Ctrl-C ends following like reaching --max-records does: the loop leaves its poll, the group
     * commits what was printed and the count is reported, before the JVM exits.
     */
    private static final class StopOnShutdown implements AutoCloseable {
        private final KafkaConsumer<?, ?> consumer;
        private final CountDownLatch finished = new CountDownLatch(1);
        private final Thread hook;

        StopOnShutdown(KafkaConsumer<?, ?> consumer) {
            this.consumer = consumer;
            this.hook = new Thread(this::stop, "refundguard-consume-stop");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        private void stop() {
            consumer.wakeup();
            try {
                finished.await(KafkaCliSupport.BROKER_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is what is waiting for us
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Options options) {
        Properties props = KafkaCliSupport.clientProperties(options.bootstrapServers(), "refundguard-consume");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, options.fromBeginning() ? "earliest" : "latest");
        // Reading must not create a topic by mistyping its name.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        if (options.group() != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, options.group());
        }
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Time since the last sign of progress, compared with the allowed idle time (none: follow forever). */
    private static final class IdleClock {
        private final long limitNanos;
        private long since = System.nanoTime();

        IdleClock(Duration limit) {
            this.limitNanos = limit == null ? Long.MAX_VALUE : limit.toNanos();
        }

        void restart() {
            since = System.nanoTime();
        }

        boolean expired() {
            return System.nanoTime() - since >= limitNanos;
        }

        Duration nextPoll(Duration atMost) {
            long left = limitNanos - (System.nanoTime() - since);
            return Duration.ofNanos(Math.max(1_000_000L, Math.min(left, atMost.toNanos())));
        }
    }
}
