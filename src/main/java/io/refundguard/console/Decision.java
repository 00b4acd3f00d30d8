package io.refundguard.console;

import java.util.List;

/**
 * One reviewer's decision on a case, as the journal keeps it.
 *
 * @param outcomeEventIds the {@code REFUND_OUTCOME} events it became (none for NEEDS_INFORMATION)
 */
public record Decision(String alertId, Disposition verdict, String note, String user, String decidedAt,
        List<String> outcomeEventIds) {}
