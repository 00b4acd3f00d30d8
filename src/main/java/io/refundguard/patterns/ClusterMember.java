package io.refundguard.patterns;

/** A request in a shared-image cluster, and whose it is. */
public record ClusterMember(String personKey, RequestRecord request) {}
