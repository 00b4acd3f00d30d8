package io.refundguard.job;

import java.io.Serializable;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where the job's output goes: Kafka topics, or files for {@code replay}. */
public interface Sinks extends Serializable {
    void write(DataStream<OutboundRecord> outputs);
}
