package io.refundguard.events;

/**
 * The buyer of a refund request. All hashes are lower-case hex HMAC-SHA256 values under the
 * consortium secret, so the detector never sees a real name, phone number or address.
 *
 * @param accountCreatedAt epoch millis, or null when the platform did not send it
 */
public record Buyer(
        String accountId,
        String identityHash,
        String deviceHash,
        String paymentHash,
        String addressHash,
        String phoneHash,
        Long accountCreatedAt) {}
