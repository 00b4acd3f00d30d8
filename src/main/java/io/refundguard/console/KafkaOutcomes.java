package io.refundguard.console;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Live: outcome events to {@code refund-events}, keyed {@code platform:requestId} as the contract
 * keys that topic (so an outcome lands on the partition of its request's other events). The
 * producer is idempotent with acks=all: its own retries never duplicate a record. A decision is
 * recorded only once the broker has acknowledged all its events; if that fails, the reviewer sees
 * an error and may retry, and the retry carries the same event ids, which the detector drops as
 * duplicates should the first attempt have landed after all.
 */
final class KafkaOutcomes implements OutcomeSink {
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    private final LiveConfig config;
    private final KafkaProducer<String, String> producer;

    KafkaOutcomes(LiveConfig config) {
        this.config = config;
        Properties props = config.client("refundguard-console");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    @Override
    public void publish(List<Outcome> outcomes) throws IOException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            for (Outcome o : outcomes) {
                sent.add(producer.send(new ProducerRecord<>(config.refundEventsOf(o.platform()),
                        o.platform() + ":" + o.requestId(), o.json())));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(DELIVERY_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw new DeliveryException("publishing the outcome events to " + config.refundEvents() + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            throw new DeliveryException("publishing the outcome events to " + config.refundEvents() + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while publishing the outcome events", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
