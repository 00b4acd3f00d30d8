package io.refundguard.events;

/**
 * An input record that could not be used, with why. Written to {@code refund-events-dlq}.
 *
 * @param key the original record key, base64, or null
 * @param value the original record value, base64 (never re-encoded, so bytes that are not UTF-8
 *     survive)
 * @param reason one line: the field and what was wrong with it
 */
public record DeadLetter(
        String topic,
        int partition,
        long offset,
        long timestamp,
        String key,
        String value,
        String reason,
        long detectedAt) {}
