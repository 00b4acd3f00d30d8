package io.refundguard.alerts;

import io.refundguard.patterns.PatternCode;

/** A pattern that contributed to a verdict, and how many points it added. */
public record Reason(PatternCode pattern, Severity severity, int weight) {}
