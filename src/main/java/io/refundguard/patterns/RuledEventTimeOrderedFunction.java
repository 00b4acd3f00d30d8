package io.refundguard.patterns;

import io.refundguard.eventtime.EventTimeBuffer;
import io.refundguard.eventtime.EventTimeOrderedFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * An {@link EventTimeOrderedFunction} that decides with live rules: its second input is the
 * broadcast stream of rule-set updates from {@code detector-control}, and each element (and each
 * timer) is handled with the rule set in effect at its event time ({@link RuleBook}).
 *
 * <p>The broadcast input's watermark holds this operator's watermark back like any input, so an
 * element is released only once every update effective at or before its time has arrived: a
 * replay decides the same way at any parallelism. A quiet control topic goes idle and stops
 * holding anything back.
 */
public abstract class RuledEventTimeOrderedFunction<K, I, O> extends KeyedBroadcastProcessFunction<K, I, RuleSetUpdate, O> {
    private static final long serialVersionUID = 1L;

    private final TypeInformation<I> inputType;
    private final RuleBook ruleBook;
    private transient EventTimeBuffer<I> buffer;
    private transient RuleSet current;

    protected RuledEventTimeOrderedFunction(TypeInformation<I> inputType, RuleSet startRules) {
        this.inputType = inputType;
        this.ruleBook = new RuleBook(startRules);
    }

    /** Event time of an element, epoch millis. */
    protected abstract long timestampOf(I element);

    /** Orders elements with equal timestamps; must be unique per element of one key. */
    protected abstract String tieBreakerOf(I element);

    /**
     * Called once per element, in (timestamp, tie-breaker) order for the current key, with
     * {@link #rules()} set to the rule set in effect at the element's time.
     */
    protected abstract void processInOrder(I element, ReadOnlyContext ctx, Collector<O> out) throws Exception;

    /**
     * Called at every event-time timer of the current key, after the elements due then, with
     * {@link #rules()} in effect at {@code timestamp}. As in {@link EventTimeOrderedFunction}, this
     * also runs at buffering timers; act only at your own times.
     */
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {}

    /** The rule set deciding the element or timer being handled. */
    protected final RuleSet rules() {
        return current;
    }

    /**
     * The rules the job started with. State TTLs are fixed when the operator opens, so they are
     * sized from these; live updates may not lengthen the windows they bound ({@code RuleSetLimits}).
     */
    protected final RuleSet startRules() {
        return ruleBook.initial();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        buffer = new EventTimeBuffer<>(getRuntimeContext(), inputType, this::tieBreakerOf);
    }

    @Override
    public final void processElement(I element, ReadOnlyContext ctx, Collector<O> out) throws Exception {
        long timestamp = timestampOf(element);
        if (buffer.holdUnlessDue(element, timestamp, ctx.timerService())) {
            handle(element, timestamp, ctx, out);
        }
    }

    @Override
    public final void processBroadcastElement(RuleSetUpdate update, Context ctx, Collector<O> out) throws Exception {
        ruleBook.apply(update, ctx.getBroadcastState(RuleBook.UPDATES));
    }

    @Override
    public final void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
        for (I element : buffer.release(timestamp, ctx.timerService())) {
            handle(element, timestampOf(element), ctx, out);
        }
        current = ruleBook.at(timestamp, ctx.getBroadcastState(RuleBook.UPDATES));
        onOwnTimer(timestamp, ctx, out);
    }

    private void handle(I element, long timestamp, ReadOnlyContext ctx, Collector<O> out) throws Exception {
        current = ruleBook.at(timestamp, ctx.getBroadcastState(RuleBook.UPDATES));
        processInOrder(element, ctx, out);
    }

    long eventTimeLagMillis(long now) {
        return buffer.eventTimeLagMillis(now);
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
