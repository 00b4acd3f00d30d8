package io.refundguard.events;

/**
 * An input record as it came off a topic or a file, before decoding: what a dead letter must
 * carry back.
 *
 * @param partition -1 and {@code offset} the line number for file input
 */
public record RawRecord(
        String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {}
