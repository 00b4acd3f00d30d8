package io.refundguard.alerts;

import io.refundguard.events.Decision;
import io.refundguard.events.EventType;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.RequestKeys;
import io.refundguard.events.Times;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import io.refundguard.patterns.AmountTierRule;
import io.refundguard.patterns.PatternCode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reports a request that the platform approved automatically although its verdict said hold
 * (AUTOMATIC_APPROVAL_AFTER_HOLD): the money is paid out, so someone has to review it and claw it
 * back. Keyed by request key; input 1 is the request's verdict, input 2 its REFUND_REQUESTED and
 * automatic approvals.
 *
 * <p>Verdict and decision may arrive in either order: a platform that did not wait for the verdict
 * decides before it. What is kept, per request, and for how long:
 *
 * <ul>
 *   <li>from the REFUND_REQUESTED until the verdict (seconds; at most {@code state.verdictTtl}): the
 *       few request facts an alert lists, and the earliest automatic approval that came meanwhile;
 *   <li>after a HOLD_FOR_MANUAL_REVIEW or REJECT_AND_REPORT verdict, until an automatic approval
 *       (at most {@code state.heldVerdictTtl}): those facts and the verdict. Milder verdicts, most of
 *       them, leave nothing behind.
 * </ul>
 *
 * A retraction (the person was erased) removes both; the request's verdict, if still to come, is
 * then dropped on arrival.
 *
 * <p>Once reported, or after a mild verdict, the request has no state here, and a later approval of it
 * finds nothing to wait for: one report per request at most.
 *
 * <p>The REFUND_REQUESTED always arrives before its decisions, since both come from the one
 * subtask of {@code link-request-to-person} that owns the request, over one channel. The verdict
 * comes another way and normally after the request, but is not relied on to.
 */
public final class ReportAutomaticApprovals extends KeyedCoProcessFunction<String, Verdict, PersonEvent, Alert> {
    private static final long serialVersionUID = 1L;
    private static final PatternCode PATTERN = PatternCode.AUTOMATIC_APPROVAL_AFTER_HOLD;
    /** Two approvals waiting for one verdict: the earlier one is the report's trigger, on any replay. */
    private static final Comparator<Approval> EARLIER_FIRST =
            Comparator.comparingLong(Approval::decidedAt).thenComparing(Approval::eventId);

    private final AmountTierRule tiers;
    private final Duration verdictTtl;
    private final Duration heldVerdictTtl;
    private final StateTtl stateTtl;
    private transient ValueState<AwaitingVerdict> awaitingVerdict;
    private transient ValueState<HeldVerdict> heldVerdict;
    private transient ValueState<Boolean> erasedBeforeVerdict;
    private transient AlertMetrics metrics;

    /** What an alert lists of the request, and whose it is. */
    public record RequestFacts(
            String personKey, String accountId, BigDecimal amount, String currency, long occurredAt, int utcOffsetSeconds) {
        static RequestFacts of(PersonEvent request) {
            RefundEvent event = request.event();
            return new RequestFacts(request.personKey(), event.buyer().accountId(), event.amount(), event.currency(),
                    event.occurredAt(), event.utcOffsetSeconds());
        }
    }

    /**
     * An automatic approval.
     *
     * @param amount paid out, or null when the platform did not say (then the requested amount)
     */
    public record Approval(String eventId, long decidedAt, int utcOffsetSeconds, BigDecimal amount, String currency) {
        static Approval of(RefundEvent decision) {
            return new Approval(decision.eventId(), decision.occurredAt(), decision.utcOffsetSeconds(),
                    decision.amount(), decision.currency());
        }
    }

    /** A request whose verdict has not come yet; {@code approval} the earliest automatic approval, or null. */
    public record AwaitingVerdict(RequestFacts request, Approval approval) {}

    /** A hold (or stronger) verdict waiting for a decision; {@code request} is null until the request arrives. */
    public record HeldVerdict(RequestFacts request, Verdict verdict) {}

