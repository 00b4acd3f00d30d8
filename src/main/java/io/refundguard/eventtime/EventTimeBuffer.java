package io.refundguard.eventtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * The keyed buffer behind the event-time ordered functions (this package's, and the pattern
 * operators' that also decide with live rules): holds each element until the watermark passes its
 * timestamp, then hands a timestamp's elements back sorted by a stable tie-breaker. See {@link
 * EventTimeOrderedFunction} for why.
 */
public final class EventTimeBuffer<I> {
    private final MapState<Long, List<I>> pendingByTimestamp;
    private final Comparator<I> tieBreaker;
    private volatile long lastWatermark = Long.MIN_VALUE;

    public EventTimeBuffer(RuntimeContext runtime, TypeInformation<I> type, Function<I, String> tieBreaker) {
        this.pendingByTimestamp = runtime.getMapState(
                new MapStateDescriptor<>("pending-by-event-time", Types.LONG, Types.LIST(type)));
        this.tieBreaker = Comparator.comparing(tieBreaker);
        runtime.getMetricGroup().gauge(EventTimeOrderedFunction.EVENT_TIME_LAG,
                () -> eventTimeLagMillis(System.currentTimeMillis()));
    }

    /**
     * Holds the element for its timestamp (setting a timer then) unless the watermark has already
     * passed it; returns whether it is due now. A late element is processed at once rather than
     * dropped.
     */
    public boolean holdUnlessDue(I element, long timestamp, TimerService timers) throws Exception {
        lastWatermark = timers.currentWatermark();
        if (timestamp <= lastWatermark) {
            return true;
        }
        List<I> pending = pendingByTimestamp.get(timestamp);
        if (pending == null) {
            pending = new ArrayList<>(1);
            timers.registerEventTimeTimer(timestamp);
        }
        pending.add(element);
        pendingByTimestamp.put(timestamp, pending);
        return false;
    }

    /** The elements held for {@code timestamp}, in tie-breaker order, removed from the buffer. */
    public List<I> release(long timestamp, TimerService timers) throws Exception {
        lastWatermark = timers.currentWatermark();
        List<I> due = pendingByTimestamp.get(timestamp);
        if (due == null) {
            return List.of();
        }
        pendingByTimestamp.remove(timestamp);
        due.sort(tieBreaker);
        return due;
    }

    /** Whether elements wait for {@code timestamp}, i.e. a timer then is also the buffer's. */
    public boolean holdsAt(long timestamp) throws Exception {
        return pendingByTimestamp.contains(timestamp);
    }

    public boolean isEmpty() throws Exception {
        return pendingByTimestamp.isEmpty();
    }

    /**
     * How far behind the wall clock this operator's event time is; -1 before the first watermark.
     * A growing lag means the input is backlogged (or a source is stuck), and verdicts wait.
     */
    public long eventTimeLagMillis(long now) {
        long watermark = lastWatermark;
        return watermark == Long.MIN_VALUE ? -1 : Math.max(0, now - watermark);
    }
}
