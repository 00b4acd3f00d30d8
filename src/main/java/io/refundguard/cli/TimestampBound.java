package io.refundguard.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Whether the broker bounds the timestamps of the refund-events topics. The job's future-skew
 * guard ({@code input.maxFutureSkew}) measures an event's {@code occurredAt} against its record's
 * Kafka timestamp; under CreateTime the producer chooses that timestamp, so a forged one far ahead
 * would let events move the watermark and fire every cleanup timer early. The broker closes this
 * with {@code message.timestamp.type=LogAppendTime} (it stamps records itself) or by rejecting
 * CreateTimes more than {@code message.timestamp.after.max.ms} ahead of its clock.
 */
final class TimestampBound {
    private static final long TIMEOUT_MS = 20_000;

    private TimestampBound() {}

    /**
     * One line per topic whose records may carry a timestamp further ahead than {@code maxAhead};
     * empty when every topic is bounded.
     */
    static List<String> unbounded(Admin admin, Collection<String> topics, Duration maxAhead)
            throws ExecutionException, TimeoutException, InterruptedException {
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        List<String> problems = new ArrayList<>();
        for (ConfigResource resource : resources) {
            Config config = configs.get(resource);
            String type = value(config, "message.timestamp.type");
            if ("LogAppendTime".equals(type)) {
                continue;
            }
            String after = value(config, "message.timestamp.after.max.ms");
            long afterMs = after == null ? Long.MAX_VALUE : Long.parseLong(after);
            if (afterMs > maxAhead.toMillis()) {
                problems.add("topic " + resource.name() + " keeps producer timestamps (message.timestamp.type=" + type
                        + ") up to " + (after == null ? "any time" : afterMs + " ms") + " ahead of the broker's clock,"
                        + " more than input.maxFutureSkew (" + maxAhead.toMillis() + " ms)");
            }
        }
        return problems;
    }

    /** How an operator fixes it, one command per topic. */
    static String fix(String bootstrapServers, Collection<String> topics) {
        StringBuilder fix = new StringBuilder("set LogAppendTime on them, e.g.");
        for (String topic : topics) {
            fix.append("\n  kafka-configs.sh --bootstrap-server ").append(bootstrapServers)
                    .append(" --alter --entity-type topics --entity-name ").append(topic)
                    .append(" --add-config message.timestamp.type=LogAppendTime");
        }
        return fix.toString();
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config == null ? null : config.get(name);
        return entry == null ? null : entry.value();
    }
}
