package io.refundguard.patterns;

import io.refundguard.identity.PersonEvent;

/**
 * A refund-only request on its way to one of its link attributes: a request with a device, a card
 * and an address hash travels three times, once to each attribute's ring.
 *
 * @param attributeKey {@link AttributeKey#key()}, the key of the ring operator
 */
public record AttributedRequest(String attributeKey, PersonEvent request) {}
