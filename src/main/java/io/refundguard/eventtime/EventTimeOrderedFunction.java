package io.refundguard.eventtime;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A keyed function that sees each key's elements in event-time order, ties broken by a stable
 * key, whatever order the network delivered them in.
 *
 * <p>Why: one key's elements reach a subtask over several channels (one per upstream subtask), so
 * their arrival order depends on parallelism and timing. Patterns that count or compare (a sliding
 * window, "first alert for this subject", "which request saw the image first") would then give
 * different answers at parallelism 1 and 4, and a replay would not reproduce a live run. Buffering
 * until the watermark passes an element's timestamp makes the result a function of the input only.
 *
 * <p>The price is latency of about the configured out-of-orderness, paid once: downstream
 * operators receive their input just before the watermark that releases it. An element already
 * behind the watermark (late) is processed at once rather than dropped.
 */
public abstract class EventTimeOrderedFunction<K, I, O> extends KeyedProcessFunction<K, I, O> {
    private static final long serialVersionUID = 1L;

    /** Metric: wall-clock time minus this operator's watermark, the age of the event time it has reached. */
    public static final String EVENT_TIME_LAG = "eventTimeLagMs";

    private final TypeInformation<I> inputType;
    private transient EventTimeBuffer<I> buffer;

    protected EventTimeOrderedFunction(TypeInformation<I> inputType) {
        this.inputType = inputType;
    }

    /** Event time of an element, epoch millis. */
    protected abstract long timestampOf(I element);

    /** Orders elements with equal timestamps; must be unique per element of one key. */
    protected abstract String tieBreakerOf(I element);

    /** Called once per element, in (timestamp, tie-breaker) order for the current key. */
    protected abstract void processInOrder(I element, Context ctx, Collector<O> out) throws Exception;

    /**
     * Called at every event-time timer of the current key, after the elements due at that time are
     * processed. Timers of one key and time are one timer, so the base cannot tell a subclass's own
     * timer from its buffering timer: this also runs at the times elements were buffered for, and a
     * subclass acts only when {@code timestamp} is one of its own times.
     */
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {}

    @Override
    public void open(OpenContext openContext) throws Exception {
        buffer = new EventTimeBuffer<>(getRuntimeContext(), inputType, this::tieBreakerOf);
    }

    long eventTimeLagMillis(long now) {
        return buffer.eventTimeLagMillis(now);
    }

    @Override
    public final void processElement(I element, Context ctx, Collector<O> out) throws Exception {
        if (buffer.holdUnlessDue(element, timestampOf(element), ctx.timerService())) {
            processInOrder(element, ctx, out);
        }
    }

    @Override
    public final void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
        for (I element : buffer.release(timestamp, ctx.timerService())) {
            processInOrder(element, ctx, out);
        }
        onOwnTimer(timestamp, ctx, out);
    }

    /**
     * Deletes an event-time timer the subclass set, unless elements wait for the same time: a key
     * has one timer per time, shared with the buffer, and deleting it would strand them.
     */
    protected final void deleteOwnTimer(long timestamp, TimerService timers) throws Exception {
        if (!buffer.holdsAt(timestamp)) {
            timers.deleteEventTimeTimer(timestamp);
        }
    }

    /** Whether elements are still waiting for the watermark (tests check nothing leaks). */
    protected boolean hasPending() throws Exception {
        return !buffer.isEmpty();
    }
}
