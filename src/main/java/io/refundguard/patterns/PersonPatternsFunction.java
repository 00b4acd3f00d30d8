package io.refundguard.patterns;

import io.refundguard.alerts.Alert;
import io.refundguard.alerts.AlertMark;
import io.refundguard.alerts.AlertMetrics;
import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.AssessmentPlan;
import io.refundguard.alerts.Reason;
import io.refundguard.alerts.Subject;
import io.refundguard.alerts.SubjectAlerts;
import io.refundguard.alerts.SubjectKind;
import io.refundguard.events.RefundEvent;
import io.refundguard.identity.PersonEvent;
import io.refundguard.job.EventTimeOrderedFunction;
import io.refundguard.job.StateTtl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * One person's cross-platform refund history and the patterns that read it: REPEAT_REFUNDER and
 * AMOUNT_TIER. Keyed by person key; sees the person's events in event-time order. Emits one
 * {@link Assessment} per request and alerts on {@link #ALERTS}.
 */
public final class PersonPatternsFunction extends EventTimeOrderedFunction<String, PersonEvent, Assessment> {
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("person-alerts", TypeInformation.of(Alert.class)) {};
    private static final long serialVersionUID = 1L;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final RuleSet rules;
    private final Duration historyTtl;
    private transient MapState<String, RequestRecord> requestsByKey;
    private transient MapState<String, AlertMark> lastAlertByPattern;
    private transient SubjectAlerts alerts;

    public PersonPatternsFunction(RuleSet rules, Duration historyTtl) {
        super(TypeInformation.of(PersonEvent.class));
        this.rules = rules;
        this.historyTtl = historyTtl;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        MapStateDescriptor<String, RequestRecord> requests = new MapStateDescriptor<>(
                "refund-requests-by-key", Types.STRING, TypeInformation.of(RequestRecord.class));
        requests.enableTimeToLive(StateTtl.of(historyTtl));
        requestsByKey = getRuntimeContext().getMapState(requests);
        MapStateDescriptor<String, AlertMark> marks = new MapStateDescriptor<>(
                "last-alert-by-pattern", Types.STRING, TypeInformation.of(AlertMark.class));
        marks.enableTimeToLive(StateTtl.of(historyTtl));
        lastAlertByPattern = getRuntimeContext().getMapState(marks);
        alerts = new SubjectAlerts(lastAlertByPattern, new AlertMetrics(getRuntimeContext().getMetricGroup(),
                PatternCode.REPEAT_REFUNDER, PatternCode.AMOUNT_TIER));
    }

    @Override
    protected long timestampOf(PersonEvent element) {
        return element.event().occurredAt();
    }

    @Override
    protected String tieBreakerOf(PersonEvent element) {
        return element.event().eventId();
    }

    @Override
    protected void processInOrder(PersonEvent element, Context ctx, Collector<Assessment> out) throws Exception {
        RefundEvent event = element.event();
        Subject subject = new Subject(SubjectKind.IDENTITY, element.personKey());
        switch (event.type()) {
            case REFUND_REQUESTED -> onRequest(event, subject, ctx, out);
            case REFUND_DECIDED -> update(event.requestKey(), r -> r.decided(event.decision(), event.amount(), event.currency()));
            case REFUND_OUTCOME -> {
                if (update(event.requestKey(), r -> r.withOutcome(event.verdict()))) {
                    // Confirmed fraud can lift the person into a higher tier after the fact.
                    evaluateAmountTier(event, subject, ctx);
                }
            }
            case IDENTITY_ERASED -> erase(ctx);
        }
    }

    private void onRequest(RefundEvent request, Subject subject, Context ctx, Collector<Assessment> out) throws Exception {
        RequestRecord record = RequestRecord.of(request, false);
        requestsByKey.put(request.requestKey(), record);
        ctx.timerService().registerEventTimeTimer(cleanupTimeOf(record));

        List<Reason> reasons = new ArrayList<>();
        List<String> alertIds = new ArrayList<>();
        List<RequestRecord> history = history();
        if (request.isRefundOnly()) {
            consider(RepeatRefunder.evaluate(rules.repeatRefunder(), rules.amountTier(), history, request.occurredAt()),
                    subject, request, ctx, reasons, alertIds);
        }
        consider(AmountTier.evaluate(rules.amountTier(), history, request.occurredAt()),
                subject, request, ctx, reasons, alertIds);
        out.collect(new Assessment(request.platform(), request.requestId(), AssessmentPlan.expectedFor(request),
                reasons, alertIds, rules.version(), request.occurredAt(), request.utcOffsetSeconds()));
    }

    private void evaluateAmountTier(RefundEvent trigger, Subject subject, Context ctx) throws Exception {
        consider(AmountTier.evaluate(rules.amountTier(), history(), trigger.occurredAt()),
                subject, trigger, ctx, new ArrayList<>(), new ArrayList<>());
    }

    private void consider(Optional<PatternFinding> finding, Subject subject, RefundEvent trigger, Context ctx,
            List<Reason> reasons, List<String> alertIds) throws Exception {
        if (finding.isEmpty()) {
            return;
        }
        PatternFinding f = finding.get();
        SubjectAlerts.Offer offer = alerts.offer(f, subject, trigger, rules);
        offer.fired().ifPresent(alert -> ctx.output(ALERTS, alert));
        reasons.add(new Reason(f.pattern(), f.severity(), rules.verdict().weightOf(f.pattern(), f.severity())));
        alertIds.add(offer.coveringAlertId());
    }

    private boolean update(String requestKey, java.util.function.UnaryOperator<RequestRecord> change) throws Exception {
        RequestRecord record = requestsByKey.get(requestKey);
        if (record == null) {
            // The request aged out of the history, or the person was erased: nothing to update.
            return false;
        }
        requestsByKey.put(requestKey, change.apply(record));
        return true;
    }

    private List<RequestRecord> history() throws Exception {
        List<RequestRecord> history = new ArrayList<>();
        for (RequestRecord record : requestsByKey.values()) {
            history.add(record);
        }
        return history;
    }

    /** PIPL erasure: everything this operator keeps about the person goes, timers included. */
    private void erase(Context ctx) throws Exception {
        for (RequestRecord record : requestsByKey.values()) {
            ctx.timerService().deleteEventTimeTimer(cleanupTimeOf(record));
        }
        requestsByKey.clear();
        lastAlertByPattern.clear();
    }

    @Override
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<Assessment> out) throws Exception {
        List<String> expired = new ArrayList<>();
        for (var entry : requestsByKey.entries()) {
            if (cleanupTimeOf(entry.getValue()) <= timestamp) {
                expired.add(entry.getKey());
            }
        }
        for (String key : expired) {
            requestsByKey.remove(key);
        }
        if (requestsByKey.isEmpty()) {
            lastAlertByPattern.clear();
        }
    }

    /** Day-aligned, so a busy person has at most one cleanup timer per day. */
    private long cleanupTimeOf(RequestRecord record) {
        long retention = Math.max(rules.repeatRefunder().window().toMillis(), rules.amountTier().window().toMillis());
        long due = record.occurredAt() + retention;
        return (due / DAY + 1) * DAY;
    }

    /** For tests: whether anything about the current key remains. */
    boolean holdsState() throws Exception {
        return !requestsByKey.isEmpty() || !lastAlertByPattern.isEmpty() || hasPending();
    }
}
