package io.refundguard.job;

import io.refundguard.events.DecodedCatalogImage;
import io.refundguard.events.DecodedEvent;
import io.refundguard.events.EventDecoder;
import io.refundguard.events.RawRecord;
import io.refundguard.job.config.ControlRecords;
import io.refundguard.job.config.KafkaSettings;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.job.config.RuleSetLimits;
import io.refundguard.job.config.TopicSettings;
import io.refundguard.patterns.DecodedRuleSetUpdate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Kafka sources and sinks, everything named and secured by configuration. */
public final class KafkaIo {
    private KafkaIo() {}

    public static Sources sources(RefundGuardConfig config) {
        return new KafkaSources(config);
    }

    /**
     * One transactional sink for every output topic, so alerts, verdicts and dead letters of one
     * checkpoint become visible to {@code read_committed} consumers together. Exactly-once needs
     * checkpointing; without it the sink falls back to at-least-once.
     */
    public static Sinks sinks(RefundGuardConfig config, boolean checkpointing) {
        return outputs -> outputs.sinkTo(KafkaSink.<OutboundRecord>builder()
                        .setBootstrapServers(config.kafka().bootstrapServers())
                        .setKafkaProducerConfig(config.kafka().clientProperties(
                                "transaction.timeout.ms",
                                Long.toString(config.kafka().transactionTimeout().toMillis()),
                                "enable.idempotence", "true",
                                "acks", "all",
                                // Checked at start against the largest dead letter (RefundGuardConfig).
                                "max.request.size", Integer.toString(config.kafka().maxRequestSize())))
                        .setRecordSerializer(new OutboundSerializer(config.topics()))
                        .setDeliveryGuarantee(checkpointing ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                        .setTransactionalIdPrefix(config.kafka().transactionalIdPrefix())
                        .build())
                .uid("kafka-sink").name("Kafka: alerts, verdicts, dead letters");
    }

    private record KafkaSources(RefundGuardConfig config) implements Sources {
        @Override
        public DataStream<DecodedEvent> refundEvents(StreamExecutionEnvironment env, WatermarkStrategy<DecodedEvent> watermarks) {
            EventDecoder decoder = new EventDecoder(config.input());
            return read(env, Topics.refundEvents(config), decoder::decode, DecodedEvent.class, watermarks,
                    "kafka-refund-events");
        }

        @Override
        public Optional<DataStream<DecodedCatalogImage>> catalogImages(
                StreamExecutionEnvironment env, WatermarkStrategy<DecodedCatalogImage> watermarks) {
            EventDecoder decoder = new EventDecoder(config.input());
            // Compacted: a new deployment must read every current listing photo, which it does from the start.
            return Optional.of(read(env, List.of(config.topics().catalogImages()), decoder::decodeCatalogImage,
                    DecodedCatalogImage.class, watermarks, "kafka-catalog-images"));
        }

        @Override
        public Optional<DataStream<DecodedRuleSetUpdate>> ruleSetUpdates(
                StreamExecutionEnvironment env, WatermarkStrategy<DecodedRuleSetUpdate> watermarks) {
            ControlRecords records = new ControlRecords(config.input(),
                    new RuleSetLimits(config.rules(), config.state().personHistoryTtl()));
            // Every rule set ever published: each decides the events of its own span of event
            // time, so a new deployment replaying old events needs the old ones too.
            return Optional.of(read(env, List.of(config.topics().control()), records::decode, DecodedRuleSetUpdate.class,
                    watermarks, "kafka-detector-control"));
        }

        /**
         * One input topic, decoded in the source so watermarks are per partition and a bad record
         * never throws. A new deployment reads the topic from the start; a restarted one resumes from
         * its checkpoint, or from the offsets it committed.
         */
        private <T> DataStream<T> read(StreamExecutionEnvironment env, List<String> topics, Decoder<T> decoder, Class<T> type,
                WatermarkStrategy<T> watermarks, String uid) {
            KafkaSettings kafka = config.kafka();
            KafkaSource<T> source = KafkaSource.<T>builder()
                    .setBootstrapServers(kafka.bootstrapServers())
                    .setProperties(kafka.clientProperties(
                            "partition.discovery.interval.ms",
                            Long.toString(kafka.partitionDiscoveryInterval().toMillis()),
                            // Only committed output of upstream transactional producers.
                            "isolation.level", "read_committed"))
                    .setTopics(topics)
                    .setGroupId(kafka.groupId())
                    .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                    .setDeserializer(new DecodingDeserializer<>(decoder, TypeInformation.of(type)))
                    .build();
            return env.fromSource(source, watermarks, "Kafka: " + String.join(", ", topics)).uid(uid);
        }
    }

    /** Bytes of one input record to its decoded value or dead letter; never throws. */
    interface Decoder<T> extends java.io.Serializable {
        T decode(RawRecord raw);
    }

    static final class DecodingDeserializer<T> implements KafkaRecordDeserializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final Decoder<T> decoder;
        private final TypeInformation<T> type;

        DecodingDeserializer(Decoder<T> decoder, TypeInformation<T> type) {
            this.decoder = decoder;
            this.type = type;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
            out.collect(decoder.decode(new RawRecord(record.topic(), record.partition(), record.offset(),
                    record.timestamp(), record.key(), record.value())));
        }

        @Override
        public TypeInformation<T> getProducedType() {
            return type;
        }
    }

    static final class OutboundSerializer implements KafkaRecordSerializationSchema<OutboundRecord> {
        private static final long serialVersionUID = 1L;
        private final TopicSettings topics;

        OutboundSerializer(TopicSettings topics) {
            this.topics = topics;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(OutboundRecord record, KafkaSinkContext context, Long timestamp) {
            byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
            // The record's Kafka timestamp is when it was published, not the event time (which is
            // in the payload): stamped with an old event time, the output of a backfill would fall
            // behind the topic's retention and be deleted at once.
            return new ProducerRecord<>(topicOf(topics, record), null, null, key, record.value());
        }
    }

    /** {@code refund-alerts}, or {@code refund-alerts.<platform>} for a platform's view. */
    public static String topicOf(TopicSettings topics, OutboundRecord record) {
        String base = switch (record.kind()) {
            case ALERT -> topics.alerts();
            case VERDICT -> topics.verdicts();
            case DEAD_LETTER -> topics.deadLetters();
        };
        return record.platform() == null ? base : base + "." + record.platform();
    }
}
