package io.refundguard.console;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Live mode's cases: reads the alert and verdict topics of every view from the beginning,
 * read_committed (the detector writes them in exactly-once transactions, so an aborted attempt's
 * records never become cases), into a {@link CaseBook}, then follows them. The operator's view is
 * {@code refund-alerts}/{@code refund-verdicts}, platform p's is {@code refund-alerts.p}/{@code
 * refund-verdicts.p}.
 *
 * <p>No consumer group: the console keeps no offsets, it rebuilds its index from the topics at
 * every start. Alerts are read up to their end first and verdicts after them, so a verdict finds
 * its case without the console holding every verdict of the topic; afterwards a verdict that
 * arrives before its alert waits in a bounded map. A topic that does not exist yet (no alert of that
 * platform so far) is looked for again every {@link #TOPIC_RECHECK}.
 */
final class KafkaCaseFeed implements AutoCloseable {
    static final Duration TOPIC_RECHECK = Duration.ofSeconds(10);
    static final Duration BROKER_TIMEOUT = Duration.ofSeconds(15);
    private static final int PROBLEMS_SHOWN = 10;

    private record Source(boolean alerts, String view) {}

    private final CaseBook book;
    private final Map<String, Source> topics = new LinkedHashMap<>();
    private final KafkaConsumer<String, String> consumer;
    private final PrintWriter err;
    private final AtomicLong problems = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private Thread follower;
    private volatile boolean closing;

    KafkaCaseFeed(LiveConfig config, CaseBook book, PrintWriter err) {
        this.book = book;
        this.err = err;
        topics.put(config.alerts(), new Source(true, CaseBook.OPERATOR_VIEW));
        topics.put(config.verdicts(), new Source(false, CaseBook.OPERATOR_VIEW));
        for (String platform : book.platforms()) {
            topics.put(config.alerts() + "." + platform, new Source(true, platform));
            topics.put(config.verdicts() + "." + platform, new Source(false, platform));
        }
        Properties props = config.client("refundguard-console-reader");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) BROKER_TIMEOUT.toMillis());
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) BROKER_TIMEOUT.toMillis());
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * Reads every existing topic up to its current end (so the server starts with every case so
     * far), then follows in a thread of its own.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException no broker answered in time
     */
    void start() {
        Map<String, List<TopicPartition>> existing = existingPartitions();
        topics.keySet().stream().filter(t -> !existing.containsKey(t))
                .forEach(t -> err.println("console: topic " + t + " does not exist yet; read once it does"));
        err.flush();
        List<TopicPartition> alertPartitions = new ArrayList<>();
        List<TopicPartition> verdictPartitions = new ArrayList<>();
        existing.forEach((topic, parts) -> (topics.get(topic).alerts() ? alertPartitions : verdictPartitions).addAll(parts));
        readToEnd(alertPartitions, alertPartitions);
        List<TopicPartition> all = new ArrayList<>(alertPartitions);
        all.addAll(verdictPartitions);
        readToEnd(all, verdictPartitions);
        follower = new Thread(this::follow, "console-kafka-feed");
        follower.setDaemon(true);
        follower.start();
    }

    /** Records read so far, and how many of them were not alerts or verdicts. */
    long records() {
        return records.get();
    }

    long problems() {
        return problems.get();
    }

    private Map<String, List<TopicPartition>> existingPartitions() {
        Map<String, List<PartitionInfo>> listed = consumer.listTopics(BROKER_TIMEOUT);
        Map<String, List<TopicPartition>> existing = new LinkedHashMap<>();
        for (String topic : topics.keySet()) {
            List<PartitionInfo> infos = listed.get(topic);
            if (infos != null && !infos.isEmpty()) {
                existing.put(topic, infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList());
            }
        }
        return existing;
    }

    /** Assigns {@code assigned}, reads {@code fresh} from the beginning, returns at their current end. */
    private void readToEnd(List<TopicPartition> assigned, List<TopicPartition> fresh) {
        consumer.assign(assigned);
        consumer.seekToBeginning(fresh);
        Map<TopicPartition, Long> ends = consumer.endOffsets(fresh, BROKER_TIMEOUT);
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), BROKER_TIMEOUT) < e.getValue())) {
            pollOnce(Duration.ofMillis(200));
        }
    }

    private void follow() {
        long nextCheck = System.nanoTime() + TOPIC_RECHECK.toNanos();
        try {
            while (!closing) {
                pollOnce(Duration.ofMillis(500));
                if (System.nanoTime() - nextCheck >= 0) {
                    addNewPartitions();
                    nextCheck = System.nanoTime() + TOPIC_RECHECK.toNanos();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            if (!closing) {
                err.println("console: reading the alert topics stopped: " + e);
                err.flush();
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void addNewPartitions() {
        Map<String, List<TopicPartition>> existing;
        try {
            existing = existingPartitions();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return; // the broker is away; the consumer's own retries cover reading, we check again later
        }
        Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
        List<TopicPartition> added = new ArrayList<>();
        existing.values().forEach(parts -> parts.stream().filter(p -> !assigned.contains(p)).forEach(added::add));
        if (!added.isEmpty()) {
            assigned.addAll(added);
            consumer.assign(assigned);
            consumer.seekToBeginning(added);
        }
    }

    private void pollOnce(Duration timeout) {
        for (ConsumerRecord<String, String> record : consumer.poll(timeout)) {
            records.incrementAndGet();
            Source source = topics.get(record.topic());
            if (record.value() == null) {
                continue;
            }
            String problem = source.alerts() ? book.addAlert(source.view(), record.value())
                    : book.addVerdict(source.view(), record.value());
            if (problem != null && problems.incrementAndGet() <= PROBLEMS_SHOWN) {
                err.println("console: skipped " + record.topic() + " partition " + record.partition() + " offset "
                        + record.offset() + ": " + problem);
                err.flush();
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        if (follower == null) {
            consumer.close(Duration.ofSeconds(2));
            return;
        }
        consumer.wakeup();
        try {
            follower.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
