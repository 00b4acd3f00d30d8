package io.refundguard.cli;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Option;

/** What the Kafka commands share: argument checks, the broker check, one-line error messages. */
final class KafkaCliSupport {
    /** Exit code for a user's mistake: bad arguments, unreadable input, no broker there. */
    static final int EXIT_USAGE = 2;
    /** Exit code for a failure after the command got going (a rejected record, a lost broker). */
    static final int EXIT_FAILED = 1;

    /** Long enough for a busy local broker, short enough that a typo in the address is noticed. */
    static final Duration BROKER_TIMEOUT = Duration.ofSeconds(5);

    private static final Pattern HOST_PORT = Pattern.compile("\\[?[A-Za-z0-9._:-]+]?:\\d{1,5}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    /** A failure to report in one line, with the exit code it deserves. */
    static final class CommandFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        CommandFailure(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    private KafkaCliSupport() {}

    /**
     * {@code --bootstrap-servers} of the commands that talk to Kafka directly; without it, the
     * broker the settings name ({@code kafka.bootstrapServers}, which {@code --config}/{@code --set}
     * change), so a newcomer's {@code local} is found without copying its address.
     */
    static final class BrokerOptions {
        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
                description = "The Kafka broker(s) (default: kafka.bootstrapServers of the settings, "
                        + "127.0.0.1:9092 in config/refundguard.yaml, where `local` runs its broker).")
        private String servers;

        String bootstrapServers(ConfigOptions config) {
            String chosen = servers != null ? servers : config.load().kafka().bootstrapServers();
            return KafkaCliSupport.bootstrapServers(chosen);
        }

        boolean given() {
            return servers != null;
        }
    }

    static String bootstrapServers(String value) throws UsageException {
        String servers = value.trim();
        for (String server : servers.split(",")) {
            if (!HOST_PORT.matcher(server.trim()).matches()) {
                throw new UsageException("--bootstrap-servers expects HOST:PORT[,HOST:PORT...], got '"
                        + servers + "'");
            }
        }
        return servers;
    }

    static String topic(String topic) throws UsageException {
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new UsageException("--topic '" + topic
                    + "' is not a valid topic name (letters, digits, '.', '_', '-'; at most 249)");
        }
        return topic;
    }

    /** Settings every client of these commands uses, so no call can hang on a missing broker. */
    static Properties clientProperties(String bootstrapServers, String clientId) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) BROKER_TIMEOUT.toMillis());
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) BROKER_TIMEOUT.toMillis());
        // Without this a refused connection is retried within a few ms, for the whole timeout.
        props.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return props;
    }

    /**
     * Fails with a clear message when nobody answers at {@code bootstrapServers}; returns the
     * topic's description, or null when the topic does not exist.
     */
    static TopicDescription checkBroker(String bootstrapServers, String topic, String clientId) throws CommandFailure {
        Properties props = clientProperties(bootstrapServers, clientId);
        try (Admin admin = createAdmin(props, bootstrapServers)) {
            try {
                admin.describeCluster().nodes().get(BROKER_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw unreachable(bootstrapServers);
            }
            try {
                Map<String, TopicDescription> described = admin.describeTopics(Set.of(topic)).allTopicNames()
                        .get(BROKER_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
                return described.get(topic);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    return null;
                }
                throw new CommandFailure(EXIT_FAILED, "cannot describe topic '" + topic + "' at " + bootstrapServers
                        + ": " + oneLine(e));
            } catch (java.util.concurrent.TimeoutException e) {
                throw unreachable(bootstrapServers);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(EXIT_FAILED, "interrupted");
        }
    }

    static CommandFailure unreachable(String bootstrapServers) {
        return new CommandFailure(EXIT_USAGE, "cannot reach a Kafka broker at " + bootstrapServers
                + " (no answer within " + BROKER_TIMEOUT.toSeconds() + " s); is it running?");
    }

    private static Admin createAdmin(Properties props, String bootstrapServers) throws CommandFailure {
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 200);
        try {
            return Admin.create(props);
        } catch (KafkaException e) {
            throw failureOf(bootstrapServers, e);
        }
    }

    /**
     * A client failure as the user should see it: an address Kafka cannot resolve is rejected
     * when the client is created, as a configuration error wrapped in others.
     */
    static CommandFailure failureOf(String bootstrapServers, KafkaException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException) {
                return new CommandFailure(EXIT_USAGE, "cannot use --bootstrap-servers " + bootstrapServers + ": "
                        + oneLine(t));
            }
        }
        return new CommandFailure(EXIT_FAILED, oneLine(e));
    }

    /** The most specific message of a failure, on one line. */
    static String oneLine(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && (t instanceof ExecutionException || t.getMessage() == null
                || (t instanceof KafkaException && t.getMessage().startsWith("Failed to construct")))) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
