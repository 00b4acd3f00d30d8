package io.refundguard.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.refundguard.patterns.PatternCode;
import java.util.List;

/**
 * One alert as the contract defines it.
 *
 * @param details a JSON object (kept as text so the record stays a Flink POJO; written raw)
 * @param otherPlatforms only in a per-platform view: the other platforms' requests, reduced
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(
        String alertId,
        PatternCode pattern,
        Severity severity,
        Subject subject,
        Trigger trigger,
        List<String> platforms,
        List<AlertRequest> requests,
        String amountTotal,
        String currency,
        LegalTier legalTier,
        @JsonRawValue String details,
        RecommendedAction recommendedAction,
        String ruleSetVersion,
        String eventTime,
        String detectedAt,
        List<PlatformSummary> otherPlatforms) {}
