package io.refundguard.events;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Bounds on what an input record may be. Anything outside goes to the dead-letter topic instead of
 * into state: one absurd record must not cost memory, poison a sum or move the watermark.
 *
 * @param maxFutureSkew how far {@code occurredAt} may lie ahead of the record's Kafka timestamp; an
 *     event from a mis-set clock far in the future would otherwise advance the watermark and make
 *     every honest event after it late
 * @param deadLetterValueBytes how much of a rejected value its dead letter keeps (see {@link
 *     DeadLetter#bounded})
 * @param platforms the consortium's member platforms; records of any other platform code are
 *     rejected, since a platform code names output topics
 * @param perPlatformTopics records come from {@code <refundEvents>.<platform>} topics and must name
 *     their topic's platform
 */
public record InputLimits(
        int maxRecordBytes,
        int maxNestingDepth,
        BigDecimal maxAmount,
        int maxEvidence,
        Duration maxFutureSkew,
        int deadLetterValueBytes,
        List<String> platforms,
        boolean perPlatformTopics)
        implements Serializable {
    public InputLimits {
        platforms = platforms == null ? null : List.copyOf(platforms);
    }
}
