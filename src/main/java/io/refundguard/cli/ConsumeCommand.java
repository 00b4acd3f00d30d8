package io.refundguard.cli;

import io.refundguard.cli.KafkaCliSupport.CommandFailure;
import io.refundguard.local.KafkaLogging;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code consume}: prints the values of a topic's committed records, one per line, until enough
 * records arrived or none arrived for a while.
 *
 * <p>Only committed records are shown ({@code read_committed}): the detector writes with
 * exactly-once transactions, and records of an aborted attempt are not results.
 */
public final class ConsumeCommand {
    static final String USAGE = String.join("\n",
            "usage: consume --bootstrap-servers HOST:PORT --topic TOPIC [--from-beginning] [--max N]",
            "               [--timeout DURATION] [--group GROUP]",
            "  Prints the value of each committed record as one line (UTF-8).",
            "  --from-beginning  start at the oldest record instead of only new ones",
            "                    (with --group: only when the group has no committed offset yet)",
            "  --max N           stop after N records",
            "  --timeout D       stop when no record arrived for D (default 10s; e.g. 500ms, 30s, 2m)",
            "  --group G         read as consumer group G and commit the offsets of what was printed;",
            "                    without it nothing is committed");

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");
    private static final Duration MAX_POLL = Duration.ofMillis(200);

    private ConsumeCommand() {}

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        KafkaLogging.silentClients();
        try {
            Options options = Options.parse(args);
            if (options == null) {
                out.println(USAGE);
                return 0;
            }
            long consumed = consume(options, out);
            err.println("consumed " + consumed + (consumed == 1 ? " record" : " records") + " from " + options.topic());
            return 0;
        } catch (UsageException e) {
            err.println("consume: " + e.getMessage());
            err.println(USAGE);
            return KafkaCliSupport.EXIT_USAGE;
        } catch (CommandFailure e) {
            err.println("consume: " + e.getMessage());
            return e.exitCode;
        } catch (RuntimeException e) {
            err.println("consume: " + KafkaCliSupport.oneLine(e));
            return KafkaCliSupport.EXIT_FAILED;
        }
    }

    private record Options(String bootstrapServers, String topic, boolean fromBeginning, long max, Duration timeout,
            String group) {
        static Options parse(List<String> args) throws UsageException {
            if (args.contains("--help") || args.contains("-h")) {
                return null;
            }
            Flags flags = Flags.parse(args,
                    Set.of("--bootstrap-servers", "--topic", "--max", "--timeout", "--group"),
                    Set.of("--from-beginning"));
            if (!flags.positional().isEmpty()) {
                throw new UsageException("unexpected argument '" + flags.positional().get(0) + "'");
            }
            String servers = KafkaCliSupport.bootstrapServers(flags);
            String topic = KafkaCliSupport.topic(flags);
            long max = Long.MAX_VALUE;
            if (flags.has("--max")) {
                String value = flags.required("--max");
                try {
                    max = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    max = 0;
                }
                if (max < 1) {
                    throw new UsageException("--max expects a positive number, got '" + value + "'");
                }
            }
            Duration timeout = parseDuration(flags.optional("--timeout", null));
            return new Options(servers, topic, flags.has("--from-beginning"), max, timeout,
                    flags.optional("--group", null));
        }
    }

    static Duration parseDuration(String text) throws UsageException {
        if (text == null) {
            return DEFAULT_TIMEOUT;
        }
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new UsageException("--timeout expects a positive duration like 500ms, 10s or 2m, got '" + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    private static long consume(Options options, PrintStream out) throws CommandFailure {
        TopicDescription topic = KafkaCliSupport.checkBroker(options.bootstrapServers(), options.topic(),
                "refundguard-consume");
        if (topic == null) {
            throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "topic " + options.topic() + " does not exist at "
                    + options.bootstrapServers());
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(options)) {
            IdleClock idle = new IdleClock(options.timeout());
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
            while (count < options.max() && !idle.expired()) {
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
                    if (++count == options.max()) {
                        break;
                    }
                }
                if (any) {
                    out.flush();
                    idle.restart();
                }
            }
            out.flush();
            if (options.group() != null && !printed.isEmpty()) {
                // Exactly what was printed: with --max the last poll may have fetched more.
                consumer.commitSync(printed, KafkaCliSupport.BROKER_TIMEOUT);
            }
            return count;
        } catch (KafkaException e) {
            throw KafkaCliSupport.failureOf(options.bootstrapServers(), e);
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

    /** Time since the last sign of progress, compared with the allowed idle time. */
    private static final class IdleClock {
        private final long limitNanos;
        private long since = System.nanoTime();

        IdleClock(Duration limit) {
            this.limitNanos = limit.toNanos();
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
