package io.refundguard.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.DecodedCatalogImage;
import io.refundguard.events.DecodedEvent;
import io.refundguard.events.EventDecoder;
import io.refundguard.events.RawRecord;
import io.refundguard.events.RefundEvent;
import io.refundguard.patterns.MerchantBurst;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generator on its own: exact counts, the same bytes for a seed, every pattern planted, and
 * ground truth that holds in the records themselves (checked here against the thresholds, without
 * the detector; {@code SimulatedReplayTest} runs the detector).
 */
class SimulatedTrafficTest {
    static final RefundGuardConfig CONFIG = ConfigLoader.load(List.of());
    static final Thresholds THRESHOLDS = Thresholds.of(CONFIG);
    static final long START = OffsetDateTime.parse("2026-10-01T00:00:00+08:00").toInstant().toEpochMilli();
    static final int PERSONS = 3000;
    static final int REQUESTS = 8000;
    static final int DAYS = 14;
    static final ObjectMapper JSON = new ObjectMapper();

    static Generated traffic;

    record Generated(SimulatedTraffic model, List<String> events, List<String> catalog, List<Label> labels) {}

    @BeforeAll
    static void generate() throws Exception {
        traffic = generate(7, 1);
    }

    static Generated generate(long seed, int photos) throws Exception {
        SimulatedTraffic model = SimulatedTraffic.generate(
                new SimulatedTraffic.Settings(seed, PERSONS, REQUESTS, DAYS, START, photos), THRESHOLDS,
                new RandomPhotos(seed));
        List<String> events = new ArrayList<>();
        List<String> catalog = new ArrayList<>();
        TrafficWriter writer = new TrafficWriter(model);
        writer.writeEvents((key, record) -> events.add(new String(record, StandardCharsets.UTF_8)));
        writer.writeCatalog((key, record) -> catalog.add(new String(record, StandardCharsets.UTF_8)));
        return new Generated(model, events, catalog, model.labels());
    }

