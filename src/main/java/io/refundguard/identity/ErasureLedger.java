package io.refundguard.identity;

import io.refundguard.events.DeadLetter;
import io.refundguard.events.EventEncoder;
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
import org.apache.flink.util.OutputTag;

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
 *
 * <p>Every request of a person passes here first, so this is where a flooded person key stops:
 * the patterns downstream read a person's whole history for each request, so n requests under one
 * key cost O(n²). Beyond {@code maxRequests} held, a request leaves on {@link #OVER_CAP} as a dead
 * letter instead.
 */
public final class ErasureLedger extends KeyedProcessFunction<String, PersonEvent, PersonEvent> {
    public static final OutputTag<DeadLetter> OVER_CAP =
            new OutputTag<>("requests-over-the-person-cap", TypeInformation.of(DeadLetter.class)) {};
    private static final long serialVersionUID = 1L;

    private final Duration lifetime;
    private final int maxRequests;
    private final StateTtl stateTtl;
    private transient MapState<String, RefundEvent> routesByRequest;
    private transient ListState<Long> erasuresDue;

    public ErasureLedger(Duration lifetime, StateTtl stateTtl) {
        this(lifetime, Integer.MAX_VALUE, stateTtl);
    }

    /** @param maxRequests requests held per person at most ({@code state.maxRequestsPerPerson}) */
    public ErasureLedger(Duration lifetime, int maxRequests, StateTtl stateTtl) {
        this.lifetime = lifetime;
        this.maxRequests = maxRequests;
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
            if (!routesByRequest.contains(event.requestKey()) && holdsAtLeast(maxRequests)) {
                ctx.output(OVER_CAP, overCap(event));
                return;
            }
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

    /**
     * Counted by walking the keys, stopping at {@code n}: the person's patterns read every request
     * anyway, and a separate count would be more state to keep in step with expiry and erasure.
     */
    private boolean holdsAtLeast(int n) throws Exception {
        int held = 0;
        for (String ignored : routesByRequest.keys()) {
            if (++held >= n) {
                return true;
            }
        }
        return false;
    }

    private DeadLetter overCap(RefundEvent request) {
        String reason = "REFUND_REQUESTED " + request.requestKey() + ": its person already has " + maxRequests
                + " requests on record (state.maxRequestsPerPerson), far more than any buyer files; a flooded person key"
                + " would cost every later request of it a read of them all";
        return DeadLetter.ofText("(linked)", request.occurredAt(), request.requestKey(), EventEncoder.toJson(request),
                reason, System.currentTimeMillis());
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
