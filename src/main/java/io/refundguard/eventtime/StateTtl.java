package io.refundguard.eventtime;

import java.time.Duration;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * Whether keyed state gets a processing-time TTL, the backstop that bounds state even for keys
 * that never see another event. A job that runs for months needs it; a bounded run that throws its
 * state away (a replay, minutes long) never reaches a TTL of days, and on the heap backend the TTL
 * bookkeeping (a wrapper around every value, copied on access, and the incremental sweep) was a
 * sixth of a replay's CPU time, measured. Every stateful function takes one of these and declares
 * its state through it, so the choice is made once, for the whole job.
 */
public enum StateTtl {
    /** Production (and {@code local}): state declared through it has a TTL. Expired entries are
     * never returned and are dropped during RocksDB compaction. */
    PROCESSING_TIME,
    /** Bounded runs only ({@code replay.stateTtl: NONE}, the replay's default): no TTL anywhere;
     * the owners' event-time expiry still runs. */
    NONE;

    /**
     * For state whose key may never be touched again (an event id, a request): on the heap backend
     * it is also swept incrementally as other keys are accessed, so it cannot pile up in memory.
     */
    public <D extends StateDescriptor<?, ?>> D sweptAfter(Duration ttl, D descriptor) {
        if (this == PROCESSING_TIME) {
            descriptor.enableTimeToLive(builder(ttl).build());
        }
        return descriptor;
    }

    /**
     * For history that its owning function already expires in event time (cleanup timers, a
     * horizon checked on every read). The heap backend's incremental sweep would only repeat that
     * work, and it copies map values on every access: a third of the replay's CPU time, measured.
     * Compaction (RocksDB) and checkpoints (heap) still drop what the owner missed.
     */
    public <D extends StateDescriptor<?, ?>> D expiredByOwner(Duration ttl, D descriptor) {
        if (this == PROCESSING_TIME) {
            descriptor.enableTimeToLive(
                    builder(ttl).disableCleanupInBackground().cleanupInRocksdbCompactFilter(1000).cleanupFullSnapshot().build());
        }
        return descriptor;
    }

    private static StateTtlConfig.Builder builder(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(1000);
    }
}
