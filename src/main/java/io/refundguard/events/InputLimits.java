package io.refundguard.events;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Bounds on what an input record may be. Anything outside goes to the dead-letter topic instead of
 * into state: one absurd record must not cost memory, poison a sum or move the watermark.
 *
 * @param maxFutureSkew how far {@code occurredAt} may lie ahead of the record's Kafka timestamp; an
 *     event from a mis-set clock far in the future would otherwise advance the watermark and make
 *     every honest event after it late
 */
public record InputLimits(
        int maxRecordBytes,
        int maxNestingDepth,
        BigDecimal maxAmount,
        int maxEvidence,
        Duration maxFutureSkew)
        implements Serializable {}
