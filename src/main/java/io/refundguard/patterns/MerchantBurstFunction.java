package io.refundguard.patterns;

import io.refundguard.alerts.AlertMark;
import io.refundguard.alerts.Assessment;
import io.refundguard.events.RefundEvent;
import io.refundguard.eventtime.Retention;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * MERCHANT_BURST for one merchant or one product, keyed by {@link MerchantRequest#merchantKey()}: a
 * seller across platforms by its identity hash (one window and one baseline over all its shops),
 * a shop without one by {@code merchant:<platform>:<merchantId>}.
 * Keeps the refund-only requests of the current window and the subject's baseline, folding each
 * bucket into it once event time has passed the bucket's end. Alerts on subject MERCHANT; a
 * request's assessment carries the burst's reason when it holds at the request's time.
 *
 * <p>State per subject: the window's requests (pruned in event time once their bucket has closed
 * and they left every window), the average, and the last alert. A silent subject is forgotten once
 * its average has decayed to the default and the alert cooldown has passed, so a merchant that
 * stops trading leaves nothing behind.
 */
public final class MerchantBurstFunction extends AssessingFunction<MerchantRequest> {
    private static final long serialVersionUID = 1L;
    /**
     * Silence, in EWMA spans, after which the processing-time TTL may drop a subject: after 8 spans
     * the average has shrunk by e^-16, below the default for any real merchant, so event time
     * would have forgotten it already.
     */
    private static final int SPANS_TO_FORGET = 8;

    private transient MapState<String, PersonRequest> windowRequests;
    private transient ValueState<MerchantBaseline> baseline;

    public MerchantBurstFunction(RuleSet rules, StateTtl stateTtl) {
        super(Assessor.MERCHANT_BURST, TypeInformation.of(MerchantRequest.class), rules, stateTtl);
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
        windowRequests = getRuntimeContext().getMapState(stateTtl().expiredByOwner(ttl, requests));
        ValueStateDescriptor<MerchantBaseline> average = new ValueStateDescriptor<>(
                "refund-only-baseline", TypeInformation.of(MerchantBaseline.class));
        baseline = getRuntimeContext().getState(stateTtl().expiredByOwner(ttl, average));
        declareAlerts(ttl, PatternCode.MERCHANT_BURST);
    }

    @Override
    protected PersonEvent personEventOf(MerchantRequest element) {
        return element.request();
    }

    @Override
    protected void retract(MerchantRequest element, ReadOnlyContext ctx) throws Exception {
        // The person leaves the window; buckets already folded into the baseline are counts with
        // no one in them and stay.
        Retention.retract(windowRequests, element.request().retraction().requestKey());
    }

    @Override
    protected void assess(MerchantRequest element, Assessing assessment, ReadOnlyContext ctx) throws Exception {
        PersonEvent person = element.request();
        RefundEvent request = person.event();
        if (!request.isRefundOnly()) {
            // Only refund-only requests reach a merchant (Assessor); anything else adds no reason.
            return;
        }
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
        assessment.found(MerchantBurst.evaluate(burst, rules().amountTier(), element.merchantKey(), current,
                windowRequests.values(), at));
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
            AlertMark mark = alerts().lastAlert(PatternCode.MERCHANT_BURST);
            if (mark != null) {
                // Forgetting the last alert early would let the same burst alert again within
                // the cooldown.
                forget = Math.max(forget, mark.eventTime() + rules().alerts().cooldown().toMillis());
            }
            if (forget <= timestamp) {
                baseline.clear();
                alerts().clear();
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
