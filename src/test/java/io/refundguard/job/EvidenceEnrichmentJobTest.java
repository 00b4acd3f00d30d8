package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.refundguard.events.Evidence;
import io.refundguard.events.TestEvents;
import io.refundguard.images.EvidenceFingerprinter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evidence that arrives only as a link: the job fetches and fingerprints it before the patterns
 * run, so the photo behind the link matches the merchant's listing photo; a link that cannot be
 * read becomes a verdict reason and the job goes on.
 */
class EvidenceEnrichmentJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    static Path dir;

    static HttpServer server;
    static byte[] photo;

    @BeforeAll
    static void serve() throws Exception {
        photo = Files.readAllBytes(Path.of("src/test/resources/pdq/images/bridge-mods/aaa-orig.jpg"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/evidence/parcel.jpg", exchange -> {
            exchange.sendResponseHeaders(200, photo.length);
            exchange.getResponseBody().write(photo);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void linkedEvidenceIsFingerprintedAndMatchesTheListingPhoto() throws Exception {
        Evidence listingPhoto = new EvidenceFingerprinter().fingerprint("main", photo);
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/evidence/";
        List<String> events = new ArrayList<>();
        events.add(linked(TestEvents.request("tb", "L1").person("linker").merchant("M5", "P5"), base + "parcel.jpg").json());
        events.add(linked(TestEvents.request("tb", "L2").person("other").merchant("M6", "P6").after(Duration.ofHours(1)),
                base + "missing.jpg").json());
        ObjectNode listing = TestEvents.JSON.createObjectNode();
        listing.put("platform", "tb");
        listing.put("merchantId", "M5");
        listing.put("productId", "P5");
        listing.put("imageId", "main");
        listing.put("pdq", listingPhoto.pdq());
        listing.put("pdqQuality", listingPhoto.pdqQuality());
        listing.put("occurredAt", TestEvents.at(Duration.ofDays(-3)));

        // The photos are served on this machine, which a deployment must never allow.
        var out = JobHarness.run(JobHarness.config("enrichment.allowLoopback=true"), 2, dir, events,
                List.of(listing.toString()));

        List<JsonNode> alerts = JobHarness.of(out, OutputKind.ALERT, null);
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.get("pattern").asText()).isEqualTo("CATALOG_IMAGE_MATCH");
            assertThat(alert.get("trigger").get("requestId").asText()).isEqualTo("L1");
            assertThat(alert.get("details").get("listingMatches").get(0).get("distance").asInt()).isZero();
        });
        List<JsonNode> verdicts = JobHarness.of(out, OutputKind.VERDICT, null);
        assertThat(verdicts).hasSize(2);
        JsonNode unreadable = verdicts.stream().filter(v -> v.get("requestId").asText().equals("L2")).findFirst().orElseThrow();
        assertThat(unreadable.get("reasons")).extracting(r -> r.get("pattern").asText()).containsExactly("EVIDENCE_UNREADABLE");
        assertThat(unreadable.get("recommendedAction").asText()).isEqualTo("REQUEST_LIVE_CAPTURE");
    }

    private static TestEvents.Request linked(TestEvents.Request request, String uri) {
        ObjectNode image = ((com.fasterxml.jackson.databind.node.ArrayNode) request.node().get("evidence")).addObject();
        image.put("imageId", "photo-1");
        image.put("uri", uri);
        return request;
    }
}
