package io.refundguard.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * An input record that could not be used, with why. Written to {@code refund-events-dlq}.
 *
 * <p>A dead letter must always fit one producer request: an input just under the broker's
 * message limit, written whole in base64 (4/3 of its size), would not, and the sink would then
 * fail on it at every restart. So what is published is {@link #bounded bounded}: a prefix of the
 * key and of the value, with the original lengths and the value's SHA-256, which identify the
 * record at its topic, partition and offset.
 *
 * @param key the original record key (or its first bytes, see {@code keyBytes}), base64, or null
 * @param value the original record value (or its first bytes, see {@code valueBytes}), base64
 *     (never re-encoded, so bytes that are not UTF-8 survive)
 * @param reason one line: the field and what was wrong with it
 * @param keyBytes length of the original key; 0 without one
 * @param valueBytes length of the original value; 0 without one
 * @param valueSha256 SHA-256 of the whole original value, hex; null without a value
 * @param truncated whether {@code key} or {@code value} holds only a prefix of the original
 */
public record DeadLetter(
        String topic,
        int partition,
        long offset,
        long timestamp,
        String key,
        String value,
        String reason,
        long detectedAt,
        int keyBytes,
        int valueBytes,
        String valueSha256,
        boolean truncated) {
    /** Longest reason kept: a reason is a line for a human, not a copy of the input. */
    public static final int MAX_REASON_CHARS = 1000;

    /** Longest key prefix kept; keys are ids ({@code platform:requestId}), far shorter when honest. */
    public static final int MAX_KEY_BYTES = 1024;

    /** A dead letter for these original bytes: whole, with their lengths and the value's SHA-256. */
    public static DeadLetter of(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
            String reason, long detectedAt) {
        Base64.Encoder base64 = Base64.getEncoder();
        // Tools read the dead-letter topic one reason per line; an exception text must not break that.
        String oneLine = reason == null || reason.isBlank() ? "rejected (no reason given)" : reason.replaceAll("\\R+", " ");
        if (oneLine.length() > MAX_REASON_CHARS) {
            oneLine = oneLine.substring(0, MAX_REASON_CHARS) + "…";
        }
        return new DeadLetter(topic, partition, offset, timestamp,
                key == null ? null : base64.encodeToString(key),
                value == null ? null : base64.encodeToString(value),
                oneLine, detectedAt,
                key == null ? 0 : key.length,
                value == null ? 0 : value.length,
                value == null ? null : sha256(value),
                false);
    }

    /** {@link #of} for text, as the detector encodes it (an orphan event, a listing it could not read). */
    public static DeadLetter ofText(String topic, long timestamp, String key, String value, String reason, long detectedAt) {
        return of(topic, -1, -1, timestamp, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                reason, detectedAt);
    }

    /**
     * This dead letter with at most {@code maxValueBytes} of the value and {@link #MAX_KEY_BYTES}
     * of the key; lengths and hash still describe the original.
     */
    public DeadLetter bounded(int maxValueBytes) {
        String boundedKey = prefix(key, keyBytes, MAX_KEY_BYTES);
        String boundedValue = prefix(value, valueBytes, maxValueBytes);
        if (boundedKey == key && boundedValue == value) {
            return this;
        }
        return new DeadLetter(topic, partition, offset, timestamp, boundedKey, boundedValue, reason, detectedAt,
                keyBytes, valueBytes, valueSha256, true);
    }

    private static String prefix(String base64, int length, int max) {
        if (base64 == null || length <= max) {
            return base64;
        }
        byte[] bytes = Base64.getDecoder().decode(base64);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, max));
    }

    private static String sha256(byte[] bytes) {
        return Sha256.hex(bytes);
    }
}
