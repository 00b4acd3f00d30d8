package io.refundguard.job.config;

import io.refundguard.settings.Check;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Flink execution settings; {@code configuration} passes any Flink key through. The checkpoint
 * interval, the buffer timeout and the watermark interval are typed because each is part of how
 * long a verdict takes (README, "How long a verdict takes").
 */
public record FlinkSettings(
        int parallelism,
        Duration checkpointInterval,
        String stateBackend,
        Duration bufferTimeout,
        Duration watermarkInterval,
        Map<String, String> configuration)
        implements Serializable {
    static final Set<String> STATE_BACKENDS = Set.of("rocksdb", "hashmap");

    public FlinkSettings {
        Check.atLeast("parallelism", parallelism, 1);
        Check.notNegative("checkpointInterval", checkpointInterval);
        checkStateBackend("stateBackend", stateBackend);
        Check.notNegative("bufferTimeout", bufferTimeout);
        Check.positive("watermarkInterval", watermarkInterval);
        configuration = Map.copyOf(Check.present("configuration", configuration));
    }

    static String checkStateBackend(String name, String value) {
        Check.present(name, value);
        if (!STATE_BACKENDS.contains(value)) {
            throw new IllegalArgumentException(name + ": expected rocksdb or hashmap, got \"" + value + "\"");
        }
        return value;
    }
}
