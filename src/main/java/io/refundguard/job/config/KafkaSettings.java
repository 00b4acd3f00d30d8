package io.refundguard.job.config;

import io.refundguard.settings.Check;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/** Where the Kafka cluster is and how to talk to it; security settings go in clientProperties. */
public record KafkaSettings(
        String bootstrapServers,
        String groupId,
        String transactionalIdPrefix,
        Duration transactionTimeout,
        Duration partitionDiscoveryInterval,
        int maxRequestSize,
        Map<String, String> clientProperties)
        implements Serializable {
    public KafkaSettings {
        Check.notBlank("bootstrapServers", bootstrapServers);
        Check.notBlank("groupId", groupId);
        Check.notBlank("transactionalIdPrefix", transactionalIdPrefix);
        Check.positive("transactionTimeout", transactionTimeout);
        Check.positive("partitionDiscoveryInterval", partitionDiscoveryInterval);
        Check.atLeast("maxRequestSize", maxRequestSize, 65536);
        clientProperties = Map.copyOf(Check.present("clientProperties", clientProperties));
    }

    /** Client properties for any Kafka client of ours: bootstrap servers plus the configured extras. */
    public Properties clientProperties(String... extraKeyValues) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.setProperty("bootstrap.servers", bootstrapServers);
        for (int i = 0; i + 1 < extraKeyValues.length; i += 2) {
            properties.setProperty(extraKeyValues[i], extraKeyValues[i + 1]);
        }
        return properties;
    }
}
