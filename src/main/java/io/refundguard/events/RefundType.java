package io.refundguard.events;

public enum RefundType {
    /** 仅退款: money back, goods stay with the buyer. The only kind the fraud patterns count. */
    REFUND_ONLY,
    RETURN_AND_REFUND
}
