package io.refundguard.job;

import io.refundguard.events.DecodedCatalogImage;
import io.refundguard.events.DecodedEvent;
import io.refundguard.patterns.DecodedRuleSetUpdate;
import java.io.Serializable;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the job's input comes from: Kafka in production and {@code local}, files in {@code
 * replay}, collections in tests. Everything after the sources is the same graph.
 */
public interface Sources extends Serializable {
    /** Decoded refund events with event-time watermarks from {@code watermarks} applied. */
    DataStream<DecodedEvent> refundEvents(StreamExecutionEnvironment env, WatermarkStrategy<DecodedEvent> watermarks);

    /** Merchants' listing photos, when there are any (a replay may run without a catalog). */
    Optional<DataStream<DecodedCatalogImage>> catalogImages(
            StreamExecutionEnvironment env, WatermarkStrategy<DecodedCatalogImage> watermarks);

    /**
     * Rule sets published on {@code detector-control}, decoded (invalid ones carry their dead
     * letter). Empty when the job runs on the rules from {@code config/} only. The default is
     * empty so sources written before live rules keep working.
     */
    default Optional<DataStream<DecodedRuleSetUpdate>> ruleSetUpdates(
            StreamExecutionEnvironment env, WatermarkStrategy<DecodedRuleSetUpdate> watermarks) {
        return Optional.empty();
    }
}
