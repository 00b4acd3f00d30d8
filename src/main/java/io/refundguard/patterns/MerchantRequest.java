package io.refundguard.patterns;

import io.refundguard.identity.PersonEvent;

/**
 * A refund-only request on its way to one of the subjects MERCHANT_BURST watches: the merchant —
 * the seller across platforms, its {@code merchantIdentityHash}, or without one the shop,
 * {@code merchant:<platform>:<merchantId>} — and the product, {@code
 * product:<platform>:<merchantId>:<productId>}.
 */
public record MerchantRequest(String merchantKey, PersonEvent request) {}