    /**
     * @param tiers legal tiers of the paid-out amount
     * @param verdictTtl how long a request waits for its verdict ({@code state.verdictTtl})
     * @param heldVerdictTtl how long a hold verdict waits for a decision ({@code state.heldVerdictTtl})
     */
    public ReportAutomaticApprovals(AmountTierRule tiers, Duration verdictTtl, Duration heldVerdictTtl,
            StateTtl stateTtl) {
        this.tiers = tiers;
        this.verdictTtl = verdictTtl;
        this.heldVerdictTtl = heldVerdictTtl;
        this.stateTtl = stateTtl;
    }

    /** The events of input 2 this operator needs; everything else stays upstream. */
    public static boolean concerns(PersonEvent personEvent) {
        RefundEvent event = personEvent.event();
        // A retraction carries its REFUND_REQUESTED, so it passes too.
        return event != null && (event.type() == EventType.REFUND_REQUESTED || isAutomaticApproval(event));
    }

    static boolean isAutomaticApproval(RefundEvent event) {
        return event.type() == EventType.REFUND_DECIDED
                && event.decision() == Decision.APPROVED
                && Boolean.TRUE.equals(event.automatic());
    }

    /** The verdicts the platform should not have approved automatically. */
    static boolean holds(RecommendedAction action) {
        return action.compareTo(RecommendedAction.HOLD_FOR_MANUAL_REVIEW) >= 0;
    }

    public static String requestKeyOf(Verdict verdict) {
        return RequestKeys.of(verdict.platform(), verdict.requestId());
    }

    public static String requestKeyOf(PersonEvent personEvent) {
        return personEvent.event().requestKey();
    }

    @Override
    public void open(OpenContext openContext) {
        awaitingVerdict = getRuntimeContext().getState(stateTtl.sweptAfter(verdictTtl,
                new ValueStateDescriptor<>("request-awaiting-verdict", TypeInformation.of(AwaitingVerdict.class))));
        heldVerdict = getRuntimeContext().getState(stateTtl.sweptAfter(heldVerdictTtl,
                new ValueStateDescriptor<>("held-verdict-awaiting-decision", TypeInformation.of(HeldVerdict.class))));
        erasedBeforeVerdict = getRuntimeContext().getState(stateTtl.sweptAfter(verdictTtl,
                new ValueStateDescriptor<>("erased-before-verdict", Types.BOOLEAN)));
        metrics = new AlertMetrics(getRuntimeContext().getMetricGroup(), PATTERN);
    }

    @Override
    public void processElement1(Verdict verdict, Context ctx, Collector<Alert> out) throws Exception {
        if (erasedBeforeVerdict.value() != null) {
            // The person was erased while this verdict was on its way: nothing of theirs is kept.
            erasedBeforeVerdict.clear();
            return;
        }
        AwaitingVerdict awaiting = awaitingVerdict.value();
        awaitingVerdict.clear();
        if (!holds(verdict.recommendedAction())) {
            return;
        }
        RequestFacts request = awaiting == null ? null : awaiting.request();
        if (awaiting != null && awaiting.approval() != null) {
            report(request, verdict, awaiting.approval(), out);
        } else {
            heldVerdict.update(new HeldVerdict(request, verdict));
        }
    }

