package io.refundguard.job.config;

import io.refundguard.settings.Check;
import java.io.Serializable;

/** The bounded backtest over files. */
public record ReplaySettings(int parallelism, String stateBackend) implements Serializable {
    public ReplaySettings {
        Check.atLeast("parallelism", parallelism, 1);
        FlinkSettings.checkStateBackend("stateBackend", stateBackend);
    }
}
