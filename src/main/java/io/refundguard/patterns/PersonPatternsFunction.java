package io.refundguard.patterns;

import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.Severity;
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

/**
 * One person's cross-platform refund history and the patterns that read it: REPEAT_REFUNDER,
 * AMOUNT_TIER, and the image patterns about one person's evidence (AI_GENERATED_EVIDENCE,
 * CATALOG_IMAGE_MATCH, IMAGE_REUSE by the same person). Keyed by person key; sees the person's
 * events in event-time order. A request with any image signal is suspect, and its amount counts
 * toward AMOUNT_TIER. A decision, an outcome or a listing photo published later can raise an alert
 * too, but adds nothing to a verdict: only requests are assessed.
 */
public final class PersonPatternsFunction extends AssessingFunction<PersonEvent> {
    private static final long serialVersionUID = 1L;

    private final Duration historyTtl;
    private final int qualityFloor;
    private transient MapState<String, RequestRecord> requestsByKey;

    /** @param qualityFloor the PDQ quality below which the image indexes do not match a photo */
    public PersonPatternsFunction(RuleSet rules, Duration historyTtl, int qualityFloor, StateTtl stateTtl) {
        super(Assessor.PERSON, TypeInformation.of(PersonEvent.class), rules, stateTtl);
        this.historyTtl = historyTtl;
        this.qualityFloor = qualityFloor;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        MapStateDescriptor<String, RequestRecord> requests = new MapStateDescriptor<>(
                "refund-requests-by-key", Types.STRING, TypeInformation.of(RequestRecord.class));
        requestsByKey = getRuntimeContext().getMapState(stateTtl().expiredByOwner(historyTtl, requests));
        declareAlerts(historyTtl, PatternCode.REPEAT_REFUNDER, PatternCode.AMOUNT_TIER, PatternCode.AI_GENERATED_EVIDENCE,
                PatternCode.CATALOG_IMAGE_MATCH, PatternCode.IMAGE_REUSE);
    }

    @Override
    protected PersonEvent personEventOf(PersonEvent element) {
        return element;
    }

    @Override
    protected void retract(PersonEvent element, ReadOnlyContext ctx) {
        // The IDENTITY_ERASED itself cleared this operator; retractions are for the others.
    }

    @Override
    protected void onOtherEvent(PersonEvent element, ReadOnlyContext ctx) throws Exception {
        if (element.lateCatalogMatch() != null) {
            onLateCatalogMatch(element.lateCatalogMatch(), ctx);
            return;
        }
        RefundEvent event = element.event();
        switch (event.type()) {
            case REFUND_DECIDED -> update(event.requestKey(), r -> r.decided(event.decision(), event.amount(), event.currency()));
            case REFUND_OUTCOME -> {
                if (update(event.requestKey(), r -> r.withOutcome(event.verdict()))) {
                    // Confirmed fraud can lift the person into a higher tier after the fact.
                    alert(AmountTier.evaluate(rules().amountTier(), history(), event.occurredAt()), Trigger.of(event),
                            event.occurredAt(), event.utcOffsetSeconds(), ctx);
                }
            }
            case IDENTITY_ERASED -> erase(ctx);
            default -> {
                // Requests are assessed, never handled here.
            }
        }
    }

    @Override
    protected void assess(PersonEvent element, Assessing assessment, ReadOnlyContext ctx) throws Exception {
        RefundEvent request = element.event();
        List<PatternFinding> imageFindings = imageFindings(element);
        boolean imageSignal = !imageFindings.isEmpty()
                || (element.findings() != null && ImageReuse.sharesWithOthers(element.findings(), element.personKey()));
        RequestRecord record = RequestRecord.of(request, imageSignal);
        requestsByKey.put(request.requestKey(), record);
        ctx.timerService().registerEventTimeTimer(cleanupTimeOf(record));

        List<RequestRecord> history = history();
        long at = request.occurredAt();
        if (request.isRefundOnly()) {
            assessment.found(RepeatRefunder.evaluate(rules().repeatRefunder(), rules().amountTier(), history, at));
        }
        assessment.found(AmountTier.evaluate(rules().amountTier(), history, at));
        for (PatternFinding finding : imageFindings) {
            assessment.found(finding);
        }
        if (history.stream().anyMatch(r -> r.outcome() == OutcomeVerdict.FRAUD)) {
            assessment.reason(PatternCode.CONFIRMED_FRAUD_HISTORY, Severity.HIGH);
        }
        if (request.evidence().stream().anyMatch(e -> e.fetchError() != null)) {
            assessment.reason(PatternCode.EVIDENCE_UNREADABLE, Severity.MEDIUM);
        }
        if (request.evidence().stream().anyMatch(e -> e.pdq() != null && e.pdqQuality() < qualityFloor)) {
            assessment.reason(PatternCode.EVIDENCE_LOW_QUALITY, Severity.LOW);
        }
    }

    /** The image patterns that look at one person's request: AI marks, listing photos, self-reuse. */
    private List<PatternFinding> imageFindings(PersonEvent element) throws Exception {
        RefundEvent request = element.event();
        RequestRecord record = RequestRecord.of(request, true);
        List<PatternFinding> found = new ArrayList<>();
        AiGeneratedEvidence.evaluate(rules().aiGenerated(), request.evidence(), record).ifPresent(found::add);
        if (element.findings() != null) {
            CatalogImageMatch.evaluate(rules().catalogMatch(), element.findings(), record,
                    request.merchantIdentityHash()).ifPresent(found::add);
            ImageReuse.selfReuse(rules().imageReuse(), rules().amountTier(), element.findings(), element.personKey(),
                    historyByKey(), record).ifPresent(found::add);
        }
        found.replaceAll(finding -> EvidenceLinks.added(finding, request.evidence()));
        return found;
    }

    private void onLateCatalogMatch(LateCatalogMatch late, ReadOnlyContext ctx) throws Exception {
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
        alert(finding, trigger, at, record.utcOffsetSeconds(), ctx);
        alert(AmountTier.evaluate(rules().amountTier(), history(), Math.max(at, record.occurredAt())), trigger, at,
                record.utcOffsetSeconds(), ctx);
    }

    /** Alerts on a finding that joins no assessment: the request it is about has its verdict already. */
    private void alert(Optional<PatternFinding> finding, Trigger trigger, long at, int utcOffsetSeconds,
            ReadOnlyContext ctx) throws Exception {
        if (finding.isPresent()) {
            alert(finding.get(), trigger, at, utcOffsetSeconds, ctx);
        }
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
        alerts().clear();
    }

    @Override
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<Assessment> out) throws Exception {
        if (Retention.expire(requestsByKey, timestamp, this::cleanupTimeOf)) {
            alerts().clear();
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
        return !requestsByKey.isEmpty() || !alerts().isEmpty() || hasPending();
    }
}
