package io.refundguard.events;

import java.math.BigDecimal;
import java.util.List;

/**
 * One validated {@code refund-events} record. A flat record rather than one class per type: Flink
 * serialises a single record class as a POJO, while a sealed hierarchy would fall back to Kryo.
 * Fields that do not belong to {@link #type()} are null; {@link EventDecoder} guarantees the
 * required ones of each type are set.
 *
 * @param occurredAt event time, epoch millis
 * @param utcOffsetSeconds the offset the platform wrote {@code occurredAt} in, kept so outputs show
 *     the platform's own local time
 * @param merchantIdentityHash the seller across platforms (HMAC of its unified social credit code),
 *     or null when the platform did not send it
 */
public record RefundEvent(
        int schemaVersion,
        String eventId,
        EventType type,
        String platform,
        String requestId,
        long occurredAt,
        int utcOffsetSeconds,
        // REFUND_REQUESTED
        String orderId,
        String merchantId,
        String merchantIdentityHash,
        String productId,
        RefundType refundType,
        RefundReason reason,
        BigDecimal amount,
        String currency,
        Buyer buyer,
        List<Evidence> evidence,
        // REFUND_DECIDED (amount above is the amount paid out)
        Decision decision,
        Boolean automatic,
        // REFUND_OUTCOME
        OutcomeVerdict verdict,
        String source,
        // IDENTITY_ERASED
        String identityHash,
        String accountId) {

    /** {@code platform:requestId}, the key of a request across the whole system. */
    public String requestKey() {
        return RequestKeys.of(platform, requestId);
    }

    public boolean isRefundOnly() {
        return refundType == RefundType.REFUND_ONLY;
    }

    /** A copy carrying other evidence, e.g. after the detector fingerprinted a fetched file. */
    public RefundEvent withEvidence(List<Evidence> newEvidence) {
        return new RefundEvent(
                schemaVersion, eventId, type, platform, requestId, occurredAt, utcOffsetSeconds,
                orderId, merchantId, merchantIdentityHash, productId, refundType, reason, amount, currency, buyer,
                newEvidence, decision, automatic, verdict, source, identityHash, accountId);
    }
}
