package io.refundguard.job.config;

import io.refundguard.settings.Check;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Flink execution settings; {@code configuration} passes any Flink key through. */
public record FlinkSettings(
        int parallelism, Duration checkpointInterval, String stateBackend, Map<String, String> configuration)
        implements Serializable {
    static final Set<String> STATE_BACKENDS = Set.of("rocksdb", "hashmap");

    public FlinkSettings {
        Check.atLeast("parallelism", parallelism, 1);
        Check.notNegative("checkpointInterval", checkpointInterval);
        checkStateBackend("stateBackend", stateBackend);
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
