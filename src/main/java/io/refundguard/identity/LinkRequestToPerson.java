package io.refundguard.identity;

import io.refundguard.events.DeadLetter;
import io.refundguard.events.EventType;
import io.refundguard.events.RefundEvent;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.settings.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Routes every event to the person it concerns. Decisions and outcomes carry only the request id,
 * so this remembers, per request, whose it is; a decision that overtakes its request waits here.
 * One that waits longer than the orphan timeout (event time) is dead-lettered, never dropped.
 *
 * <p>Input 1 comes from the {@link ErasureLedger}: requests and erasures, whose person the event
 * names, and retractions, which drop the request's link. Input 2 is decisions and outcomes. Keyed
 * by {@link #routingKey}: the request key for request-scoped events, the person key for erasures.
 */
public final class LinkRequestToPerson extends KeyedCoProcessFunction<String, PersonEvent, RefundEvent, PersonEvent> {
    public static final OutputTag<DeadLetter> ORPHANS =
            new OutputTag<>("orphaned-events", TypeInformation.of(DeadLetter.class)) {};
    private static final long serialVersionUID = 1L;

    private final Duration linkTtl;
    private final Duration orphanTimeout;
    private final int maxWaiting;
    private final StateTtl stateTtl;
    private transient ValueState<String> personOfRequest;
    private transient ListState<Waiting> waitingForRequest;

    /**
     * A follow-up waiting for its request, with the event time at which it gives up: its own time
     * plus the timeout, or, when it arrived already behind the watermark (a backlog, or an idle
     * detector whose event time followed the wall clock), the watermark then plus the timeout. A
     * late decision would otherwise be dead-lettered before the request that is milliseconds behind
     * it on another channel.
     */
    public record Waiting(RefundEvent event, long deadline) {}

    public LinkRequestToPerson(Duration linkTtl, Duration orphanTimeout, StateTtl stateTtl) {
        this(linkTtl, orphanTimeout, Integer.MAX_VALUE, stateTtl);
    }

    /**
     * @param maxWaiting follow-ups waiting for one request at most ({@code state.maxWaitingPerRequest});
     *     every timer reads and rewrites the whole list, so an unbounded one costs O(n²) for n
     *     follow-ups of a request that never comes; beyond it a follow-up is dead-lettered at once,
     *     on {@link #ORPHANS}
     */
    public LinkRequestToPerson(Duration linkTtl, Duration orphanTimeout, int maxWaiting, StateTtl stateTtl) {
        this.linkTtl = linkTtl;
        this.orphanTimeout = orphanTimeout;
        this.maxWaiting = maxWaiting;
        this.stateTtl = stateTtl;
    }

    /** Decisions and outcomes go to input 2; everything else names its person and goes to the ledger first. */
    public static boolean namesItsPerson(RefundEvent event) {
        return PersonKeys.named(event) != null;
    }

    public static String routingKey(PersonEvent element) {
        RefundEvent event = element.event();
        return event != null && event.type() == EventType.IDENTITY_ERASED && !element.isRetraction()
                ? "person:" + element.personKey()
                : "request:" + (element.isRetraction() ? element.retraction().requestKey() : event.requestKey());
    }

    public static String routingKey(RefundEvent followUp) {
        return "request:" + followUp.requestKey();
    }

    @Override
    public void open(OpenContext openContext) {
        personOfRequest = getRuntimeContext().getState(
                stateTtl.sweptAfter(linkTtl, new ValueStateDescriptor<>("person-of-request", Types.STRING)));
        waitingForRequest = getRuntimeContext().getListState(stateTtl.sweptAfter(orphanTimeout.multipliedBy(2),
                new ListStateDescriptor<>("events-waiting-for-their-request", TypeInformation.of(Waiting.class))));
    }

    @Override
    public void processElement1(PersonEvent element, Context ctx, Collector<PersonEvent> out) throws Exception {
        if (element.isRetraction()) {
            // The person was erased: decisions about this request no longer find them.
            personOfRequest.clear();
            waitingForRequest.clear();
            out.collect(element);
            return;
        }
        if (element.event().type() == EventType.REFUND_REQUESTED) {
            personOfRequest.update(element.personKey());
            out.collect(element);
            for (Waiting waiting : waitingForRequest.get()) {
                out.collect(new PersonEvent(element.personKey(), waiting.event()));
            }
            waitingForRequest.clear();
            return;
        }
        out.collect(element);
    }

    @Override
    public void processElement2(RefundEvent event, Context ctx, Collector<PersonEvent> out) throws Exception {
        String person = personOfRequest.value();
        if (person != null) {
            out.collect(new PersonEvent(person, event));
        } else {
            if (waiting() >= maxWaiting) {
                ctx.output(ORPHANS, overCap(event));
                return;
            }
            long waitFrom = Math.max(event.occurredAt(), ctx.timerService().currentWatermark());
            long deadline = waitFrom + orphanTimeout.toMillis();
            waitingForRequest.add(new Waiting(event, deadline));
            ctx.timerService().registerEventTimeTimer(deadline);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PersonEvent> out) throws Exception {
        if (personOfRequest.value() != null) {
            return;
        }
        List<Waiting> stillWaiting = new ArrayList<>();
        for (Waiting waiting : waitingForRequest.get()) {
            if (waiting.deadline() <= timestamp) {
                ctx.output(ORPHANS, orphan(waiting.event()));
            } else {
                stillWaiting.add(waiting);
            }
        }
        waitingForRequest.update(stillWaiting);
    }

    /** Counted by reading the list: the cap keeps that short, and a separate count would be more state to keep in step. */
    private int waiting() throws Exception {
        int waiting = 0;
        for (Waiting ignored : waitingForRequest.get()) {
            waiting++;
        }
        return waiting;
    }

    private DeadLetter overCap(RefundEvent event) {
        String reason = event.type() + " for " + event.requestKey() + ": " + maxWaiting + " events already wait for this"
                + " request (state.maxWaitingPerRequest), far more than one request ever gets";
        return DeadLetter.ofText("(linked)", event.occurredAt(), event.requestKey(),
                io.refundguard.events.EventEncoder.toJson(event), reason, System.currentTimeMillis());
    }

    private DeadLetter orphan(RefundEvent event) {
        String reason = event.type() + " for " + event.requestKey() + ": no REFUND_REQUESTED for this request within "
                + Durations.format(orphanTimeout) + " of event time (state.orphanTimeout)";
        return DeadLetter.ofText("(linked)", event.occurredAt(), event.requestKey(),
                io.refundguard.events.EventEncoder.toJson(event), reason, System.currentTimeMillis());
    }
}
