package io.refundguard.job.config;

import io.refundguard.eventtime.StateTtl;
import io.refundguard.settings.Check;
import java.io.Serializable;

/**
 * The bounded backtest over files.
 *
 * @param stateTtl whether the replay's keyed state has the processing-time TTL that production
 *     state has; a replay lasts minutes and throws its state away, so {@code NONE} by default
 */
public record ReplaySettings(int parallelism, String stateBackend, StateTtl stateTtl) implements Serializable {
    public ReplaySettings {
        Check.atLeast("parallelism", parallelism, 1);
        FlinkSettings.checkStateBackend("stateBackend", stateBackend);
        Check.present("stateTtl", stateTtl);
    }
}
