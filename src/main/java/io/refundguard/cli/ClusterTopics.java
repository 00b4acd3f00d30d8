package io.refundguard.cli;

import io.refundguard.cli.KafkaCliSupport.CommandFailure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the job's topics that are missing, before a job is submitted: a missing input topic
 * makes the Kafka source fail and the job restart in a loop.
 */
final class ClusterTopics {
    private static final long TIMEOUT_MS = 20_000;

    private ClusterTopics() {}

    /**
     * Creates each missing topic with {@code partitions} partitions and replication factor
     * {@code replication}, waits until all of them have leaders, and returns the names created.
     * Existing topics are left as they are.
     */
    static List<String> ensure(String bootstrapServers, Map<String, String> clientProperties,
            Collection<String> names, int partitions, short replication) throws CommandFailure {
        return ensure(bootstrapServers, clientProperties, names, partitions, replication, Map.of());
    }

    /** {@link #ensure} creating the topics named in {@code configs} with those topic configs. */
    static List<String> ensure(String bootstrapServers, Map<String, String> clientProperties,
            Collection<String> names, int partitions, short replication, Map<String, Map<String, String>> configs)
            throws CommandFailure {
        Properties props = KafkaCliSupport.clientProperties(bootstrapServers, "refundguard-topics");
        props.putAll(clientProperties);
        List<String> created = new ArrayList<>();
        Set<String> wanted = Set.copyOf(names);
        try (Admin admin = Admin.create(props)) {
            try {
                admin.describeCluster().nodes().get(KafkaCliSupport.BROKER_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw KafkaCliSupport.unreachable(bootstrapServers);
            }
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = wanted.stream().filter(n -> !existing.contains(n)).sorted()
                    .map(n -> new NewTopic(n, partitions, replication).configs(configs.getOrDefault(n, Map.of())))
                    .toList();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "cannot create topic '" + entry.getKey()
                                + "' at " + bootstrapServers + ": " + KafkaCliSupport.oneLine(e));
                    }
                }
            }
            awaitLeaders(admin, wanted);
        } catch (KafkaException e) {
            throw KafkaCliSupport.failureOf(bootstrapServers, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "the broker at " + bootstrapServers
                    + " did not list or create topics within " + TIMEOUT_MS / 1000 + " s: " + KafkaCliSupport.oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "interrupted");
        }
        return created;
    }

    /** {@link TimestampBound#unbounded} of these topics at this broker. */
    static List<String> unboundedTimestamps(String bootstrapServers, Map<String, String> clientProperties,
            Collection<String> topics, java.time.Duration maxAhead) throws CommandFailure {
        Properties props = KafkaCliSupport.clientProperties(bootstrapServers, "refundguard-topics");
        props.putAll(clientProperties);
        try (Admin admin = Admin.create(props)) {
            return TimestampBound.unbounded(admin, topics, maxAhead);
        } catch (KafkaException e) {
            throw KafkaCliSupport.failureOf(bootstrapServers, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "cannot read the configuration of topics " + topics
                    + " at " + bootstrapServers + ": " + KafkaCliSupport.oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "interrupted");
        }
    }

    private static void awaitLeaders(Admin admin, Set<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true) {
            try {
                Map<String, TopicDescription> described =
                        admin.describeTopics(topics).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                boolean led = described.values().stream().flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (led) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topics without a leader: " + topics);
            }
            Thread.sleep(100);
        }
    }
}