    @Test
    void exactlyTheRequestedPersonsAndRequests() throws Exception {
        Map<String, JsonNode> requests = new HashMap<>();
        for (JsonNode event : parsed(traffic.events())) {
            if (event.get("type").asText().equals("REFUND_REQUESTED")) {
                requests.put(event.get("eventId").asText(), event);
            }
        }
        assertThat(requests).hasSize(REQUESTS);
        assertThat(traffic.model().counts().requests()).isEqualTo(REQUESTS);
        assertThat(traffic.model().counts().persons()).isEqualTo(PERSONS);
        Set<String> identities = requests.values().stream()
                .map(r -> r.get("buyer").path("identityHash").asText(""))
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        // 92 % of ordinary buyers and every planted one send an identity hash.
        assertThat(identities.size()).isBetween(PERSONS * 85 / 100, PERSONS);
        assertThat(traffic.events()).hasSize(traffic.model().eventCount());
        assertThat(traffic.catalog()).hasSize(traffic.model().counts().listings());
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOtherTraffic() throws Exception {
        Generated again = generate(7, 1);
        assertThat(again.events()).isEqualTo(traffic.events());
        assertThat(again.catalog()).isEqualTo(traffic.catalog());
        assertThat(again.labels()).isEqualTo(traffic.labels());
        Generated other = generate(8, 1);
        assertThat(other.events().subList(0, 100)).isNotEqualTo(traffic.events().subList(0, 100));
    }

    @Test
    void photosPerRequestChangesOnlyTheEvidence() throws Exception {
        Generated none = generate(7, 0);
        Generated three = generate(7, 3);
        assertThat(withoutEvidence(none.events())).isEqualTo(withoutEvidence(traffic.events()));
        assertThat(withoutEvidence(three.events())).isEqualTo(withoutEvidence(traffic.events()));
        List<JsonNode> requests = parsed(three.events()).stream()
                .filter(e -> e.get("type").asText().equals("REFUND_REQUESTED")).toList();
        assertThat(requests).allSatisfy(r -> assertThat(r.get("evidence")).hasSize(3));
        assertThat(parsed(none.events()).stream().filter(e -> e.has("evidence")))
                .allSatisfy(r -> assertThat(r.get("evidence")).isEmpty());
        // Image cases need photos: without them they are not claimed in the ground truth.
        assertThat(none.labels()).extracting(Label::pattern)
                .doesNotContain("IMAGE_REUSE", "CATALOG_IMAGE_MATCH", "AI_GENERATED_EVIDENCE");
    }

    @Test
    void everyPatternIsPlantedAndTheNearMissesToo() {
        Set<String> fraud = traffic.labels().stream().filter(Label::isFraud).map(Label::pattern)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> honest = traffic.labels().stream().filter(l -> !l.isFraud()).map(Label::pattern)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(fraud).containsExactlyInAnyOrder("REPEAT_REFUNDER", "AMOUNT_TIER", "IMAGE_REUSE",
                "CATALOG_IMAGE_MATCH", "AI_GENERATED_EVIDENCE", "SHARED_ATTRIBUTE_RING", "MERCHANT_BURST");
        assertThat(honest).contains("REPEAT_REFUNDER", "SHARED_ATTRIBUTE_RING", "MERCHANT_BURST",
                "CATALOG_IMAGE_MATCH");
        Set<String> requestKeys = parsed(traffic.events()).stream()
                .filter(e -> e.get("type").asText().equals("REFUND_REQUESTED"))
                .map(e -> e.get("platform").asText() + ":" + e.get("requestId").asText())
                .collect(Collectors.toSet());
        assertThat(traffic.labels()).allSatisfy(l -> assertThat(requestKeys).containsAll(l.requests()));
    }

    @Test
    void everyRecordDecodesAndHappensWithinThePeriod() {
        EventDecoder decoder = new EventDecoder(CONFIG.input());
        long end = START + DAYS * 86_400_000L;
        long line = 0;
        for (String record : traffic.events()) {
            DecodedEvent decoded = decoder.decode(raw("refund-events", ++line, record));
            assertThat(decoded.isValid()).as("%s: %s", record, decoded.isValid() ? "" : decoded.rejected().reason())
                    .isTrue();
            assertThat(decoded.event().occurredAt()).isBetween(START, end - 1);
        }
        for (String record : traffic.catalog()) {
            DecodedCatalogImage decoded = decoder.decodeCatalogImage(raw("catalog-images", ++line, record));
            assertThat(decoded.isValid()).as(record).isTrue();
            assertThat(decoded.image().occurredAt()).isLessThan(START);
        }
    }

    @Test
    void redeliveriesRepeatAnEarlierRecordExactlyAndSomeEventsArriveLate() throws Exception {
        Map<String, String> firstById = new HashMap<>();
        int copies = 0;
        long latest = Long.MIN_VALUE;
        int late = 0;
        for (String record : traffic.events()) {
            JsonNode event = JSON.readTree(record);
            String id = event.get("eventId").asText();
            String earlier = firstById.putIfAbsent(id, record);
            if (earlier != null) {
                assertThat(record).isEqualTo(earlier);
                copies++;
                continue;
            }
            long at = OffsetDateTime.parse(event.get("occurredAt").asText()).toInstant().toEpochMilli();
            late += at < latest ? 1 : 0;
            latest = Math.max(latest, at);
        }
        assertThat(copies).isEqualTo(traffic.model().counts().redelivered()).isPositive();
        assertThat(late).isPositive();
        SimulatedTraffic.Counts counts = traffic.model().counts();
        assertThat(counts.lateBeyondTolerance()).isPositive();
        assertThat(counts.lateWithinTolerance()).isPositive();
    }

    @Test
    void onlyPlantedPersonsCrossTheRepeatRefunderThreshold() {
        long window = THRESHOLDS.repeatWindow().toMillis();
        Map<String, List<Long>> refundOnly = new HashMap<>();
        for (RefundEvent r : requests(traffic.events())) {
            if (r.isRefundOnly()) {
                refundOnly.computeIfAbsent(personOf(r), k -> new ArrayList<>()).add(r.occurredAt());
            }
        }
        Set<String> crossing = new TreeSet<>();
        Set<String> nearMisses = new TreeSet<>();
        refundOnly.forEach((person, times) -> {
            int most = mostWithin(times, window);
            if (most >= THRESHOLDS.repeatMinRequests()) {
                crossing.add(person);
            } else if (most == THRESHOLDS.repeatMinRequests() - 1) {
                nearMisses.add(person);
            }
        });
        assertThat(crossing).isEqualTo(subjects(true, "REPEAT_REFUNDER"));
        Set<String> labelledNearMisses = traffic.labels().stream()
                .filter(l -> !l.isFraud() && l.pattern().equals("REPEAT_REFUNDER") && l.what().contains("one fewer"))
                .map(Label::subjectKey).collect(Collectors.toSet());
        assertThat(nearMisses).containsAll(labelledNearMisses);
        assertThat(labelledNearMisses).isNotEmpty();
    }

    @Test
    void onlyPlantedRingsShareAnAttributeAmongEnoughPersons() {
        long window = THRESHOLDS.ringWindow().toMillis();
        Map<String, List<RefundEvent>> byAttribute = new HashMap<>();
        for (RefundEvent r : requests(traffic.events())) {
            if (!r.isRefundOnly()) {
                continue;
            }
            for (String kind : THRESHOLDS.ringAttributes()) {
                String hash = switch (kind) {
                    case "device" -> r.buyer().deviceHash();
                    case "payment" -> r.buyer().paymentHash();
                    case "address" -> r.buyer().addressHash();
                    default -> r.buyer().phoneHash();
                };
                if (hash != null) {
                    byAttribute.computeIfAbsent(kind + ":" + hash, k -> new ArrayList<>()).add(r);
                }
            }
        }
        Set<String> rings = new TreeSet<>();
        byAttribute.forEach((attribute, requests) -> {
            if (mostPersonsWithin(requests, window) >= THRESHOLDS.ringMinPersons()) {
                rings.add(attribute);
            }
        });
        assertThat(rings).isNotEmpty().isEqualTo(subjects(true, "SHARED_ATTRIBUTE_RING"));
        assertThat(subjects(false, "SHARED_ATTRIBUTE_RING")).allSatisfy(household ->
                assertThat(mostPersonsWithin(byAttribute.get(household), window))
                        .isEqualTo(THRESHOLDS.ringMinPersons() - 1));
    }

    @Test
    void onlyPlantedBurstsAndTheSteadyMerchantReachTheFloorInAWindow() {
        long window = THRESHOLDS.burstWindow().toMillis();
        Map<String, List<RefundEvent>> byMerchant = new HashMap<>();
        for (RefundEvent r : requests(traffic.events())) {
            if (r.isRefundOnly()) {
                byMerchant.computeIfAbsent(MerchantBurst.keysOf(r).get(0), k -> new ArrayList<>()).add(r);
            }
        }
        Set<String> busy = new TreeSet<>();
        byMerchant.forEach((merchant, requests) -> {
            if (mostPersonsWithin(requests, window) >= THRESHOLDS.burstFloor()) {
                busy.add(merchant);
            }
        });
        Set<String> expected = new TreeSet<>(subjects(true, "MERCHANT_BURST"));
        expected.addAll(subjects(false, "MERCHANT_BURST"));
        assertThat(busy).isEqualTo(expected);
    }

    @Test
    void plantedPhotosSitWhereTheLabelsSay() {
        Map<String, String> listingPdq = new HashMap<>();
        for (JsonNode listing : parsed(traffic.catalog())) {
            listingPdq.put(listing.get("platform").asText() + ":" + listing.get("merchantId").asText() + ":"
                    + listing.get("productId").asText(), listing.get("pdq").asText());
        }
        Map<String, RefundEvent> byRequest = new HashMap<>();
        for (RefundEvent r : requests(traffic.events())) {
            byRequest.put(r.platform() + ":" + r.requestId(), r);
        }
        int radius = THRESHOLDS.imageRadius();
        for (Label label : traffic.labels()) {
            switch (label.pattern()) {
                case "CATALOG_IMAGE_MATCH" -> {
                    RefundEvent r = byRequest.get(label.requests().get(0));
                    int distance = distance(r.evidence().get(0).pdq(),
                            listingPdq.get(r.platform() + ":" + r.merchantId() + ":" + r.productId()));
                    if (label.isFraud()) {
                        assertThat(distance).isLessThanOrEqualTo(radius);
                    } else {
                        assertThat(distance).isGreaterThan(radius).isLessThanOrEqualTo(radius + 10);
                    }
                }
                case "IMAGE_REUSE" -> {
                    List<RefundEvent> filed = label.requests().stream().map(byRequest::get).toList();
                    String first = filed.get(0).evidence().get(0).pdq();
                    assertThat(filed).allSatisfy(r -> assertThat(distance(r.evidence().get(0).pdq(), first))
                            .isLessThanOrEqualTo(radius));
                    Set<String> persons = filed.stream().map(SimulatedTrafficTest::personOf).collect(Collectors.toSet());
                    assertThat(persons).hasSize(label.subjectKind().equals("IDENTITY") ? 1 : filed.size());
                }
                case "AI_GENERATED_EVIDENCE" -> assertThat(byRequest.get(label.requests().get(0)).evidence().get(0)
                        .provenance().aigc().label()).isEqualTo("1");
                default -> { }
            }
        }
        // Photos of their own are far from each other: nothing else could match.
        List<String> unlabelled = new ArrayList<>();
        Set<String> labelled = traffic.labels().stream().flatMap(l -> l.requests().stream()).collect(Collectors.toSet());
        byRequest.forEach((key, r) -> {
            if (!labelled.contains(key) && unlabelled.size() < 300) {
                unlabelled.add(r.evidence().get(0).pdq());
            }
        });
        for (int i = 0; i < unlabelled.size(); i++) {
            for (int j = i + 1; j < unlabelled.size(); j++) {
                assertThat(distance(unlabelled.get(i), unlabelled.get(j))).isGreaterThan(radius);
            }
        }
    }

    @Test
    void tooFewPersonsOrRequestsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> SimulatedTraffic.generate(
                new SimulatedTraffic.Settings(1, 50, 1000, 30, START, 1), THRESHOLDS, new RandomPhotos(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--persons must be at least 200");
        assertThatThrownBy(() -> SimulatedTraffic.generate(
                new SimulatedTraffic.Settings(1, 1000, 1000, 30, START, 1), THRESHOLDS, new RandomPhotos(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--requests must be at least");
    }

    @Test
    void editedPhotosAreExactlyThatManyBitsAway() {
        RandomPhotos photos = new RandomPhotos(3);
        Photo original = photos.original(1);
        for (int bits : new int[] {0, 1, 17, 31, 40, 256}) {
            Photo edited = photos.edited(original, bits, 100 + bits);
            assertThat(edited.distanceTo(original)).isEqualTo(bits);
            assertThat(edited.sha256()).isNotEqualTo(original.sha256());
        }
        assertThat(photos.original(1)).isEqualTo(original);
        assertThat(photos.original(2).distanceTo(original)).isBetween(80, 176);
    }

    // ---------------------------------------------------------------------------------------

    private static Set<String> subjects(boolean fraud, String pattern) {
        return traffic.labels().stream().filter(l -> l.isFraud() == fraud && l.pattern().equals(pattern))
                .map(Label::subjectKey).collect(Collectors.toCollection(TreeSet::new));
    }

    private static int mostWithin(List<Long> times, long window) {
        List<Long> sorted = times.stream().sorted().toList();
        int most = 0;
        for (int i = 0, tail = 0; i < sorted.size(); i++) {
            while (sorted.get(tail) <= sorted.get(i) - window) {
                tail++;
            }
            most = Math.max(most, i - tail + 1);
        }
        return most;
    }

    private static int mostPersonsWithin(List<RefundEvent> requests, long window) {
        List<RefundEvent> sorted = requests.stream().sorted((a, b) -> Long.compare(a.occurredAt(), b.occurredAt())).toList();
        Map<String, Integer> inWindow = new TreeMap<>();
        int most = 0;
        for (int i = 0, tail = 0; i < sorted.size(); i++) {
            inWindow.merge(personOf(sorted.get(i)), 1, Integer::sum);
            while (sorted.get(tail).occurredAt() <= sorted.get(i).occurredAt() - window) {
                inWindow.computeIfPresent(personOf(sorted.get(tail++)), (p, n) -> n == 1 ? null : n - 1);
            }
            most = Math.max(most, inWindow.size());
        }
        return most;
    }

    private static String personOf(RefundEvent r) {
        return r.buyer().identityHash() != null ? r.buyer().identityHash() : r.platform() + ":" + r.buyer().accountId();
    }

    private static int distance(String a, String b) {
        int bits = 0;
        for (int i = 0; i < 64; i += 16) {
            bits += Long.bitCount(Long.parseUnsignedLong(a.substring(i, i + 16), 16)
                    ^ Long.parseUnsignedLong(b.substring(i, i + 16), 16));
        }
        return bits;
    }

    /** The requests, each once (redelivered copies dropped), decoded as the job decodes them. */
    private static List<RefundEvent> requests(List<String> events) {
        EventDecoder decoder = new EventDecoder(CONFIG.input());
        Set<String> seen = new HashSet<>();
        List<RefundEvent> requests = new ArrayList<>();
        for (String record : events) {
            RefundEvent event = decoder.decode(raw("refund-events", 0, record)).event();
            if (event.type() == io.refundguard.events.EventType.REFUND_REQUESTED && seen.add(event.eventId())) {
                requests.add(event);
            }
        }
        return requests;
    }

    private static RawRecord raw(String topic, long line, String record) {
        return new RawRecord(topic, -1, line, -1, null, record.getBytes(StandardCharsets.UTF_8));
    }

    private static List<JsonNode> parsed(List<String> records) {
        List<JsonNode> nodes = new ArrayList<>(records.size());
        for (String record : records) {
            try {
                nodes.add(JSON.readTree(record));
            } catch (Exception e) {
                throw new AssertionError(record, e);
            }
        }
        return nodes;
    }

    private static List<String> withoutEvidence(List<String> events) throws Exception {
        List<String> stripped = new ArrayList<>(events.size());
        for (String record : events) {
            ObjectNode node = (ObjectNode) JSON.readTree(record);
            node.remove("evidence");
            stripped.add(node.toString());
        }
        return stripped;
    }
}
