package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.TestEvents;
import io.refundguard.identity.PersonEvent;
import io.refundguard.images.ImageFindings;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How many assessments a verdict waits for, read off the assessors' keys. */
class AssessmentPlanTest {
    private static final String PHOTO = TestEvents.hash("photo:plan");

    @Test
    void aReturnAndRefundRequestIsAssessedByThePersonAlone() {
        PersonEvent request = RingEvents.person(TestEvents.request("tb", "R1").person("p").device("d").returnAndRefund());
        assertThat(keys(request)).containsExactly(List.of(request.personKey()), List.of(), List.of(), List.of());
        assertThat(AssessmentPlan.expectedFor(request)).isEqualTo(1);
    }

    @Test
    void aRefundOnlyRequestReachesThePersonEachAttributeItsMerchantAndItsProduct() {
        PersonEvent request = RingEvents.person(TestEvents.request("tb", "R1").person("p").device("d").payment("c")
                .merchant("M1", "P1"));
        assertThat(Assessor.ATTRIBUTE_RING.keysOf(request)).hasSize(2).allMatch(k -> k.startsWith("device:")
                || k.startsWith("payment:"));
        assertThat(Assessor.MERCHANT_BURST.keysOf(request)).containsExactly("merchant:tb:M1", "product:tb:M1:P1");
        assertThat(AssessmentPlan.expectedFor(request)).isEqualTo(1 + 2 + 2);
    }

    @Test
    void evidenceThroughTheImageIndexesAddsItsSharedImageCluster() {
        PersonEvent request = RingEvents.person(TestEvents.request("tb", "R1").person("p").image("img", PHOTO, 90)
                .merchant("M1", "P1"));
        PersonEvent enriched = request.withFindings(ImageFindings.NONE);
        assertThat(Assessor.IMAGE_CLUSTER.keysOf(request)).isEmpty();
        assertThat(Assessor.IMAGE_CLUSTER.keysOf(enriched)).containsExactly(ClusterKeys.of(enriched));
        assertThat(AssessmentPlan.expectedFor(enriched)).isEqualTo(AssessmentPlan.expectedFor(request) + 1);
    }

    @Test
    void anAttributeTheRulesLeaveOutIsStillCountedSoTheCountNeverDependsOnRules() {
        PersonEvent request = RingEvents.person(TestEvents.request("tb", "R1").person("p").phone("t"));
        assertThat(RingEvents.CONFIG.rules().sharedAttributeRing().attributes()).doesNotContain("phone");
        assertThat(Assessor.ATTRIBUTE_RING.keysOf(request)).singleElement().satisfies(k -> assertThat(k).startsWith("phone:"));
    }

    @Test
    void aRetractionReachesTheKeysOfTheRequestItRetracts() {
        PersonEvent request = RingEvents.person(TestEvents.request("tb", "R1").person("p").device("d").merchant("M1", "P1"));
        PersonEvent retraction = PersonEvent.retracting(request.personKey(), request.event(), request.timestamp() + 1);
        for (Assessor assessor : List.of(Assessor.PERSON, Assessor.ATTRIBUTE_RING, Assessor.MERCHANT_BURST)) {
            assertThat(assessor.keysOf(retraction)).as(assessor.name()).isEqualTo(assessor.keysOf(request));
        }
    }

    private static List<List<String>> keys(PersonEvent request) {
        return Arrays.stream(Assessor.values()).map(a -> a.keysOf(request)).toList();
    }
}
