package io.refundguard.patterns;

import io.refundguard.alerts.Alert;
import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.Reason;
import io.refundguard.alerts.Severity;
import io.refundguard.alerts.Subject;
import io.refundguard.alerts.SubjectAlerts;
import io.refundguard.alerts.Trigger;
import io.refundguard.events.EventType;
import io.refundguard.events.RefundEvent;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The shape of every pattern operator that assesses requests, one per {@link Assessor}, keyed by
 * the keys it declares. It sends exactly one {@link Assessment} for each request element it
 * receives, whether a pattern holds or not, because the verdict counts them ({@link
 * AssessmentPlan}). Each finding is offered to the subject's alert gate; an alert that fires
 * leaves on {@link #ALERTS}, and the assessment names the alert covering the finding, fired now or
 * earlier. Retractions and the person's other events are never assessed.
 */
public abstract class AssessingFunction<I> extends RuledEventTimeOrderedFunction<String, I, Assessment> {
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("pattern-alerts", TypeInformation.of(Alert.class)) {};
    private static final long serialVersionUID = 1L;

    private final Assessor assessor;
    private final StateTtl stateTtl;
    private transient SubjectAlerts alerts;

    protected AssessingFunction(Assessor assessor, TypeInformation<I> inputType, RuleSet startRules, StateTtl stateTtl) {
        super(inputType, startRules);
        this.assessor = assessor;
        this.stateTtl = stateTtl;
    }

    /** The person event an element carries: a request, a retraction, or another of the person's events. */
    protected abstract PersonEvent personEventOf(I element);

    /** Decides a request at its time: each pattern that holds goes into {@code assessment}. */
    protected abstract void assess(I element, Assessing assessment, ReadOnlyContext ctx) throws Exception;

    /** An erased person's request leaves what this operator keeps about it. */
    protected abstract void retract(I element, ReadOnlyContext ctx) throws Exception;

    /** The person's other events (decisions, outcomes, late listing matches, erasures): ignored unless overridden. */
    protected void onOtherEvent(I element, ReadOnlyContext ctx) throws Exception {}

    /**
     * Declares the alert gate of the subject this operator is keyed by (its state, with TTL, and
     * the metrics of {@code patterns}); call from {@code open()}.
     */
    protected final void declareAlerts(Duration ttl, PatternCode... patterns) {
        alerts = SubjectAlerts.declare(getRuntimeContext(), stateTtl, ttl, patterns);
    }

    /** Whether this job's keyed state has a processing-time TTL; declare state through it. */
    protected final StateTtl stateTtl() {
        return stateTtl;
    }

    protected final SubjectAlerts alerts() {
        return alerts;
    }

    @Override
    protected final long timestampOf(I element) {
        return personEventOf(element).timestamp();
    }

    @Override
    protected final String tieBreakerOf(I element) {
        // A person event reaches each of its keys once, so the tie-breaker is unique under the key.
        return personEventOf(element).tieBreaker();
    }

    @Override
    protected final void processInOrder(I element, ReadOnlyContext ctx, Collector<Assessment> out) throws Exception {
        PersonEvent event = personEventOf(element);
        if (event.isRetraction()) {
            retract(element, ctx);
        } else if (isRequest(event)) {
            Assessing assessment = new Assessing(event.event(), ctx);
            assess(element, assessment, ctx);
            out.collect(assessment.of(event));
        } else {
            onOtherEvent(element, ctx);
        }
    }

    private static boolean isRequest(PersonEvent event) {
        return event.event() != null && event.event().type() == EventType.REFUND_REQUESTED;
    }

    /**
     * Offers a finding about the current key's subject to its alert gate; an alert that fires
     * leaves on {@link #ALERTS}. Returns the id of the alert covering the finding: this one, or
     * the earlier one that suppressed it.
     */
    protected final String alert(PatternFinding finding, Trigger trigger, long eventTime, int utcOffsetSeconds,
            ReadOnlyContext ctx) throws Exception {
        Subject subject = new Subject(assessor.subjectKind(), subjectKeyOf(ctx.getCurrentKey()));
        SubjectAlerts.Offer offer = alerts.offer(finding, subject, trigger, eventTime, utcOffsetSeconds, rules());
        offer.fired().ifPresent(alert -> ctx.output(ALERTS, alert));
        return offer.coveringAlertId();
    }

    /** The key an alert names as its subject for the current key: the key itself unless it must not be shown. */
    protected String subjectKeyOf(String currentKey) {
        return currentKey;
    }

    /** The one assessment of the request being decided: its reasons, and the alerts covering them. */
    protected final class Assessing {
        private final RefundEvent request;
        private final ReadOnlyContext ctx;
        private final List<Reason> reasons = new ArrayList<>();
        private final List<String> alertIds = new ArrayList<>();

        private Assessing(RefundEvent request, ReadOnlyContext ctx) {
            this.request = request;
            this.ctx = ctx;
        }

        /** A pattern holds for the request: it alerts, and its reason counts with the alert covering it. */
        public void found(PatternFinding finding) throws Exception {
            alertIds.add(alert(finding, Trigger.of(request), request.occurredAt(), request.utcOffsetSeconds(), ctx));
            reasons.add(reasonFor(finding.pattern(), finding.severity()));
        }

        public void found(Optional<PatternFinding> finding) throws Exception {
            if (finding.isPresent()) {
                found(finding.get());
            }
        }

        /** A reason with no alert of its own. */
        public void reason(PatternCode pattern, Severity severity) {
            reasons.add(reasonFor(pattern, severity));
        }

        private Reason reasonFor(PatternCode pattern, Severity severity) {
            return new Reason(pattern, severity, rules().verdict().weightOf(pattern, severity));
        }

        private Assessment of(PersonEvent event) {
            return new Assessment(request.platform(), request.requestId(), AssessmentPlan.expectedFor(event), reasons,
                    alertIds, rules().version(), request.occurredAt(), request.utcOffsetSeconds());
        }
    }
}
