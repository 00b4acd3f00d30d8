package io.refundguard.patterns;

import io.refundguard.alerts.Alert;
import io.refundguard.alerts.AlertMark;
import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.Reason;
import io.refundguard.alerts.Subject;
import io.refundguard.alerts.SubjectAlerts;
import io.refundguard.alerts.SubjectKind;
import io.refundguard.events.RefundEvent;
import io.refundguard.eventtime.Retention;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * MERCHANT_BURST for one merchant or one product, keyed by {@link MerchantRequest#merchantKey()}.
 * Keeps the refund-only requests of the current window and the subject's baseline, folding each
 * bucket into it once event time has passed the bucket's end. Alerts on subject MERCHANT; emits
 * exactly one {@link Assessment} per element, with the burst's reason when it holds at the
 * element's time.
 *
 * <p>State per subject: the window's requests (pruned in event time once their bucket has closed
 * and they left every window), the average, and the last alert. A silent subject is forgotten once
 * its average has decayed to the default and the alert cooldown has passed, so a merchant that
 * stops trading leaves nothing behind.
 */
public final class MerchantBurstFunction extends RuledEventTimeOrderedFunction<String, MerchantRequest, Assessment> {
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("merchant-burst-alerts", TypeInformation.of(Alert.class)) {};
    private static final long serialVersionUID = 1L;
    /**
     * Silence, in EWMA spans, after which the processing-time TTL may drop a subject: after 8 spans
     * the average has shrunk by e^-16, below the default for any real merchant, so event time
     * would have forgotten it already.
     */
    private static final int SPANS_TO_FORGET = 8;

    private transient MapState<String, PersonRequest> windowRequests;
    private transient ValueState<MerchantBaseline> baseline;
    private transient SubjectAlerts alerts;

    public MerchantBurstFunction(RuleSet rules) {
        super(TypeInformation.of(MerchantRequest.class), rules);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        // A backstop for subjects whose timers never fire (a stalled watermark), longer than
        // anything event time keeps: the window, the forgetting horizon, the alert cooldown.
        MerchantBurstRule burst = startRules().merchantBurst();
        Duration horizon = burst.bucket().multipliedBy((long) burst.baselineBuckets() * SPANS_TO_FORGET);
        Duration ttl = max(max(burst.window(), horizon), startRules().alerts().cooldown()).plus(Duration.ofDays(1));
        MapStateDescriptor<String, PersonRequest> requests = new MapStateDescriptor<>(
                "window-requests-by-request", Types.STRING, TypeInformation.of(PersonRequest.class));
        requests.enableTimeToLive(StateTtl.expiredByOwner(ttl));
        windowRequests = getRuntimeContext().getMapState(requests);
        ValueStateDescriptor<MerchantBaseline> average = new ValueStateDescriptor<>(
                "refund-only-baseline", TypeInformation.of(MerchantBaseline.class));
        average.enableTimeToLive(StateTtl.expiredByOwner(ttl));
        baseline = getRuntimeContext().getState(average);
        alerts = SubjectAlerts.declare(getRuntimeContext(), ttl, PatternCode.MERCHANT_BURST);
    }

    @Override
    protected long timestampOf(MerchantRequest element) {
        return element.request().timestamp();
    }

    @Override
    protected String tieBreakerOf(MerchantRequest element) {
        // One request reaches one subject once, so its event id is unique under this key.
        return element.request().tieBreaker();
    }

    @Override
    protected void processInOrder(MerchantRequest element, ReadOnlyContext ctx, Collector<Assessment> out) throws Exception {
        PersonEvent person = element.request();
        if (person.isRetraction()) {
            // The person leaves the window; buckets already folded into the baseline are counts
            // with no one in them and stay.
            Retention.retract(windowRequests, person.retraction().requestKey());
            return;
        }
        RefundEvent request = person.event();
        List<Reason> reasons = new ArrayList<>();
        List<String> alertIds = new ArrayList<>();
        // The fan-out sends refund-only requests only; anything else is assessed but never counted.
        if (request.isRefundOnly()) {
            MerchantBurstRule burst = rules().merchantBurst();
            long at = request.occurredAt();
            MerchantBaseline current = baseline.value();
            current = MerchantBurst.closeBuckets(burst,
                    current == null ? MerchantBurst.start(burst, at) : current, windowRequests.values(), at);
            baseline.update(current);
            windowRequests.put(request.requestKey(), new PersonRequest(person.personKey(), RequestRecord.of(request, false)));
            // Once the request's bucket has closed and it has left every window, it can go; one
            // timer per bucket however busy the merchant.
            ctx.timerService().registerEventTimeTimer(
                    MerchantBurst.bucketStart(burst, at) + burst.bucket().toMillis() + burst.window().toMillis());

            Optional<PatternFinding> finding = MerchantBurst.evaluate(burst, rules().amountTier(), element.merchantKey(),
                    current, windowRequests.values(), at);
            if (finding.isPresent()) {
                PatternFinding f = finding.get();
                SubjectAlerts.Offer offer = alerts.offer(f, new Subject(SubjectKind.MERCHANT, element.merchantKey()),
                        request, rules());
                offer.fired().ifPresent(alert -> ctx.output(ALERTS, alert));
                reasons.add(new Reason(f.pattern(), f.severity(), rules().verdict().weightOf(f.pattern(), f.severity())));
                alertIds.add(offer.coveringAlertId());
            }
        }
        out.collect(new Assessment(request.platform(), request.requestId(), expectedFor(person), reasons, alertIds,
                rules().version(), request.occurredAt(), request.utcOffsetSeconds()));
    }

    /** The number of assessments the verdict assembler waits for, the same in every operator. */
    private int expectedFor(PersonEvent request) {
        return AssessmentPlan.expectedFor(request);
    }

    @Override
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<Assessment> out) throws Exception {
        MerchantBaseline current = baseline.value();
        if (current == null) {
            return;
        }
        MerchantBurstRule burst = rules().merchantBurst();
        current = MerchantBurst.closeBuckets(burst, current, windowRequests.values(), timestamp);
        // Every bucket ending by now is folded in, so requests older than one window are no longer
        // needed: no later request's window reaches back to them.
        long horizon = timestamp - burst.window().toMillis();
        List<String> expired = new ArrayList<>();
        for (var entry : windowRequests.entries()) {
            if (entry.getValue().request().occurredAt() <= horizon) {
                expired.add(entry.getKey());
            }
        }
        for (String key : expired) {
            windowRequests.remove(key);
        }
        if (windowRequests.isEmpty()) {
            long forget = MerchantBurst.forgetAt(burst, current);
            AlertMark mark = alerts.lastAlert(PatternCode.MERCHANT_BURST);
            if (mark != null) {
                // Forgetting the last alert early would let the same burst alert again within
                // the cooldown.
                forget = Math.max(forget, mark.eventTime() + rules().alerts().cooldown().toMillis());
            }
            if (forget <= timestamp) {
                baseline.clear();
                alerts.clear();
                return;
            }
            ctx.timerService().registerEventTimeTimer(forget);
        }
        baseline.update(current);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
