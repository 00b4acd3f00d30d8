package io.refundguard.alerts;

import java.util.List;

/** The one risk verdict per refund request that a platform's automatic approval waits on. */
public record Verdict(
        String platform,
        String requestId,
        int riskScore,
        RecommendedAction recommendedAction,
        List<Reason> reasons,
        List<String> alertIds,
        String ruleSetVersion,
        String eventTime,
        String detectedAt) {}
