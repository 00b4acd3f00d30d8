package io.refundguard.identity;

import io.refundguard.events.RefundEvent;

/** An event on its way to the person it concerns. */
public record PersonEvent(String personKey, RefundEvent event) {}
