package io.refundguard.job;

/** The kinds of record the detector publishes, each to its configured topic. */
public enum OutputKind {
    ALERT,
    VERDICT,
    DEAD_LETTER
}
