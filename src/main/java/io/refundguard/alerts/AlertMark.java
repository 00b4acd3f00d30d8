package io.refundguard.alerts;

/**
 * The last alert fired for one (subject, pattern): what the suppression gate compares against.
 *
 * @param rank severity and escalation level folded into one comparable number
 * @param eventTime event time of the alert's trigger
 */
public record AlertMark(int rank, long eventTime, String alertId) {}
