package io.refundguard.images;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.refundguard.alerts.OutputJson;
import io.refundguard.events.Decode;
import io.refundguard.events.EventEncoder;
import io.refundguard.events.EventType;
import io.refundguard.events.Evidence;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.identity.PersonEvent;
import io.refundguard.job.FlinkSetup;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The async enrichment step on a MiniCluster ({@code AsyncDataStream.orderedWait}), fetching
 * from a local HTTP server whose paths each behave one way.
 */
class FetchEvidenceTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final byte[] PHOTO = EvidenceFixtures.bytes("provenance/IMG_0003.jpg");
    private static final byte[] AI_PHOTO = EvidenceFixtures.bytes("provenance/ocsp.jpg");
    private static final int MAX_BYTES = 1 << 20;

    /**
     * Short backoff so retries come quickly; a timeout a loaded machine meets easily (the timeout
     * tests set their own); a cap well above the fixtures. The server is on loopback, which only a
     * test may allow.
     */
    private static final EnrichmentSettings SETTINGS = EnrichmentSettings.defaults()
            .withLoopbackAllowed()
            .withTimeout(Duration.ofSeconds(2))
            .withMaxBytes(MAX_BYTES)
            .withRetries(2, Duration.ofMillis(20));

    private static HttpServer server;
    private static ExecutorService serverThreads;
    private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/", FetchEvidenceTest::serve);
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @BeforeEach
    void resetHits() {
        HITS.clear();
    }

    /** What each path does; {@code hit} counts requests per path so retries can be asserted. */
    private static void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int hit = HITS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            switch (path) {
                case "/photo.jpg" -> send(exchange, 200, PHOTO);
                case "/ai.jpg" -> send(exchange, 200, AI_PHOTO);
                case "/flaky.jpg" -> send(exchange, hit == 1 ? 500 : 200, hit == 1 ? "oops".getBytes(UTF_8) : PHOTO);
                case "/rate-limited.jpg" -> send(exchange, hit == 1 ? 429 : 200, hit == 1 ? new byte[0] : PHOTO);
                case "/down.jpg" -> send(exchange, 503, "maintenance".getBytes(UTF_8));
                case "/missing.jpg" -> send(exchange, 404, "not found".getBytes(UTF_8));
                case "/moved.jpg" -> {
                    exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
                    send(exchange, 302, new byte[0]);
                }
                case "/garbage.jpg" -> send(exchange, 200, "<html>this is not a photo</html>".getBytes(UTF_8));
                case "/huge-declared.jpg" -> send(exchange, 200, new byte[MAX_BYTES + 1]);
                case "/huge-streamed.jpg" -> {
                    // Chunked: no Content-Length to refuse up front, so only the cap stops it.
                    exchange.sendResponseHeaders(200, 0);
                    byte[] chunk = new byte[64 * 1024];
                    OutputStream body = exchange.getResponseBody();
                    for (int sent = 0; sent < 64 * MAX_BYTES; sent += chunk.length) {
                        body.write(chunk);
                    }
                }
                case "/slow.jpg" -> {
                    sleep(5_000);
                    send(exchange, 200, PHOTO);
                }
                case "/trickle.jpg" -> {
                    // Headers at once, then the body too slowly: the request timeout alone would
                    // not cover this.
                    exchange.sendResponseHeaders(200, PHOTO.length);
                    OutputStream body = exchange.getResponseBody();
                    for (int i = 0; i < PHOTO.length; i += 1024) {
                        body.write(PHOTO, i, Math.min(1024, PHOTO.length - i));
                        body.flush();
                        sleep(200);
                    }
                }
                default -> send(exchange, 404, new byte[0]);
            }
        } catch (IOException e) {
            // The client hung up (cap reached, timed out): expected in several cases.
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static int hits(String path) {
        AtomicInteger count = HITS.get(path);
        return count == null ? 0 : count.get();
    }

    // ---- events ----

    /** A refund request whose evidence items are the given JSON objects, decoded as the job does. */
    private static PersonEvent request(String requestId, ObjectNode... images) {
        ObjectNode json = TestEvents.request("tb", requestId).person("buyer").node();
        ArrayNode evidence = (ArrayNode) json.get("evidence");
        for (ObjectNode image : images) {
            evidence.add(image);
        }
        return new PersonEvent("person-1", Decode.event(json.toString()));
    }

    private static ObjectNode byUri(String imageId, String uri) {
        ObjectNode image = TestEvents.JSON.createObjectNode();
        image.put("imageId", imageId);
        image.put("uri", uri);
        return image;
    }

    private static Evidence only(PersonEvent element) {
        assertThat(element.event().evidence()).hasSize(1);
        return element.event().evidence().get(0);
    }

    // ---- running ----

    private static List<PersonEvent> enrich(EnrichmentSettings settings, PersonEvent... events) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSetup.pipeline());
        env.setParallelism(1);
        DataStream<PersonEvent> in = env.fromData(TypeInformation.of(PersonEvent.class), events);
        return collect(FetchEvidence.enrich(in, settings));
    }

    private static List<PersonEvent> collect(DataStream<PersonEvent> stream) throws Exception {
        List<PersonEvent> out = new ArrayList<>();
        try (CloseableIterator<PersonEvent> it = stream.executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static Evidence enrichOne(EnrichmentSettings settings, ObjectNode image) throws Exception {
        List<PersonEvent> out = enrich(settings, request("R1", image));
        assertThat(out).hasSize(1);
        return only(out.get(0));
    }

    // ---- tests ----

    @Test
    void aGoodPhotoGetsTheFingerprintOfItsBytes() throws Exception {
        Evidence expected = new EvidenceFingerprinter().fingerprint("img-1", PHOTO);
        Evidence expectedAi = new EvidenceFingerprinter().fingerprint("img-2", AI_PHOTO);

        List<PersonEvent> out = enrich(SETTINGS,
                request("R1", byUri("img-1", url("/photo.jpg")), byUri("img-2", url("/ai.jpg"))));

        assertThat(out).hasSize(1);
        List<Evidence> evidence = out.get(0).event().evidence();
        assertThat(evidence.get(0)).isEqualTo(new Evidence("img-1", expected.sha256(), url("/photo.jpg"),
                expected.pdq(), expected.pdqQuality(), expected.provenance(), expected.localFeatures(), null));
        assertThat(evidence.get(0).localFeatures()).as("the local comparison's features, from the same bytes").isNotNull();
        assertThat(evidence.get(1).pdq()).isEqualTo(expectedAi.pdq());
        assertThat(evidence.get(1).sha256()).isEqualTo(expectedAi.sha256());
        assertThat(evidence.get(1).provenance().c2pa().digitalSourceTypes())
                .contains("http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia");
        assertThat(out.get(0).personKey()).isEqualTo("person-1");
        assertThat(out.get(0).event().eventId()).isEqualTo("tb-R1");
    }

    @Test
    void aServerErrorIsRetriedAndTheSecondAttemptSucceeds() throws Exception {
        Evidence evidence = enrichOne(SETTINGS, byUri("img-1", url("/flaky.jpg")));

        assertThat(evidence.fetchError()).isNull();
        assertThat(evidence.pdq()).isEqualTo(new EvidenceFingerprinter().fingerprint("x", PHOTO).pdq());
        assertThat(hits("/flaky.jpg")).isEqualTo(2);
    }

    @Test
    void tooManyRequestsIsRetriedToo() throws Exception {
        Evidence evidence = enrichOne(SETTINGS, byUri("img-1", url("/rate-limited.jpg")));

        assertThat(evidence.pdq()).isNotNull();
        assertThat(hits("/rate-limited.jpg")).isEqualTo(2);
    }

    @Test
    void aServerThatStaysDownIsTriedRetriesPlusOneTimesThenRecorded() throws Exception {
        Evidence evidence = enrichOne(SETTINGS, byUri("img-1", url("/down.jpg")));

        assertThat(evidence.pdq()).isNull();
        assertThat(evidence.fetchError()).isEqualTo("HTTP 503 (after 3 attempts)");
        assertThat(hits("/down.jpg")).isEqualTo(3);
    }

    @Test
    void notFoundIsRecordedWithoutRetrying() throws Exception {
        Evidence evidence = enrichOne(SETTINGS, byUri("img-1", url("/missing.jpg")));

        assertThat(evidence).isEqualTo(new Evidence("img-1", null, url("/missing.jpg"), null, null, null, "HTTP 404"));
        assertThat(hits("/missing.jpg")).isEqualTo(1);
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        Evidence evidence = enrichOne(SETTINGS, byUri("img-1", url("/moved.jpg")));

        assertThat(evidence.fetchError()).isEqualTo("HTTP 302 (redirects are not followed)");
        assertThat(evidence.pdq()).isNull();
    }

    @Test
    void aBodyAboveTheCapIsRefusedWhetherDeclaredOrStreamed() throws Exception {
        List<PersonEvent> out = enrich(SETTINGS,
                request("R1", byUri("img-1", url("/huge-declared.jpg"))),
                request("R2", byUri("img-2", url("/huge-streamed.jpg"))));

        assertThat(out).hasSize(2);
        assertThat(only(out.get(0)).fetchError())
                .isEqualTo("larger than the " + MAX_BYTES + " bytes allowed (" + (MAX_BYTES + 1) + " bytes declared)");
        assertThat(only(out.get(1)).fetchError())
                .isEqualTo("larger than the " + MAX_BYTES + " bytes allowed (download aborted)");
        assertThat(out).allSatisfy(e -> assertThat(only(e).pdq()).isNull());
        // Too large stays too large: not worth another attempt.
        assertThat(hits("/huge-streamed.jpg")).isEqualTo(1);
    }

    @Test
    void aServerSlowerThanTheTimeoutIsRecordedAndTheEventStillComesOut() throws Exception {
        EnrichmentSettings settings = SETTINGS.withTimeout(Duration.ofMillis(300)).withRetries(1, Duration.ofMillis(10));

        List<PersonEvent> out = enrich(settings,
                request("R1", byUri("img-1", url("/slow.jpg"))),
                request("R2", byUri("img-2", url("/trickle.jpg"))));

        assertThat(out).extracting(e -> e.event().requestId()).containsExactly("R1", "R2");
        assertThat(only(out.get(0)).fetchError()).isEqualTo("timed out after 300ms (after 2 attempts)");
        assertThat(only(out.get(1)).fetchError()).isEqualTo("timed out after 300ms (after 2 attempts)");
        assertThat(hits("/slow.jpg")).isEqualTo(2);
    }

    @Test
    void aBodyThatIsNoImageIsRecorded() throws Exception {
        Evidence evidence = enrichOne(SETTINGS, byUri("img-1", url("/garbage.jpg")));

        assertThat(evidence.pdq()).isNull();
        assertThat(evidence.sha256()).isNull();
        assertThat(evidence.fetchError()).startsWith("not a decodable image");
    }

    @Test
    void theFileAtTheUriMustBeTheOneThePlatformDescribed() throws Exception {
        String right = EvidenceFingerprinter.sha256Hex(PHOTO);
        String wrong = EvidenceFingerprinter.sha256Hex(AI_PHOTO);

        List<PersonEvent> out = enrich(SETTINGS, request("R1",
                byUri("img-1", url("/photo.jpg")).put("sha256", right),
                byUri("img-2", url("/photo.jpg")).put("sha256", wrong)));

        List<Evidence> evidence = out.get(0).event().evidence();
        assertThat(evidence.get(0).pdq()).isNotNull();
        assertThat(evidence.get(0).fetchError()).isNull();
        assertThat(evidence.get(1).pdq()).isNull();
        assertThat(evidence.get(1).sha256()).isEqualTo(wrong);
        assertThat(evidence.get(1).fetchError()).startsWith("sha256 mismatch");
    }

    @Test
    void unusableUrisAreRecordedWithoutFetching() throws Exception {
        List<PersonEvent> out = enrich(SETTINGS, request("R1",
                byUri("img-1", "file:///etc/passwd"),
                byUri("img-2", "ftp://example.org/photo.jpg"),
                byUri("img-3", "photos/relative.jpg"),
                byUri("img-4", "http://exa mple.org/x.jpg"),
                byUri("img-5", "http:///no-host.jpg")));

        assertThat(out.get(0).event().evidence()).extracting(Evidence::fetchError).containsExactly(
                "scheme file: is not allowed (allowed: http, https)",
                "scheme ftp: is not allowed (allowed: http, https)",
                "not an absolute URI",
                "not a valid URI: Illegal character in authority",
                "no host in the URI");
    }

    @Test
    void fileUrisAreReadOnlyWhenEnabledAndOnlyInsideTheRoot() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("evidence"));
        Path inside = Files.write(root.resolve("photo.jpg"), PHOTO);
        Path outside = Files.write(tmp.resolve("secret.jpg"), PHOTO);
        Path link = Files.createSymbolicLink(root.resolve("link.jpg"), outside);
        Path sneaky = root.resolve("..").resolve("secret.jpg");

        List<PersonEvent> out = enrich(SETTINGS.withFileRoot(root), request("R1",
                byUri("in", inside.toUri().toString()),
                byUri("out", outside.toUri().toString()),
                byUri("link", link.toUri().toString()),
                byUri("dotdot", "file://" + sneaky),
                byUri("gone", root.resolve("gone.jpg").toUri().toString())));

        List<Evidence> evidence = out.get(0).event().evidence();
        assertThat(evidence.get(0).pdq()).isEqualTo(new EvidenceFingerprinter().fingerprint("x", PHOTO).pdq());
        assertThat(evidence.get(0).fetchError()).isNull();
        assertThat(evidence.subList(1, 4)).extracting(Evidence::fetchError)
                .containsOnly("file is outside the allowed file root");
        assertThat(evidence.get(4).fetchError()).isEqualTo("no such file");
    }

    @Test
    void everythingThatNeedsNoFetchPassesThroughUnchanged() throws Exception {
        String pdq = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
        PersonEvent decided = new PersonEvent("person-1",
                Decode.event(TestEvents.decided("tb", "R0", "APPROVED", true, Duration.ofHours(1))));
        ObjectNode alreadyHashed = byUri("hashed", url("/photo.jpg")).put("pdq", pdq).put("pdqQuality", 100);
        ObjectNode noUri = TestEvents.JSON.createObjectNode().put("imageId", "no-uri");
        PersonEvent platformHashed = request("R1", alreadyHashed, noUri);
        PersonEvent mixed = request("R2", alreadyHashed.deepCopy(), byUri("fetch-me", url("/ai.jpg")));
        PersonEvent noEvidence = request("R3");

        List<PersonEvent> out = enrich(SETTINGS, decided, platformHashed, mixed, noEvidence);

        assertThat(out).containsExactly(decided, platformHashed, out.get(2), noEvidence);
        assertThat(hits("/photo.jpg")).isZero();
        List<Evidence> mixedEvidence = out.get(2).event().evidence();
        assertThat(mixedEvidence.get(0)).isEqualTo(mixed.event().evidence().get(0));
        assertThat(mixedEvidence.get(1).pdq()).isNotNull();
        assertThat(hits("/ai.jpg")).isEqualTo(1);
    }

    @Test
    void theOperatorTimeoutPassesTheEventOnUnenriched() throws Exception {
        // Our own bound (10 s per attempt) is beyond the operator's 4 s here, and the server takes
        // 5 s, so Flink's timeout fires first and calls FetchEvidence.timeout. 4 s leaves the
        // good photo (fetch, PDQ, local features) ample time on a loaded machine.
        EnrichmentSettings patient = SETTINGS.withTimeout(Duration.ofSeconds(10)).withRetries(0, Duration.ZERO);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSetup.pipeline());
        env.setParallelism(1);
        DataStream<PersonEvent> in = env.fromData(TypeInformation.of(PersonEvent.class),
                request("R1", byUri("img-1", url("/slow.jpg"))), request("R2", byUri("img-2", url("/photo.jpg"))));

        List<PersonEvent> out = collect(
                AsyncDataStream.orderedWait(in, new FetchEvidence(patient), 4_000, TimeUnit.MILLISECONDS, 4));

        assertThat(out).extracting(e -> e.event().requestId()).containsExactly("R1", "R2");
        assertThat(only(out.get(0)).fetchError()).isEqualTo("timed out");
        assertThat(only(out.get(0)).pdq()).isNull();
        assertThat(only(out.get(1)).fetchError()).isNull();
        assertThat(only(out.get(1)).pdq()).isNotNull();
    }

    @Test
    void timeoutMarksOnlyTheItemsThatWereBeingFetched() throws Exception {
        ObjectNode hashed = byUri("hashed", url("/photo.jpg"))
                .put("pdq", "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22").put("pdqQuality", 100);
        PersonEvent input = request("R1", hashed, byUri("pending", url("/slow.jpg")));
        CapturingResult result = new CapturingResult();

        new FetchEvidence(SETTINGS).timeout(input, result);

        RefundEvent event = result.only().event();
        assertThat(event.evidence().get(0)).isEqualTo(input.event().evidence().get(0));
        assertThat(event.evidence().get(1)).isEqualTo(input.event().evidence().get(1).withFetchError("timed out"));
        assertThat(event.type()).isEqualTo(EventType.REFUND_REQUESTED);
        assertThat(result.failure.get()).isNull();
    }

    @Test
    void fetchErrorIsWrittenOnlyWhenSet() throws Exception {
        PersonEvent failed = enrich(SETTINGS, request("R1", byUri("img-1", url("/missing.jpg")))).get(0);
        Evidence plain = new Evidence("img-1", null, url("/missing.jpg"), null, null, null, null);

        // Even a writer that includes nulls leaves it out, so evidence JSON reads as before.
        assertThat(OutputJson.text(plain)).doesNotContain("fetchError");
        assertThat(OutputJson.text(failed.event().evidence().get(0))).contains("\"fetchError\":\"HTTP 404\"");
        assertThat(EventEncoder.toJson(failed.event())).contains("\"fetchError\":\"HTTP 404\"");
        assertThat(EventEncoder.toJson(failed.event().withEvidence(List.of(plain)))).doesNotContain("fetchError");
    }

    @Test
    void anElementWithoutAnEventNeedsNoFetching() {
        assertThat(FetchEvidence.needsFetching(new PersonEvent("person-1", null, null, null))).isFalse();
    }

    /** Records what a function hands its result future. */
    private static final class CapturingResult implements ResultFuture<PersonEvent> {
        final AtomicReference<Collection<PersonEvent>> results = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        @Override
        public void complete(Collection<PersonEvent> result) {
            results.set(result);
        }

        @Override
        public void completeExceptionally(Throwable error) {
            failure.set(error);
        }

        @Override
        public void complete(CollectionSupplier<PersonEvent> supplier) {
            try {
                results.set(supplier.get());
            } catch (Exception e) {
                failure.set(e);
            }
        }

        PersonEvent only() {
            assertThat(results.get()).hasSize(1);
            return results.get().iterator().next();
        }
    }
}
