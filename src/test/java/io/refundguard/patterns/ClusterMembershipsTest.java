package io.refundguard.patterns;

import static io.refundguard.events.TestEvents.hash;
import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.Decode;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import io.refundguard.identity.PersonKeys;
import io.refundguard.images.EvidenceKeys;
import io.refundguard.images.EvidenceMatch;
import io.refundguard.images.ImageFindings;
import io.refundguard.images.ImageOrigin;
import io.refundguard.images.IndexedImage;
import io.refundguard.images.PdqHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterMembershipsTest {
    private static final Duration RETENTION = Duration.ofDays(90);
    private static final String MEMBERSHIPS = "cluster-of-request";
    private static final String ERIN = hash("person:erin");
    private static final String FRANK = hash("person:frank");
    private static final String PDQ = hash("pdq:photo-1");

    private KeyedOneInputStreamOperatorTestHarness<String, PersonEvent, PersonEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ClusterMemberships(RETENTION, StateTtl.PROCESSING_TIME)), PersonEvent::personKey, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static long at(Duration afterT0) {
        return TestEvents.T0.plus(afterT0).toInstant().toEpochMilli();
    }

    private static RefundEvent requestEvent(String requestId, String person, Duration after) {
        return Decode.event(TestEvents.request("tb", requestId).person(person).after(after)
                .image("img1", PDQ, 90).json());
    }

    /** A request as the gather sends it on: with what the indexes found (maybe nothing). */
    private static PersonEvent withFindings(RefundEvent request, ImageFindings findings) {
        return new PersonEvent(PersonKeys.named(request), request).withFindings(findings);
    }

    /** Another person's earlier evidence photo that this request's img1 matched. */
    private static ImageFindings matching(String otherPlatform, String otherRequestId, String otherPerson, long otherAt) {
        IndexedImage other = IndexedImage.of(ImageOrigin.EVIDENCE,
                EvidenceKeys.imageKey(otherPlatform, otherRequestId, "photo"), otherPerson, otherPlatform,
                PdqHash.fromHex(PDQ).flip(3), 90, otherAt);
        return new ImageFindings(List.of(new EvidenceMatch("img1", other, 3, false)));
    }

    private static PersonEvent erasure(String person, Duration after) {
        RefundEvent event = Decode.event(TestEvents.erased("tb", hash("person:" + person), after));
        return new PersonEvent(PersonKeys.named(event), event);
    }

    /** What ClusterKeys.of should give: "img-" and the first 12 bytes of SHA-256 of the anchor's image key. */
    private static String clusterOfAnchor(String anchorImageKey) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(anchorImageKey.getBytes(StandardCharsets.UTF_8));
        return "img-" + HexFormat.of().formatHex(digest, 0, 12);
    }

    private void send(PersonEvent element) throws Exception {
        harness.processElement(element, element.timestamp());
    }

    private Set<String> personsWithMemberships() throws Exception {
        return harness.getOperator().getKeyedStateBackend()
                .getKeys(MEMBERSHIPS, VoidNamespace.INSTANCE).map(String.class::cast).collect(Collectors.toSet());
    }

    // ---- memberships and retractions ---------------------------------------------------------

    @Test
    void anErasureRetractsEachMembershipFromTheClusterTheRequestJoined() throws Exception {
        long otherAt = at(Duration.ofHours(-3));
        PersonEvent matched = withFindings(requestEvent("r1", "erin", Duration.ofHours(1)),
                matching("jd", "x9", FRANK, otherAt));
        PersonEvent unmatched = withFindings(requestEvent("r2", "erin", Duration.ofHours(2)), ImageFindings.NONE);
        String matchedCluster = ClusterKeys.of(matched);
        String ownCluster = ClusterKeys.of(unmatched);
        assertThat(matchedCluster).as("anchored at the earlier photo it matched")
                .isEqualTo(clusterOfAnchor(EvidenceKeys.imageKey("jd", "x9", "photo")));
        assertThat(ownCluster).as("anchored at its own first photo")
                .isEqualTo(clusterOfAnchor(EvidenceKeys.imageKey("tb", "r2", "img1")));

        send(matched);
        send(unmatched);
        harness.processWatermark(at(Duration.ofHours(12)));
        assertThat(harness.extractOutputValues()).as("filing a membership emits nothing").isEmpty();
        assertThat(personsWithMemberships()).containsExactly(ERIN);

        PersonEvent erased = erasure("erin", Duration.ofDays(1));
        send(erased);
        assertThat(harness.extractOutputValues()).as("in event-time order: waits for the watermark").isEmpty();
        harness.processWatermark(erased.timestamp());

        long erasedAt = erased.timestamp();
        assertThat(harness.extractOutputValues()).containsExactlyInAnyOrder(
                PersonEvent.retractingFromCluster(ERIN, "tb:r1", matchedCluster, erasedAt),
                PersonEvent.retractingFromCluster(ERIN, "tb:r2", ownCluster, erasedAt));
        assertThat(harness.extractOutputValues()).allSatisfy(r -> {
            assertThat(r.event()).isNull();
            assertThat(r.timestamp()).isEqualTo(erasedAt);
            assertThat(ClusterKeys.of(r)).as("routes to the cluster it joined")
                    .isEqualTo(r.retraction().clusterKey());
        });
        assertThat(personsWithMemberships()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aRequestDeliveredAfterTheErasureButEarlierInEventTimeIsRetractedToo() throws Exception {
        PersonEvent erased = erasure("erin", Duration.ofDays(1));
        PersonEvent overtaken = withFindings(requestEvent("r1", "erin", Duration.ofHours(20)), ImageFindings.NONE);
        send(erased);
        send(overtaken);
        harness.processWatermark(erased.timestamp());

        assertThat(harness.extractOutputValues()).containsExactly(PersonEvent.retractingFromCluster(
                ERIN, "tb:r1", ClusterKeys.of(overtaken), erased.timestamp()));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aRequestAfterTheErasureStaysAndOnlyALaterErasureRetractsIt() throws Exception {
        PersonEvent erased = erasure("erin", Duration.ofDays(1));
        PersonEvent later = withFindings(requestEvent("r1", "erin", Duration.ofDays(2)), ImageFindings.NONE);
        send(erased);
        send(later);
        harness.processWatermark(at(Duration.ofDays(2)));

        assertThat(harness.extractOutputValues()).as("erin had no membership at the erasure").isEmpty();
        assertThat(personsWithMemberships()).containsExactly(ERIN);

        PersonEvent again = erasure("erin", Duration.ofDays(3));
        send(again);
        harness.processWatermark(again.timestamp());
        assertThat(harness.extractOutputValues()).containsExactly(PersonEvent.retractingFromCluster(
                ERIN, "tb:r1", ClusterKeys.of(later), again.timestamp()));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void anotherPersonsMembershipsAreUntouched() throws Exception {
        send(withFindings(requestEvent("r1", "erin", Duration.ofHours(1)), ImageFindings.NONE));
        PersonEvent frankRequest = withFindings(requestEvent("r2", "frank", Duration.ofHours(2)),
                matching("tb", "r1", ERIN, at(Duration.ofHours(1))));
        send(frankRequest);
        PersonEvent erased = erasure("erin", Duration.ofDays(1));
        send(erased);
        harness.processWatermark(erased.timestamp());

        assertThat(harness.extractOutputValues()).extracting(r -> r.retraction().requestKey()).containsExactly("tb:r1");
        assertThat(personsWithMemberships()).containsExactly(FRANK);

        PersonEvent frankErased = erasure("frank", Duration.ofDays(2));
        send(frankErased);
        harness.processWatermark(frankErased.timestamp());
        assertThat(harness.extractOutputValues()).last().isEqualTo(PersonEvent.retractingFromCluster(
                FRANK, "tb:r2", ClusterKeys.of(frankRequest), frankErased.timestamp()));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void anErasureWithoutMembershipsEmitsNothing() throws Exception {
        PersonEvent erased = erasure("erin", Duration.ofDays(1));
        send(erased);
        harness.processWatermark(erased.timestamp());
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * The erasure ledger retracts every request with occurredAt <= the erasure time, so a request
     * in the same millisecond as the erasure is retracted from the indexes, links and patterns. Here
     * the two have the same timestamp, and an erasure must sort after every other event of its
     * millisecond whatever the event ids ("erase-..." would sort before "tb-r1").
     */
    @Test
    void aRequestInTheSameMillisecondAsTheErasureIsRetractedLikeTheLedgerDoes() throws Exception {
        PersonEvent erased = erasure("erin", Duration.ofDays(1));
        PersonEvent sameMillisecond = withFindings(requestEvent("r1", "erin", Duration.ofDays(1)), ImageFindings.NONE);
        assertThat(sameMillisecond.timestamp()).isEqualTo(erased.timestamp());
        send(sameMillisecond);
        send(erased);
        harness.processWatermark(erased.timestamp());

        assertThat(harness.extractOutputValues()).containsExactly(PersonEvent.retractingFromCluster(
                ERIN, "tb:r1", ClusterKeys.of(sameMillisecond), erased.timestamp()));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    // ---- what it reads -----------------------------------------------------------------------

    @Test
    void concernsRequestsWithFindingsAndErasuresOnly() {
        RefundEvent request = requestEvent("r1", "erin", Duration.ofHours(1));
        PersonEvent plain = new PersonEvent(ERIN, request);
        RefundEvent decided = Decode.event(TestEvents.decided("tb", "r1", "APPROVED", true, Duration.ofHours(2)));
        RefundEvent outcome = Decode.event(TestEvents.outcome("tb", "r1", "FRAUD", Duration.ofDays(3)));

        assertThat(ClusterMemberships.concerns(withFindings(request, ImageFindings.NONE)))
                .as("with findings, even none matched: it joined a cluster of its own").isTrue();
        assertThat(ClusterMemberships.concerns(withFindings(request, matching("jd", "x9", FRANK, 0)))).isTrue();
        assertThat(ClusterMemberships.concerns(erasure("erin", Duration.ofDays(1)))).isTrue();

        assertThat(ClusterMemberships.concerns(plain)).as("no findings: never went through the indexes").isFalse();
        assertThat(ClusterMemberships.concerns(PersonEvent.retracting(ERIN, request, at(Duration.ofDays(1))))).isFalse();
        assertThat(ClusterMemberships.concerns(
                PersonEvent.retracting(ERIN, request, at(Duration.ofDays(1))).withFindings(ImageFindings.NONE)))
                .as("a retraction, even one carrying findings").isFalse();
        assertThat(ClusterMemberships.concerns(
                PersonEvent.retractingFromCluster(ERIN, "tb:r1", "img-x", at(Duration.ofDays(1))))).isFalse();
        assertThat(ClusterMemberships.concerns(new PersonEvent(ERIN, decided))).isFalse();
        assertThat(ClusterMemberships.concerns(new PersonEvent(ERIN, outcome))).isFalse();
        assertThat(ClusterMemberships.concerns(new PersonEvent(ERIN, decided).withFindings(ImageFindings.NONE)))
                .as("a follow-up is not a request, findings or not").isFalse();
    }
}
