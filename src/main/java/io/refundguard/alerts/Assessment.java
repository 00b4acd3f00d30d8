package io.refundguard.alerts;

import java.util.List;

/**
 * One pattern operator's contribution to one request's verdict. Every operator that looks at a
 * request sends exactly one, even when nothing holds, and each says how many the request gets in
 * all, so the verdict is complete when the count is reached, without waiting on a clock.
 */
public record Assessment(
        String platform,
        String requestId,
        int expected,
        List<Reason> reasons,
        List<String> alertIds,
        String ruleSetVersion,
        long eventTime,
        int utcOffsetSeconds) {

    public String requestKey() {
        return io.refundguard.events.RequestKeys.of(platform, requestId);
    }
}
