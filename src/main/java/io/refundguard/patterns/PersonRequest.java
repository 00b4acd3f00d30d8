package io.refundguard.patterns;

/**
 * A refund request kept by a subject that is not a person (a shared attribute, a merchant), with
 * the person who filed it, so the subject's patterns can count distinct persons.
 */
public record PersonRequest(String personKey, RequestRecord request) {}
