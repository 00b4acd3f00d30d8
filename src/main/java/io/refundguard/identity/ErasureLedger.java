package io.refundguard.identity;

import io.refundguard.events.EventType;
import io.refundguard.events.Evidence;
import io.refundguard.events.RefundEvent;
import io.refundguard.eventtime.Retention;
import io.refundguard.eventtime.StateTtl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Remembers, per person, the requests whose traces other operators keep under other keys (the
 * request, its photos' slot keys and digest, its link attributes, its merchant), so that an
 * IDENTITY_ERASED can reach every one of them: once event time passes the erasure, each request
 * filed before it goes downstream again as a {@link Retraction}, along the same fan-outs.
 *
 * <p>Why a ledger rather than a broadcast erasure that scans state: the index alone holds a
 * billion photo entries; scanning it for each erasure would cost hours, this costs one keyed
 * delete per place the request reached. Keyed by person key; requests pass through at once, so it
 * adds no latency. The erasure waits for the watermark, so a request filed just before it on
 * another partition is still caught, and the result does not depend on arrival order.
 *
 * <p>Only the fields the fan-outs route by are kept (no provenance, no fetch errors), for as long as
 * the longest-lived trace ({@code RefundGuardConfig#requestTraceLifetime()}), in event time.
 */
public final class ErasureLedger extends KeyedProcessFunction<String, PersonEvent, PersonEvent> {
    private static final long serialVersionUID = 1L;

    private final Duration lifetime;
    private final StateTtl stateTtl;
    private transient MapState<String, RefundEvent> routesByRequest;
    private transient ListState<Long> erasuresDue;

    public ErasureLedger(Duration lifetime, StateTtl stateTtl) {
        this.lifetime = lifetime;
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<String, RefundEvent> routes = new MapStateDescriptor<>(
                "request-routes-by-request", Types.STRING, TypeInformation.of(RefundEvent.class));
        // Expired here in event time (a day-aligned timer per person and day); the TTL is the
        // backstop for a stalled watermark.
        routesByRequest = getRuntimeContext().getMapState(stateTtl.expiredByOwner(lifetime.plus(Duration.ofDays(1)), routes));
        erasuresDue = getRuntimeContext().getListState(
                stateTtl.sweptAfter(lifetime, new ListStateDescriptor<>("erasures-due", Types.LONG)));
    }

    @Override
    public void processElement(PersonEvent element, Context ctx, Collector<PersonEvent> out) throws Exception {
        RefundEvent event = element.event();
        if (event != null && event.type() == EventType.REFUND_REQUESTED) {
            routesByRequest.put(event.requestKey(), routesOf(event));
            ctx.timerService().registerEventTimeTimer(cleanupTimeOf(event));
        } else if (event != null && event.type() == EventType.IDENTITY_ERASED) {
            erasuresDue.add(event.occurredAt());
            ctx.timerService().registerEventTimeTimer(event.occurredAt());
        }
        out.collect(element);
    }

    /**
     * An erasure's time has passed: retract every request the person filed up to then. Then, at
     * a cleanup time, forget requests whose traces have all expired.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PersonEvent> out) throws Exception {
        List<Long> pending = new ArrayList<>();
        boolean erasedNow = false;
        for (Long erasedAt : erasuresDue.get()) {
            if (erasedAt <= timestamp) {
                erasedNow = true;
            } else {
                pending.add(erasedAt);
            }
        }
        List<String> done = new ArrayList<>();
        Set<Long> retractedCleanups = new HashSet<>();
        Set<Long> remainingCleanups = new HashSet<>();
        for (Map.Entry<String, RefundEvent> entry : routesByRequest.entries()) {
            RefundEvent request = entry.getValue();
            if (erasedNow && request.occurredAt() <= timestamp) {
                out.collect(PersonEvent.retracting(ctx.getCurrentKey(), request, timestamp));
                done.add(entry.getKey());
                retractedCleanups.add(cleanupTimeOf(request));
            } else if (cleanupTimeOf(request) <= timestamp) {
                done.add(entry.getKey());
            } else {
                remainingCleanups.add(cleanupTimeOf(request));
            }
        }
        for (String requestKey : done) {
            routesByRequest.remove(requestKey);
        }
        // Nothing of a retracted request may linger, not even a timer under the person's key.
        retractedCleanups.removeAll(remainingCleanups);
        retractedCleanups.removeAll(pending);
        for (long cleanup : retractedCleanups) {
            ctx.timerService().deleteEventTimeTimer(cleanup);
        }
        if (erasedNow) {
            erasuresDue.update(pending);
        }
    }

    private long cleanupTimeOf(RefundEvent request) {
        return Retention.cleanupTime(request.occurredAt(), lifetime);
    }

    /** The request without what no fan-out routes by: provenance and the detector's fetch notes. */
    static RefundEvent routesOf(RefundEvent request) {
        if (request.evidence() == null) {
            return request;
        }
        List<Evidence> evidence = new ArrayList<>(request.evidence().size());
        for (Evidence item : request.evidence()) {
            evidence.add(new Evidence(item.imageId(), item.sha256(), null, item.pdq(), item.pdqQuality(), null, null));
        }
        return request.withEvidence(evidence);
    }

    /** For tests: whether anything about the current key remains. */
    boolean holdsState() throws Exception {
        return !routesByRequest.isEmpty() || erasuresDue.get().iterator().hasNext();
    }
}
