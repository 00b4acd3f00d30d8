package io.refundguard.patterns;

import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.Severity;
import io.refundguard.events.RefundEvent;
import io.refundguard.eventtime.Retention;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import io.refundguard.images.EvidenceMatch;
import io.refundguard.images.ImageOrigin;
import io.refundguard.images.ImageSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * IMAGE_REUSE between persons: one photo (or near copies of it) used as evidence by different
 * persons is coordinated fraud, however many platforms it spans. Keyed by the cluster's anchor,
 * the earliest evidence photo the request's photos matched (or its own first photo), so a ring's
 * requests gather under one key and raise one alert that escalates as persons join, instead of
 * one alert per pair.
 *
 * <p>Every request with indexed evidence comes here, matched or not, because the first use of a
 * photo only becomes part of a case when the second arrives. Near-duplicate matching is not
 * transitive: a photo matching only a later member anchors elsewhere; the details say how many
 * persons matched directly.
 *
 * <p>An erased person's requests leave the cluster through retractions from {@link
 * ClusterMemberships}, which remembers the cluster each request joined.
 */
public final class ImageClusterFunction extends AssessingFunction<PersonEvent> {
    private static final long serialVersionUID = 1L;

    private final ImageSettings images;
    private transient MapState<String, ClusterMember> membersByRequest;

    public ImageClusterFunction(RuleSet rules, ImageSettings images, StateTtl stateTtl) {
        super(Assessor.IMAGE_CLUSTER, TypeInformation.of(PersonEvent.class), rules, stateTtl);
        this.images = images;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        MapStateDescriptor<String, ClusterMember> members = new MapStateDescriptor<>(
                "cluster-members-by-request", Types.STRING, TypeInformation.of(ClusterMember.class));
        membersByRequest = getRuntimeContext().getMapState(stateTtl().expiredByOwner(images.retention(), members));
        declareAlerts(images.retention(), PatternCode.IMAGE_REUSE);
    }

    /** The cluster's routing key is a plain hash of an image key; published, it is keyed (see {@link ClusterKeys#subjectKey}). */
    @Override
    protected String subjectKeyOf(String clusterKey) {
        return ClusterKeys.subjectKey(images.clusterKeySecret(), clusterKey);
    }

    @Override
    protected PersonEvent personEventOf(PersonEvent element) {
        return element;
    }

    @Override
    protected void retract(PersonEvent element, ReadOnlyContext ctx) throws Exception {
        ClusterMember member = membersByRequest.get(element.retraction().requestKey());
        if (member != null && Retention.retract(membersByRequest, element.retraction().requestKey())) {
            alerts().clear();
            deleteOwnTimer(cleanupTimeOf(member.request()), ctx.timerService());
        }
    }

    @Override
    protected void assess(PersonEvent element, Assessing assessment, ReadOnlyContext ctx) throws Exception {
        RefundEvent request = element.event();
        RequestRecord record = RequestRecord.of(request, true);
        membersByRequest.put(request.requestKey(), new ClusterMember(element.personKey(), record));
        ctx.timerService().registerEventTimeTimer(cleanupTimeOf(record));

        List<Map<String, Object>> sharedMatches = sharedMatches(element);
        if (sharedMatches.isEmpty()) {
            return;
        }
        List<ClusterMember> members = currentMembers(request.occurredAt());
        TreeSet<String> persons = new TreeSet<>();
        members.forEach(m -> persons.add(m.personKey()));
        element.findings().matches().stream()
                .filter(m -> m.matched().origin() == ImageOrigin.EVIDENCE)
                .forEach(m -> persons.add(m.matched().ownerKey()));
        assessment.found(EvidenceLinks.added(sharedImageFinding(members, persons.size(), sharedMatches),
                request.evidence()));
    }

    private PatternFinding sharedImageFinding(List<ClusterMember> members, int persons, List<Map<String, Object>> matches) {
        List<RequestRecord> requests = new ArrayList<>();
        TreeSet<String> platforms = new TreeSet<>();
        for (ClusterMember member : members) {
            requests.add(member.request());
            platforms.add(member.request().platform());
        }
        Severity severity = persons >= rules().imageReuse().criticalPersons() ? Severity.CRITICAL : Severity.HIGH;
        RepeatRefunder.Sums sums = RepeatRefunder.Sums.of(rules().amountTier(), requests);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", "SHARED_IMAGE");
        details.put("persons", persons);
        details.put("requestsInCluster", requests.size());
        details.put("platformCount", platforms.size());
        details.put("triggerMatches", matches);
        return new PatternFinding(PatternCode.IMAGE_REUSE, severity, persons, requests, sums.total(),
                rules().amountTier().currency(), details);
    }

    /** This request's matches with other persons' evidence, without ids: distance and platform. */
    private static List<Map<String, Object>> sharedMatches(PersonEvent element) {
        List<Map<String, Object>> shared = new ArrayList<>();
        for (EvidenceMatch match : element.findings().matches()) {
            if (match.matched().origin() == ImageOrigin.EVIDENCE && !match.matched().ownerKey().equals(element.personKey())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("imageId", match.imageId());
                m.put("matchedPlatform", match.matched().platform());
                m.put("distance", match.distance());
                m.put("exact", match.exact());
                shared.add(m);
            }
        }
        return shared;
    }

    private List<ClusterMember> currentMembers(long at) throws Exception {
        long horizon = at - images.retention().toMillis();
        List<ClusterMember> members = new ArrayList<>();
        for (ClusterMember member : membersByRequest.values()) {
            if (member.request().occurredAt() >= horizon && member.request().occurredAt() <= at) {
                members.add(member);
            }
        }
        members.sort(Comparator.comparingLong((ClusterMember m) -> m.request().occurredAt())
                .thenComparing(m -> m.request().key().toString()));
        return members;
    }

    @Override
    protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<Assessment> out) throws Exception {
        if (Retention.expire(membersByRequest, timestamp, member -> cleanupTimeOf(member.request()))) {
            alerts().clear();
        }
    }

    private long cleanupTimeOf(RequestRecord record) {
        return Retention.cleanupTime(record.occurredAt(), images.retention());
    }
}
