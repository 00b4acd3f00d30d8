package io.refundguard.patterns;

import io.refundguard.alerts.Alert;
import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.Reason;
import io.refundguard.alerts.Severity;
import io.refundguard.alerts.Subject;
import io.refundguard.alerts.SubjectAlerts;
import io.refundguard.alerts.SubjectKind;
import io.refundguard.alerts.Trigger;
import io.refundguard.events.OutcomeVerdict;
import io.refundguard.events.RefundEvent;
import io.refundguard.eventtime.Retention;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import io.refundguard.images.EvidenceKeys;
import io.refundguard.images.LateCatalogMatch;
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
 * One person's cross-platform refund history and the patterns that read it: REPEAT_REFUNDER,
 * AMOUNT_TIER, and the image patterns about one person's evidence (AI_GENERATED_EVIDENCE,
 * CATALOG_IMAGE_MATCH, IMAGE_REUSE by the same person). Keyed by person key; sees the person's
 * events in event-time order. Emits one {@link Assessment} per request and alerts on {@link
 * #ALERTS}. A request with any image signal is suspect, and its amount counts toward AMOUNT_TIER.
 */
public final class PersonPatternsFunction extends RuledEventTimeOrderedFunction<String, PersonEvent, Assessment> {
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("person-alerts", TypeInformation.of(Alert.class)) {};
    private static final long serialVersionUID = 1L;

    private final Duration historyTtl;
    private transient MapState<String, RequestRecord> requestsByKey;
    private transient SubjectAlerts alerts;

    public PersonPatternsFunction(RuleSet rules, Duration historyTtl) {
        super(TypeInformation.of(PersonEvent.class), rules);
        this.historyTtl = historyTtl;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        MapStateDescriptor<String, RequestRecord> requests = new MapStateDescriptor<>(
                "refund-requests-by-key", Types.STRING, TypeInformation.of(RequestRecord.class));
        requests.enableTimeToLive(StateTtl.expiredByOwner(historyTtl));
        requestsByKey = getRuntimeContext().getMapState(requests);
        alerts = SubjectAlerts.declare(getRuntimeContext(), historyTtl, PatternCode.REPEAT_REFUNDER, PatternCode.AMOUNT_TIER, PatternCode.AI_GENERATED_EVIDENCE,
                PatternCode.CATALOG_IMAGE_MATCH, PatternCode.IMAGE_REUSE);
    }

    @Override
    protected long timestampOf(PersonEvent element) {
        return element.timestamp();
    }

    @Override
    protected String tieBreakerOf(PersonEvent element) {
        return element.tieBreaker();
    }

    @Override
    protected void processInOrder(PersonEvent element, ReadOnlyContext ctx, Collector<Assessment> out) throws Exception {
        if (element.isRetraction()) {
            // The IDENTITY_ERASED itself cleared this operator; retractions are for the others.
            return;
        }
        Subject subject = new Subject(SubjectKind.IDENTITY, element.personKey());
        if (element.lateCatalogMatch() != null) {
            onLateCatalogMatch(element.lateCatalogMatch(), subject, ctx);
            return;
        }
        RefundEvent event = element.event();
        switch (event.type()) {
            case REFUND_REQUESTED -> onRequest(element, subject, ctx, out);
            case REFUND_DECIDED -> update(event.requestKey(), r -> r.decided(event.decision(), event.amount(), event.currency()));
            case REFUND_OUTCOME -> {
                if (update(event.requestKey(), r -> r.withOutcome(event.verdict()))) {
                    // Confirmed fraud can lift the person into a higher tier after the fact.
                    consider(AmountTier.evaluate(rules().amountTier(), history(), event.occurredAt()),
                            subject, triggerOf(event), event.occurredAt(), event.utcOffsetSeconds(), ctx, null);
                }
            }
            case IDENTITY_ERASED -> erase(ctx);
        }
    }

    private void onRequest(PersonEvent element, Subject subject, ReadOnlyContext ctx, Collector<Assessment> out) throws Exception {
        RefundEvent request = element.event();
        List<PatternFinding> imageFindings = imageFindings(element);
        boolean imageSignal = !imageFindings.isEmpty()
                || (element.findings() != null && ImageReuse.sharesWithOthers(element.findings(), element.personKey()));
        RequestRecord record = RequestRecord.of(request, imageSignal);
        requestsByKey.put(request.requestKey(), record);
        ctx.timerService().registerEventTimeTimer(cleanupTimeOf(record));

        Verdicts verdicts = new Verdicts();
        List<RequestRecord> history = history();
        Trigger trigger = triggerOf(request);
        long at = request.occurredAt();
        int offset = request.utcOffsetSeconds();
        if (request.isRefundOnly()) {
            consider(RepeatRefunder.evaluate(rules().repeatRefunder(), rules().amountTier(), history, at),
                    subject, trigger, at, offset, ctx, verdicts);
        }
        consider(AmountTier.evaluate(rules().amountTier(), history, at), subject, trigger, at, offset, ctx, verdicts);
        for (PatternFinding finding : imageFindings) {
            consider(Optional.of(finding), subject, trigger, at, offset, ctx, verdicts);
        }
        if (history.stream().anyMatch(r -> r.outcome() == OutcomeVerdict.FRAUD)) {
            verdicts.reasons.add(new Reason(PatternCode.CONFIRMED_FRAUD_HISTORY, Severity.HIGH,
                    rules().verdict().weightOf(PatternCode.CONFIRMED_FRAUD_HISTORY, Severity.HIGH)));
        }
        if (request.evidence().stream().anyMatch(e -> e.fetchError() != null)) {
            verdicts.reasons.add(new Reason(PatternCode.EVIDENCE_UNREADABLE, Severity.MEDIUM,
                    rules().verdict().weightOf(PatternCode.EVIDENCE_UNREADABLE, Severity.MEDIUM)));
        }
        out.collect(new Assessment(request.platform(), request.requestId(), AssessmentPlan.expectedFor(element),
                verdicts.reasons, verdicts.alertIds, rules().version(), at, offset));
    }

    /** The image patterns that look at one person's request: AI marks, listing photos, self-reuse. */
    private List<PatternFinding> imageFindings(PersonEvent element) throws Exception {
        RefundEvent request = element.event();
        RequestRecord record = RequestRecord.of(request, true);
        List<PatternFinding> found = new ArrayList<>();
        AiGeneratedEvidence.evaluate(rules().aiGenerated(), request.evidence(), record).ifPresent(found::add);
        if (element.findings() != null) {
            CatalogImageMatch.evaluate(rules().catalogMatch(), element.findings(), record).ifPresent(found::add);
            ImageReuse.selfReuse(rules().imageReuse(), rules().amountTier(), element.findings(), element.personKey(),
                    historyByKey(), record).ifPresent(found::add);
        }
        return found;
    }

    private void onLateCatalogMatch(LateCatalogMatch late, Subject subject, ReadOnlyContext ctx) throws Exception {
        RequestRecord record = requestsByKey.get(late.requestKey());
        if (record == null) {
            // The request aged out of the history or the person was erased.
            return;
        }
        RequestRecord suspect = record.withImageSignal(true);
        requestsByKey.put(late.requestKey(), suspect);
        Trigger trigger = new Trigger(record.platform(), record.requestId(), "catalog:" + late.listing().imageKey());
        long at = late.listing().occurredAt();
        PatternFinding finding = CatalogImageMatch.late(rules().catalogMatch(), suspect,
                EvidenceKeys.imageIdOf(late.evidenceImageKey()), late.listing().imageKey(), late.listing().ownerKey(),
                late.distance());
        consider(Optional.of(finding), subject, trigger, at, record.utcOffsetSeconds(), ctx, null);
        consider(AmountTier.evaluate(rules().amountTier(), history(), Math.max(at, record.occurredAt())),
                subject, trigger, at, record.utcOffsetSeconds(), ctx, null);
    }

    /** What one request's assessment collects: the reasons and the alerts covering them. */
    private static final class Verdicts {
        final List<Reason> reasons = new ArrayList<>();
        final List<String> alertIds = new ArrayList<>();
    }

    private void consider(Optional<PatternFinding> finding, Subject subject, Trigger trigger, long at, int offset,
            ReadOnlyContext ctx, Verdicts verdicts) throws Exception {
        if (finding.isEmpty()) {
            return;
        }
        PatternFinding f = finding.get();
        SubjectAlerts.Offer offer = alerts.offer(f, subject, trigger, at, offset, rules());
        offer.fired().ifPresent(alert -> ctx.output(ALERTS, alert));
        if (verdicts != null) {
            verdicts.reasons.add(new Reason(f.pattern(), f.severity(), rules().verdict().weightOf(f.pattern(), f.severity())));
            verdicts.alertIds.add(offer.coveringAlertId());
        }
    }

    private static Trigger triggerOf(RefundEvent event) {
        return new Trigger(event.platform(), event.requestId(), event.eventId());
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

    private java.util.Map<String, RequestRecord> historyByKey() throws Exception {
        java.util.Map<String, RequestRecord> byKey = new java.util.HashMap<>();
        for (var entry : requestsByKey.entries()) {
            byKey.put(entry.getKey(), entry.getValue());
        }
        return byKey;
    }

    private List<RequestRecord> history() throws Exception {
        List<RequestRecord> history = new ArrayList<>();
        for (RequestRecord record : requestsByKey.values()) {
            history.add(record);
        }
        return history;
    }

    /** PIPL erasure: everything this operator keeps about the person goes, timers included. */
    private void erase(ReadOnlyContext ctx) throws Exception {
        for (RequestRecord record : requestsByKey.values()) {
            deleteOwnTimer(cleanupTimeOf(record), ctx.timerService());
        }
        requestsByKey.clear();
        alerts.clear();
    }

    @Override
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<Assessment> out) throws Exception {
        if (Retention.expire(requestsByKey, timestamp, this::cleanupTimeOf)) {
            alerts.clear();
        }
    }

    private long cleanupTimeOf(RequestRecord record) {
        Duration retention = rules().repeatRefunder().window().compareTo(rules().amountTier().window()) >= 0
                ? rules().repeatRefunder().window()
                : rules().amountTier().window();
        return Retention.cleanupTime(record.occurredAt(), retention);
    }

    /** For tests: whether anything about the current key remains. */
    boolean holdsState() throws Exception {
        return !requestsByKey.isEmpty() || !alerts.isEmpty() || hasPending();
    }
}
