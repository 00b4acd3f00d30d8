package io.refundguard.patterns;

import io.refundguard.alerts.Alert;
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
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * SHARED_ATTRIBUTE_RING over one link attribute: keyed by {@link AttributedRequest#attributeKey()},
 * it keeps the refund-only requests made through the attribute within the window and raises one
 * alert per ring (subject ATTRIBUTE, key {@code kind:hash}) that re-fires as persons join. Emits
 * exactly one {@link Assessment} per element, with the ring's reason when the ring holds at the
 * element's time (the element is then one of its requests). A retraction (the person was erased)
 * removes its request from the ring and is not assessed.
 */
public final class SharedAttributeRingFunction extends RuledEventTimeOrderedFunction<String, AttributedRequest, Assessment> {
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("attribute-ring-alerts", TypeInformation.of(Alert.class)) {};
    private static final long serialVersionUID = 1L;

    private transient MapState<String, PersonRequest> membersByRequest;
    private transient SubjectAlerts alerts;

    public SharedAttributeRingFunction(RuleSet rules) {
        super(TypeInformation.of(AttributedRequest.class), rules);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        // Event-time timers drop requests after the window; the processing-time TTL only bounds
        // attributes whose timers never fire (a stalled watermark). It must outlive the alert
        // mark's cooldown, or a ring would re-alert early.
        Duration ttl = max(startRules().sharedAttributeRing().window(), startRules().alerts().cooldown()).plus(Duration.ofDays(2));
        MapStateDescriptor<String, PersonRequest> members = new MapStateDescriptor<>(
                "ring-members-by-request", Types.STRING, TypeInformation.of(PersonRequest.class));
        members.enableTimeToLive(StateTtl.expiredByOwner(ttl));
        membersByRequest = getRuntimeContext().getMapState(members);
        alerts = SubjectAlerts.declare(getRuntimeContext(), ttl, PatternCode.SHARED_ATTRIBUTE_RING);
    }

    @Override
    protected long timestampOf(AttributedRequest element) {
        return element.request().timestamp();
    }

    @Override
    protected String tieBreakerOf(AttributedRequest element) {
        // One request reaches one attribute once, so its event id is unique under this key.
        return element.request().tieBreaker();
    }

    @Override
    protected void processInOrder(AttributedRequest element, ReadOnlyContext ctx, Collector<Assessment> out) throws Exception {
        PersonEvent person = element.request();
        if (person.isRetraction()) {
            PersonRequest member = membersByRequest.get(person.retraction().requestKey());
            if (member != null && Retention.retract(membersByRequest, person.retraction().requestKey())) {
                // The attribute was only theirs, or the ring has gone: nothing of it may stay.
                alerts.clear();
                deleteOwnTimer(cleanupTimeOf(member.request()), ctx.timerService());
            }
            return;
        }
        RefundEvent request = person.event();
        List<Reason> reasons = new ArrayList<>();
        List<String> alertIds = new ArrayList<>();
        // The fan-out sends every attribute of a refund-only request, so that how many assessments a
        // request gets does not depend on rules that can change in flight; an attribute kind the
        // rules in effect leave out is assessed but never counted.
        SharedAttributeRingRule ring = rules().sharedAttributeRing();
        if (request.isRefundOnly() && ring.attributes().contains(AttributeKey.kindOf(element.attributeKey()))) {
            RequestRecord record = RequestRecord.of(request, false);
            membersByRequest.put(request.requestKey(), new PersonRequest(person.personKey(), record));
            ctx.timerService().registerEventTimeTimer(cleanupTimeOf(record));
            Optional<PatternFinding> finding = SharedAttributeRing.evaluate(ring, rules().amountTier(),
                    element.attributeKey(), membersByRequest.values(), request.occurredAt());
            if (finding.isPresent()) {
                PatternFinding f = finding.get();
                SubjectAlerts.Offer offer = alerts.offer(f, new Subject(SubjectKind.ATTRIBUTE, element.attributeKey()),
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
        if (Retention.expire(membersByRequest, timestamp, member -> cleanupTimeOf(member.request()))) {
            // No ring left to escalate: the next one is a new case and alerts afresh.
            alerts.clear();
        }
    }

    private long cleanupTimeOf(RequestRecord record) {
        return Retention.cleanupTime(record.occurredAt(), rules().sharedAttributeRing().window());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
