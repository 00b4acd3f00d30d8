package io.refundguard.job;

import io.refundguard.events.DecodedCatalogImage;
import io.refundguard.events.DecodedEvent;
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
}
