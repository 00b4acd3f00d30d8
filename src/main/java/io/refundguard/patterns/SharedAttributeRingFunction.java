package io.refundguard.patterns;

import io.refundguard.alerts.Assessment;
import io.refundguard.events.RefundEvent;
import io.refundguard.eventtime.Retention;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * SHARED_ATTRIBUTE_RING over one link attribute: keyed by {@link AttributedRequest#attributeKey()},
 * it keeps the refund-only requests made through the attribute within the window and raises one
 * alert per ring (subject ATTRIBUTE, key {@code kind:hash}) that re-fires as persons join. A
 * request's assessment carries the ring's reason when the ring holds at the request's time (the
 * request is then one of its members). A retraction (the person was erased) removes its request
 * from the ring.
 */
public final class SharedAttributeRingFunction extends AssessingFunction<AttributedRequest> {
    private static final long serialVersionUID = 1L;

    private transient MapState<String, PersonRequest> membersByRequest;

    public SharedAttributeRingFunction(RuleSet rules, StateTtl stateTtl) {
        super(Assessor.ATTRIBUTE_RING, TypeInformation.of(AttributedRequest.class), rules, stateTtl);
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
        membersByRequest = getRuntimeContext().getMapState(stateTtl().expiredByOwner(ttl, members));
        declareAlerts(ttl, PatternCode.SHARED_ATTRIBUTE_RING);
    }

    @Override
    protected PersonEvent personEventOf(AttributedRequest element) {
        return element.request();
    }

    @Override
    protected void retract(AttributedRequest element, ReadOnlyContext ctx) throws Exception {
        String requestKey = element.request().retraction().requestKey();
        PersonRequest member = membersByRequest.get(requestKey);
        if (member != null && Retention.retract(membersByRequest, requestKey)) {
            // The attribute was only theirs, or the ring has gone: nothing of it may stay.
            alerts().clear();
            deleteOwnTimer(cleanupTimeOf(member.request()), ctx.timerService());
        }
    }

    @Override
    protected void assess(AttributedRequest element, Assessing assessment, ReadOnlyContext ctx) throws Exception {
        PersonEvent person = element.request();
        RefundEvent request = person.event();
        SharedAttributeRingRule ring = rules().sharedAttributeRing();
        if (!request.isRefundOnly() || !ring.attributes().contains(AttributeKey.kindOf(element.attributeKey()))) {
            // Every attribute a refund-only request carries is assessed (Assessor); a kind the rules
            // in effect leave out joins no ring and adds no reason.
            return;
        }
        RequestRecord record = RequestRecord.of(request, false);
        membersByRequest.put(request.requestKey(), new PersonRequest(person.personKey(), record));
        ctx.timerService().registerEventTimeTimer(cleanupTimeOf(record));
        assessment.found(SharedAttributeRing.evaluate(ring, rules().amountTier(), element.attributeKey(),
                membersByRequest.values(), request.occurredAt()));
    }

    @Override
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<Assessment> out) throws Exception {
        if (Retention.expire(membersByRequest, timestamp, member -> cleanupTimeOf(member.request()))) {
            // No ring left to escalate: the next one is a new case and alerts afresh.
            alerts().clear();
        }
    }

    private long cleanupTimeOf(RequestRecord record) {
        return Retention.cleanupTime(record.occurredAt(), rules().sharedAttributeRing().window());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