    @Override
    public void processElement2(PersonEvent personEvent, Context ctx, Collector<Alert> out) throws Exception {
        if (personEvent.isRetraction()) {
            erase();
            return;
        }
        RefundEvent event = personEvent.event();
        if (event.type() == EventType.REFUND_REQUESTED) {
            RequestFacts request = RequestFacts.of(personEvent);
            HeldVerdict held = heldVerdict.value();
            if (held != null) {
                heldVerdict.update(new HeldVerdict(request, held.verdict()));
            } else {
                awaitingVerdict.update(new AwaitingVerdict(request, null));
            }
            return;
        }
        if (!isAutomaticApproval(event)) {
            return;
        }
        Approval approval = Approval.of(event);
        HeldVerdict held = heldVerdict.value();
        if (held != null && held.request() != null) {
            heldVerdict.clear();
            report(held.request(), held.verdict(), approval, out);
            return;
        }
        AwaitingVerdict awaiting = awaitingVerdict.value();
        if (awaiting != null && (awaiting.approval() == null || EARLIER_FIRST.compare(approval, awaiting.approval()) < 0)) {
            awaitingVerdict.update(new AwaitingVerdict(awaiting.request(), approval));
        }
        // Neither: the verdict was mild, or this request was reported already.
    }

    /**
     * The person was erased. Their request facts go; if the verdict has not come yet, a bare
     * marker (no facts, at most {@code verdictTtl}) makes it pass through without being kept.
     */
    private void erase() throws Exception {
        if (awaitingVerdict.value() != null) {
            erasedBeforeVerdict.update(true);
        }
        awaitingVerdict.clear();
        heldVerdict.clear();
    }

    private void report(RequestFacts request, Verdict verdict, Approval approval, Collector<Alert> out) {
        out.collect(alert(request, verdict, approval, tiers, System.currentTimeMillis()));
        metrics.fired(PATTERN);
    }

    /** The report: a pure function of the request, its verdict and the approval, but for {@code detectedAt}. */
    public static Alert alert(RequestFacts request, Verdict verdict, Approval approval, AmountTierRule tiers,
            long detectedAt) {
        Severity severity = verdict.recommendedAction() == RecommendedAction.REJECT_AND_REPORT
                ? Severity.CRITICAL
                : Severity.HIGH;
        Subject subject = new Subject(SubjectKind.IDENTITY, request.personKey());
        BigDecimal paid = approval.amount() != null ? approval.amount() : request.amount();
        String paidCurrency = approval.amount() != null ? approval.currency() : request.currency();
        Optional<BigDecimal> inTierCurrency = tiers.inTierCurrency(paid, paidCurrency);
        BigDecimal total = inTierCurrency.orElse(BigDecimal.ZERO);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("riskScore", verdict.riskScore());
        details.put("verdictAction", verdict.recommendedAction());
        details.put("reasons", verdict.reasons().stream().map(Reason::pattern).toList());
        details.put("alertIds", verdict.alertIds());
        details.put("decidedAt", Times.format(approval.decidedAt(), approval.utcOffsetSeconds()));
        details.put("paidAmount", paid.toPlainString());
        details.put("paidCurrency", paidCurrency);
        details.put("requestedAmount", request.amount().toPlainString());
        if (inTierCurrency.isEmpty()) {
            // Same convention as the other alerts: counted, not guessed at.
            details.put("requestsWithoutExchangeRate", 1);
        }

        String platform = verdict.platform();
        AlertRequest listed = new AlertRequest(platform, verdict.requestId(), request.accountId(), paid.toPlainString(),
                paidCurrency, Times.format(request.occurredAt(), request.utcOffsetSeconds()));
        return new Alert(
                // Keyed on the request rather than the approval's event id: a request is reported
                // once, and which of two approvals triggered it must not change the id.
                AlertIds.of(PATTERN, subject, RequestKeys.of(platform, verdict.requestId()), severity, 0),
                PATTERN,
                severity,
                subject,
                new Trigger(platform, verdict.requestId(), approval.eventId()),
                List.of(platform),
                List.of(listed),
                total.toPlainString(),
                tiers.currency(),
                tiers.tierOf(total),
                OutputJson.text(details),
                // Whatever the verdict said, the money is gone: the next step is a reviewer.
                RecommendedAction.HOLD_FOR_MANUAL_REVIEW,
                verdict.ruleSetVersion(),
                Times.format(approval.decidedAt(), approval.utcOffsetSeconds()),
                Times.formatUtc(detectedAt),
                null);
    }
}
