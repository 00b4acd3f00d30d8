package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.alerts.Alert;
import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.Reason;
import io.refundguard.alerts.Severity;
import io.refundguard.alerts.SubjectKind;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import io.refundguard.images.EvidenceKeys;
import io.refundguard.images.EvidenceMatch;
import io.refundguard.images.ImageFindings;
import io.refundguard.images.ImageOrigin;
import io.refundguard.images.IndexedImage;
import io.refundguard.images.PdqHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImageClusterFunctionTest {
    private static final long T0 = RingEvents.T0;
    private static final long DAY = Duration.ofDays(1).toMillis();
    /** One photo, shared: every request here files it (the indexes decide who matched whom). */
    private static final String PHOTO = TestEvents.hash("photo:shared");

    private KeyedBroadcastOperatorTestHarness<String, PersonEvent, RuleSetUpdate, Assessment> harness;

    @BeforeEach
    void open() throws Exception {
        harness = RuleHarness.started(new ImageClusterFunction(RingEvents.CONFIG.rules(), RingEvents.CONFIG.images(), StateTtl.PROCESSING_TIME),
                ClusterKeys::of, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void anErasedMembersRequestLeavesTheClusterAndLaterAlertsNeitherListNorCountThem() throws Exception {
        PersonEvent ann = request("ann", "A1", Duration.ZERO);
        PersonEvent erin = request("erin", "E1", Duration.ofHours(1), ann);
        String cluster = ClusterKeys.of(ann);
        assertThat(ClusterKeys.of(erin)).isEqualTo(cluster);
        send(ann);
        send(erin);
        harness.processWatermark(T0 + DAY);
        // Two persons share the photo: both listed.
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.subject().kind()).isEqualTo(SubjectKind.IMAGE);
            assertThat(a.subject().key()).as("keyed, not the guessable routing key")
                    .isEqualTo(ClusterKeys.subjectKey(RingEvents.CONFIG.images().clusterKeySecret(), cluster))
                    .isNotEqualTo(cluster);
            assertThat(a.severity()).isEqualTo(Severity.HIGH);
            assertThat(a.requests()).extracting(r -> r.requestId()).containsExactly("A1", "E1");
            assertThat(a.details()).contains("\"persons\":2");
        });
        Alert first = alerts().get(0);
        int assessed = harness.extractOutputValues().size();

        send(PersonEvent.retractingFromCluster(erin.personKey(), erin.event().requestKey(), cluster,
                T0 + DAY + Duration.ofHours(1).toMillis()));
        harness.processWatermark(T0 + 2 * DAY);
        assertThat(harness.extractOutputValues()).hasSize(assessed);
        assertThat(alerts()).hasSize(1);

        // A third person's copy: two persons in the cluster again, the size it alerted at, so the
        // gate holds it back (with erin still counted it would be three, CRITICAL, and fire).
        PersonEvent cat = request("cat", "C1", Duration.ofDays(2), ann);
        assertThat(ClusterKeys.of(cat)).isEqualTo(cluster);
        send(cat);
        harness.processWatermark(T0 + 3 * DAY);
        assertThat(alerts()).hasSize(1);
        assertThat(byRequest().get("C1")).satisfies(a -> {
            assertThat(a.reasons()).extracting(Reason::pattern, Reason::severity)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(PatternCode.IMAGE_REUSE, Severity.HIGH));
            assertThat(a.alertIds()).containsExactly(first.alertId());
        });

        PersonEvent dan = request("dan", "D1", Duration.ofDays(3), ann, cat);
        send(dan);
        harness.processWatermark(T0 + 4 * DAY);
        assertThat(alerts()).hasSize(2);
        Alert after = alerts().get(1);
        assertThat(after.subject().key()).isEqualTo(first.subject().key());
        assertThat(after.trigger().requestId()).isEqualTo("D1");
        assertThat(after.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(after.requests()).extracting(r -> r.requestId()).containsExactly("A1", "C1", "D1");
        assertThat(after.requests()).extracting(r -> r.accountId()).doesNotContain("acct-E1");
        assertThat(after.details()).contains("\"persons\":3").contains("\"requestsInCluster\":3");
        assertThat(byRequest().get("D1").alertIds()).containsExactly(after.alertId());
        // One assessment per request, each stating the request's total; none for the retraction.
        assertThat(harness.extractOutputValues()).extracting(Assessment::requestId)
                .containsExactly("A1", "E1", "C1", "D1");
        Map<String, PersonEvent> byId = Map.of("A1", ann, "E1", erin, "C1", cat, "D1", dan);
        assertThat(harness.extractOutputValues()).allSatisfy(a ->
                assertThat(a.expected()).isEqualTo(AssessmentPlan.expectedFor(byId.get(a.requestId()))));
    }

    @Test
    void aClusterWhoseMembersAreAllRetractedLeavesNoState() throws Exception {
        PersonEvent erin = request("erin", "E1", Duration.ZERO);
        PersonEvent bob = request("bob", "B1", Duration.ofHours(1), erin);
        PersonEvent bobAgain = request("bob", "B2", Duration.ofHours(2), erin);
        String cluster = ClusterKeys.of(erin);
        send(erin);
        send(bob);
        send(bobAgain);
        harness.processWatermark(T0 + DAY);
        assertThat(alerts()).hasSize(1);
        assertThat(RuleHarness.numKeyedStateEntries(harness)).isPositive();
        int assessed = harness.extractOutputValues().size();

        long erasedAt = T0 + DAY + 1;
        send(PersonEvent.retractingFromCluster(erin.personKey(), erin.event().requestKey(), cluster, erasedAt));
        harness.processWatermark(erasedAt);
        // One member left: the cluster (and its alert mark) stays.
        assertThat(RuleHarness.numKeyedStateEntries(harness)).isPositive();

        send(PersonEvent.retractingFromCluster(bob.personKey(), bob.event().requestKey(), cluster, erasedAt + 1));
        send(PersonEvent.retractingFromCluster(bob.personKey(), bobAgain.event().requestKey(), cluster, erasedAt + 1));
        harness.processWatermark(T0 + 2 * DAY);
        assertThat(harness.extractOutputValues()).hasSize(assessed);
        assertThat(alerts()).hasSize(1);
        // No members, no alert mark, nothing waiting for the watermark.
        assertThat(RuleHarness.numKeyedStateEntries(harness)).isZero();
    }

    @Test
    void aClusterRetractionIsKeyedByTheClusterItNames() {
        PersonEvent ann = request("ann", "A1", Duration.ZERO);
        PersonEvent retraction = PersonEvent.retractingFromCluster(ann.personKey(), ann.event().requestKey(), "img-x", T0);
        assertThat(ClusterKeys.of(retraction)).isEqualTo("img-x");
        assertThat(retraction.timestamp()).isEqualTo(T0);
    }

    /**
     * A request filing {@link #PHOTO}, with findings: a match with the evidence of each of
     * {@code matched}, as the indexes would report it.
     */
    private static PersonEvent request(String person, String requestId, Duration after, PersonEvent... matched) {
        PersonEvent request = RingEvents.person(TestEvents.request("tb", requestId).person(person)
                .image("img", PHOTO, 90).after(after));
        List<EvidenceMatch> matches = new ArrayList<>();
        for (PersonEvent earlier : matched) {
            matches.add(new EvidenceMatch("img", evidenceOf(earlier), 0, true));
        }
        return request.withFindings(new ImageFindings(List.copyOf(matches)));
    }

    /** The index's record of a request's first photo. */
    private static IndexedImage evidenceOf(PersonEvent request) {
        RefundEvent event = request.event();
        return IndexedImage.of(ImageOrigin.EVIDENCE,
                EvidenceKeys.imageKey(event.platform(), event.requestId(), event.evidence().get(0).imageId()),
                request.personKey(), event.platform(), PdqHash.fromHex(PHOTO), 90, event.occurredAt());
    }

    private void send(PersonEvent e) throws Exception {
        harness.processElement(e, e.timestamp());
    }

    private Map<String, Assessment> byRequest() {
        return harness.extractOutputValues().stream().collect(Collectors.toMap(Assessment::requestId, a -> a));
    }

    private List<Alert> alerts() {
        var side = harness.getSideOutput(AssessingFunction.ALERTS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }
}
