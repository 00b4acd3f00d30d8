package io.refundguard.patterns;

import io.refundguard.events.EventType;
import io.refundguard.events.RefundEvent;
import io.refundguard.eventtime.EventTimeOrderedFunction;
import io.refundguard.eventtime.Retention;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * Which shared-image cluster each of a person's requests joined, so that an erasure reaches the
 * {@link ImageClusterFunction}: the cluster key is derived from what the indexes found, which no
 * operator upstream of them knows. Keyed by person key, in event-time order; input is the requests
 * that went through the image indexes and the person's erasures; output is one retraction per
 * cluster membership when the person is erased.
 */
public final class ClusterMemberships extends EventTimeOrderedFunction<String, PersonEvent, PersonEvent> {
    private static final long serialVersionUID = 1L;

    private final Duration retention;
    private final StateTtl stateTtl;
    private transient MapState<String, Membership> clusterOfRequest;

    /** The cluster a request joined, and when (it leaves the cluster one retention later). */
    public record Membership(String clusterKey, long occurredAt) {}

    /** @param retention how long the cluster keeps a member ({@code images.retention}) */
    public ClusterMemberships(Duration retention, StateTtl stateTtl) {
        super(TypeInformation.of(PersonEvent.class));
        this.retention = retention;
        this.stateTtl = stateTtl;
    }

    /** What this operator reads: requests with image findings, and erasures. */
    public static boolean concerns(PersonEvent element) {
        RefundEvent event = element.event();
        if (element.isRetraction() || event == null) {
            return false;
        }
        return event.type() == EventType.IDENTITY_ERASED
                || (event.type() == EventType.REFUND_REQUESTED && element.findings() != null);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        MapStateDescriptor<String, Membership> clusters = new MapStateDescriptor<>(
                "cluster-of-request", Types.STRING, TypeInformation.of(Membership.class));
        // Expired in event time when the cluster drops the member; the TTL is the backstop.
        clusterOfRequest = getRuntimeContext().getMapState(stateTtl.expiredByOwner(retention.plus(Duration.ofDays(2)), clusters));
    }

    @Override
    protected long timestampOf(PersonEvent element) {
        return element.timestamp();
    }

    @Override
    protected String tieBreakerOf(PersonEvent element) {
        return element.tieBreaker();
    }

    @Override
    protected void processInOrder(PersonEvent element, Context ctx, Collector<PersonEvent> out) throws Exception {
        RefundEvent event = element.event();
        if (event.type() == EventType.REFUND_REQUESTED) {
            Membership membership = new Membership(ClusterKeys.of(element), event.occurredAt());
            clusterOfRequest.put(event.requestKey(), membership);
            ctx.timerService().registerEventTimeTimer(cleanupTimeOf(membership));
            return;
        }
        for (Map.Entry<String, Membership> membership : clusterOfRequest.entries()) {
            out.collect(PersonEvent.retractingFromCluster(
                    element.personKey(), membership.getKey(), membership.getValue().clusterKey(), event.occurredAt()));
            deleteOwnTimer(cleanupTimeOf(membership.getValue()), ctx.timerService());
        }
        clusterOfRequest.clear();
    }

    @Override
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<PersonEvent> out) throws Exception {
        Retention.expire(clusterOfRequest, timestamp, this::cleanupTimeOf);
    }

    /** When the cluster operator drops the member (same rule), and a retraction would find nothing. */
    private long cleanupTimeOf(Membership membership) {
        return Retention.cleanupTime(membership.occurredAt(), retention);
    }

    /** For tests: whether anything about the current key remains. */
    boolean holdsState() throws Exception {
        return !clusterOfRequest.isEmpty() || hasPending();
    }
}
