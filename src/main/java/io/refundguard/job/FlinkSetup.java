package io.refundguard.job;

import io.refundguard.job.config.FlinkSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** Flink configuration from our settings: state backend, checkpoints, then the passthrough keys. */
public final class FlinkSetup {
    private static final Map<String, String> PIPELINE = Map.of(
            "pipeline.generic-types", "false",
            "pipeline.object-reuse", "true");

    private FlinkSetup() {}

    /**
     * @param checkpointDir where checkpoints go, or null to leave it to the cluster's configuration
     * @param recoveryPath a checkpoint or savepoint to resume from, or null
     */
    public static Configuration configuration(FlinkSettings settings, String stateBackend, Path checkpointDir, String recoveryPath) {
        Map<String, String> conf = new HashMap<>();
        conf.put("parallelism.default", Integer.toString(settings.parallelism()));
        conf.put("state.backend.type", stateBackend);
        // How long a record may wait in a half-full network buffer, at each of the ~10 exchanges a
        // request passes, and how often sources emit watermarks: both add to every verdict's time.
        conf.put("execution.buffer-timeout.interval", settings.bufferTimeout().toMillis() + "ms");
        conf.put("pipeline.auto-watermark-interval", settings.watermarkInterval().toMillis() + "ms");
        if (!settings.checkpointInterval().isZero()) {
            conf.put("execution.checkpointing.interval", settings.checkpointInterval().toMillis() + "ms");
            conf.put("execution.checkpointing.mode", "EXACTLY_ONCE");
            conf.put("execution.checkpointing.incremental", "true");
            // Kept after cancellation so that a restart of `local` can resume from it.
            conf.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
            conf.put("execution.checkpointing.num-retained", "3");
        }
        if (checkpointDir != null) {
            conf.put("execution.checkpointing.dir", checkpointDir.toUri().toString());
        }
        if (recoveryPath != null) {
            conf.put("execution.state-recovery.path", recoveryPath);
        }
        conf.putAll(PIPELINE);
        conf.putAll(settings.configuration());
        return Configuration.fromMap(conf);
    }

    /**
     * How records move through the graph, the same wherever it runs (cluster, {@code local},
     * {@code replay}, tests). No generic types: a type Flink cannot serialise itself fails the job
     * instead of falling back to Kryo, which neither performs nor evolves with the schema. Shared
     * objects between chained operators: every type that flows is an immutable record and no
     * function changes its input (the deep copies were a fifth of the replay's CPU time).
     */
    public static Configuration pipeline() {
        return Configuration.fromMap(PIPELINE);
    }
}
