package io.refundguard.identity;

import static io.refundguard.events.TestEvents.hash;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.Decode;
import io.refundguard.events.Evidence;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.eventtime.StateTtl;
import java.time.Duration;
import java.util.ArrayList;
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

class ErasureLedgerTest {
    private static final Duration LIFETIME = Duration.ofDays(200);
    private static final String ROUTES = "request-routes-by-request";
    private static final String ERIN = hash("person:erin");
    private static final String FRANK = hash("person:frank");
    private static final String PDQ = hash("pdq:photo-1");
    private static final String SHA = hash("file:photo-2");

    private KeyedOneInputStreamOperatorTestHarness<String, PersonEvent, PersonEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ErasureLedger(LIFETIME, StateTtl.PROCESSING_TIME)), PersonEvent::personKey, Types.STRING);
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

    private static PersonEvent named(RefundEvent event) {
        return new PersonEvent(PersonKeys.named(event), event);
    }

    private static PersonEvent request(String requestId, String person, Duration after) {
        return named(Decode.event(TestEvents.request("tb", requestId).person(person).after(after).json()));
    }

    private static PersonEvent erasure(String person, Duration after) {
        return named(Decode.event(TestEvents.erased("tb", hash("person:" + person), after)));
    }

    /** A request with everything a fan-out routes by, plus provenance, a uri and a fetch note. */
    private static PersonEvent fullRequest(String requestId, Duration after) {
        TestEvents.Request builder = TestEvents.request("tb", requestId).person("erin").account("erin-tb")
                .device("d1").payment("card-1").address("home").phone("mobile")
                .merchant("M7", "P9").after(after)
                .image("img1", PDQ, 90);
        ObjectNode json = builder.node();
        ArrayNode evidence = (ArrayNode) json.get("evidence");
        ObjectNode first = (ObjectNode) evidence.get(0);
        first.put("uri", "https://evidence.example/img1.jpg");
        first.putObject("provenance").put("software", "editor 2").put("cameraMake", "Acme");
        ObjectNode second = evidence.addObject();
        second.put("imageId", "img2");
        second.put("sha256", SHA);
        second.put("uri", "https://evidence.example/img2.jpg");
        second.putObject("provenance").putObject("aigc").put("label", "1");
        RefundEvent decoded = Decode.event(json.toString());
        // The detector's own fetch note, as FetchEvidence would leave it on a photo it could not read.
        List<Evidence> withNote = new ArrayList<>(decoded.evidence());
        withNote.set(1, withNote.get(1).withFetchError("HTTP 404"));
        return named(decoded.withEvidence(withNote));
    }

    private void send(PersonEvent element) throws Exception {
        harness.processElement(element, element.timestamp());
    }

    private void watermark(long time) throws Exception {
        harness.processWatermark(time);
    }

    private List<PersonEvent> output() {
        return harness.extractOutputValues();
    }

    private List<PersonEvent> retractions() {
        return output().stream().filter(PersonEvent::isRetraction).toList();
    }

    private Set<String> retractedRequestKeys() {
        return retractions().stream().map(r -> r.retraction().requestKey()).collect(Collectors.toSet());
    }

    private Set<String> personsWithState() throws Exception {
        return harness.getOperator().getKeyedStateBackend().getKeys(ROUTES, VoidNamespace.INSTANCE).map(String.class::cast)
                .collect(Collectors.toSet());
    }

    // ---- pass-through ----------------------------------------------------------------------

    @Test
    void requestsPassThroughUnchangedAndAtOnce() throws Exception {
        PersonEvent full = fullRequest("r1", Duration.ofHours(1));
        PersonEvent plain = request("r2", "erin", Duration.ofHours(2));

        send(full);
        assertThat(output()).as("no watermark needed").containsExactly(full);
        assertThat(output().get(0).event().evidence().get(0).provenance())
                .as("the request downstream keeps its provenance; only the ledger's copy is trimmed").isNotNull();
        send(plain);

        assertThat(output()).containsExactly(full, plain);
        assertThat(harness.numEventTimeTimers()).as("one day-aligned cleanup timer for the day's requests").isEqualTo(1);
        assertThat(personsWithState()).containsExactly(ERIN);

        watermark(at(Duration.ofDays(30)));
        assertThat(output()).as("a watermark without an erasure retracts nothing").containsExactly(full, plain);
        assertThat(personsWithState()).containsExactly(ERIN);
    }

    @Test
    void theErasurePassesAtOnceButRetractionsWaitForTheWatermarkToReachIt() throws Exception {
        PersonEvent r1 = request("r1", "erin", Duration.ofHours(1));
        PersonEvent r2 = request("r2", "erin", Duration.ofHours(5));
        PersonEvent erased = erasure("erin", Duration.ofDays(1));
        send(r1);
        send(r2);

        send(erased);
        assertThat(output()).containsExactly(r1, r2, erased);
        assertThat(harness.numEventTimeTimers()).as("the day's cleanup and the erasure").isEqualTo(2);

        watermark(erased.timestamp() - 1);
        assertThat(output()).as("event time has not reached the erasure yet").containsExactly(r1, r2, erased);
        assertThat(personsWithState()).containsExactly(ERIN);

        watermark(erased.timestamp());
        assertThat(output()).hasSize(5);
        assertThat(output().subList(3, 5)).containsExactlyInAnyOrder(
                PersonEvent.retracting(ERIN, r1.event(), erased.timestamp()),
                PersonEvent.retracting(ERIN, r2.event(), erased.timestamp()));
        assertThat(personsWithState()).as("nothing about erin is left").isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        watermark(at(Duration.ofDays(10)));
        assertThat(output()).as("retracted once only").hasSize(5);
    }

    @Test
    void aRequestThatArrivesAfterItsErasureButIsEarlierInEventTimeIsStillRetracted() throws Exception {
        PersonEvent erased = erasure("erin", Duration.ofDays(1));
        PersonEvent overtaken = request("r1", "erin", Duration.ofHours(23));
        send(erased);
        send(overtaken);

        watermark(erased.timestamp());
        assertThat(retractions()).containsExactly(PersonEvent.retracting(ERIN, overtaken.event(), erased.timestamp()));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    // ---- which requests ----------------------------------------------------------------------

    @Test
    void retractionsCoverExactlyTheRequestsAtOrBeforeTheErasureTime() throws Exception {
        PersonEvent before = request("r1", "erin", Duration.ofHours(1));
        PersonEvent sameMillisecond = request("r2", "erin", Duration.ofDays(1));
        PersonEvent after = request("r3", "erin", Duration.ofDays(1).plusMillis(1));
        PersonEvent erased = erasure("erin", Duration.ofDays(1));
        send(before);
        send(sameMillisecond);
        send(after);
        send(erased);

        watermark(at(Duration.ofDays(2)));
        assertThat(retractedRequestKeys()).containsExactlyInAnyOrder("tb:r1", "tb:r2");
        assertThat(retractions()).allSatisfy(r -> {
            assertThat(r.retraction().erasedAt()).isEqualTo(erased.timestamp());
            assertThat(r.timestamp()).isEqualTo(erased.timestamp());
        });
        assertThat(personsWithState()).as("the later request is kept").containsExactly(ERIN);

        // A second erasure later on retracts what was filed after the first.
        PersonEvent again = erasure("erin", Duration.ofDays(3));
        send(again);
        watermark(again.timestamp());
        assertThat(retractions()).hasSize(3);
        assertThat(retractions().get(2)).isEqualTo(PersonEvent.retracting(ERIN, after.event(), again.timestamp()));
        assertThat(personsWithState()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void theRetractionCarriesTheRoutingFieldsButNoProvenance() throws Exception {
        PersonEvent full = fullRequest("r1", Duration.ofHours(1));
        PersonEvent erased = erasure("erin", Duration.ofDays(1));
        send(full);
        send(erased);
        watermark(erased.timestamp());

        PersonEvent retraction = retractions().get(0);
        assertThat(retractions()).hasSize(1);
        assertThat(retraction.personKey()).isEqualTo(ERIN);
        assertThat(retraction.retraction()).isEqualTo(new Retraction(erased.timestamp(), "tb:r1", null));
        assertThat(retraction.findings()).isNull();
        assertThat(retraction.lateCatalogMatch()).isNull();

        RefundEvent original = full.event();
        RefundEvent kept = retraction.event();
        assertThat(kept.requestKey()).isEqualTo("tb:r1");
        assertThat(kept.occurredAt()).as("the request's own time, for the fan-outs' keys").isEqualTo(original.occurredAt());
        assertThat(kept.merchantId()).isEqualTo("M7");
        assertThat(kept.productId()).isEqualTo("P9");
        assertThat(kept.buyer()).as("every hash the link and ring fan-outs route by").isEqualTo(original.buyer());
        assertThat(kept.buyer().deviceHash()).isEqualTo(hash("device:d1"));
        assertThat(kept.buyer().paymentHash()).isEqualTo(hash("payment:card-1"));
        assertThat(kept.buyer().addressHash()).isEqualTo(hash("address:home"));
        assertThat(kept.buyer().phoneHash()).isEqualTo(hash("phone:mobile"));

        assertThat(kept.evidence()).containsExactly(
                new Evidence("img1", null, null, PDQ, 90, null, null),
                new Evidence("img2", SHA, null, null, null, null, null));
        assertThat(kept.evidence()).allSatisfy(e -> {
            assertThat(e.provenance()).isNull();
            assertThat(e.uri()).isNull();
            assertThat(e.fetchError()).isNull();
        });
        assertThat(kept).as("nothing else differs from the request")
                .isEqualTo(original.withEvidence(kept.evidence()));
    }

    // ---- other persons -----------------------------------------------------------------------

    @Test
    void anotherPersonsRequestsAreUntouched() throws Exception {
        PersonEvent erinRequest = request("r1", "erin", Duration.ofHours(1));
        PersonEvent frankRequest = request("r2", "frank", Duration.ofHours(1));
        PersonEvent frankLater = request("r3", "frank", Duration.ofHours(30));
        send(erinRequest);
        send(frankRequest);
        send(frankLater);
        send(erasure("erin", Duration.ofDays(1)));

        watermark(at(Duration.ofDays(5)));
        assertThat(retractions()).extracting(PersonEvent::personKey).containsExactly(ERIN);
        assertThat(retractedRequestKeys()).containsExactly("tb:r1");
        assertThat(personsWithState()).containsExactly(FRANK);

        // Frank's requests are all still there: his own erasure retracts both.
        PersonEvent frankErased = erasure("frank", Duration.ofDays(6));
        send(frankErased);
        watermark(frankErased.timestamp());
        assertThat(retractedRequestKeys()).containsExactlyInAnyOrder("tb:r1", "tb:r2", "tb:r3");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void anErasureOfSomeoneWithoutRequestsEmitsOnlyItself() throws Exception {
        send(request("r1", "frank", Duration.ofHours(1)));
        PersonEvent erased = erasure("erin", Duration.ofDays(1));
        send(erased);
        watermark(at(Duration.ofDays(3)));

        assertThat(output()).hasSize(2).endsWith(erased);
        assertThat(retractions()).isEmpty();
        assertThat(personsWithState()).containsExactly(FRANK);
        assertThat(harness.numEventTimeTimers()).as("frank's cleanup only").isEqualTo(1);
    }

    @Test
    void aRequestIsForgottenInEventTimeOnceEveryTraceOfItHasExpired() throws Exception {
        PersonEvent r1 = request("r1", "erin", Duration.ofHours(1));
        send(r1);
        long cleanup = io.refundguard.eventtime.Retention.cleanupTime(r1.timestamp(), LIFETIME);
        watermark(cleanup - 1);
        assertThat(personsWithState()).containsExactly(ERIN);

        watermark(cleanup);
        assertThat(retractions()).as("expiry is not an erasure").isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
