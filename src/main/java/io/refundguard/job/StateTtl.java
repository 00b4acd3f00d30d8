package io.refundguard.job;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * Processing-time TTL for keyed state, the backstop that bounds state even for keys that never see
 * another event. Expired entries are never returned and are dropped during RocksDB compaction.
 */
public final class StateTtl {
    private StateTtl() {}

    public static StateTtlConfig of(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(1000)
                .build();
    }
}
