package io.refundguard.job.config;

import io.refundguard.eventtime.StateTtl;
import io.refundguard.settings.Check;
import java.io.Serializable;

/**
 * The bounded backtest over files.
 *
 * @param stateBackend {@code auto} (the default: the heap when the input's estimated state fits,
 *     RocksDB otherwise, see {@code ReplayStateBackend}), {@code hashmap} or {@code rocksdb}
 * @param stateTtl whether the replay's keyed state has the processing-time TTL that production
 *     state has; a replay lasts minutes and throws its state away, so {@code NONE} by default
 * @param maxHeapShareOfMemory with {@code auto} and the launcher's default heap, the largest share
 *     of the machine's available memory a replay may restart itself with to keep its state on the
 *     heap (0: never; the replay then goes to RocksDB when the state does not fit)
 */
public record ReplaySettings(int parallelism, String stateBackend, StateTtl stateTtl, double maxHeapShareOfMemory)
        implements Serializable {
    public ReplaySettings {
        Check.atLeast("parallelism", parallelism, 1);
        if (!(maxHeapShareOfMemory >= 0 && maxHeapShareOfMemory <= 0.9)) {
            throw new IllegalArgumentException(
                    "maxHeapShareOfMemory: expected a share from 0 to 0.9, got " + maxHeapShareOfMemory);
        }
        if (!"auto".equals(stateBackend)) {
            Check.present("stateBackend", stateBackend);
            if (!FlinkSettings.STATE_BACKENDS.contains(stateBackend)) {
                throw new IllegalArgumentException(
                        "stateBackend: expected auto, rocksdb or hashmap, got \"" + stateBackend + "\"");
            }
        }
        Check.present("stateTtl", stateTtl);
    }
}
