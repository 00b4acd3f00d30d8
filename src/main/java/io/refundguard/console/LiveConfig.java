package io.refundguard.console;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What live mode needs from {@code config/refundguard.yaml}: where Kafka is and the topic names.
 * The launcher reads the file (the console does not depend on the job's configuration classes)
 * and hands this over.
 *
 * @param clientProperties {@code kafka.clientProperties}: security (SASL/SSL) for every client
 * @param refundEvents {@code topics.refundEvents}, where decisions go
 * @param perPlatformEventTopics {@code input.perPlatformTopics}: decisions of platform p then go to
 *     {@code refundEvents.p}, the only topic the detector reads p's events from
 * @param platforms {@code input.platforms}: a view per platform ({@code alerts.p}, {@code verdicts.p})
 */
public record LiveConfig(String bootstrapServers, Map<String, String> clientProperties, String alerts,
        String verdicts, String refundEvents, boolean perPlatformEventTopics, List<String> platforms) {
    public LiveConfig {
        clientProperties = Map.copyOf(clientProperties);
        platforms = List.copyOf(platforms);
    }

    /** Reads the configuration: {@code --config FILE} (null: the default) and {@code --set key=value}. */
    public interface Loader {
        /** @throws IllegalArgumentException a configuration mistake, in one line */
        LiveConfig load(Path file, List<String> overrides);
    }

    public LiveConfig withBootstrapServers(String servers) {
        return new LiveConfig(servers, clientProperties, alerts, verdicts, refundEvents, perPlatformEventTopics, platforms);
    }

    /** The topic a platform's outcome events go to. */
    String refundEventsOf(String platform) {
        return perPlatformEventTopics ? refundEvents + "." + platform : refundEvents;
    }

    Properties client(String clientId) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.setProperty("bootstrap.servers", bootstrapServers);
        properties.setProperty("client.id", clientId);
        return properties;
    }
}
