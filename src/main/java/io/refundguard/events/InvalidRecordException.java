package io.refundguard.events;

/**
 * Why a record was rejected. Only thrown inside the decoder, which turns it into a {@link
 * DeadLetter} value; it never reaches a Flink operator.
 */
final class InvalidRecordException extends Exception {
    InvalidRecordException(String reason) {
        super(reason, null, false, false);
    }
}
