package io.refundguard.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Server-side request forgery: a link to a non-public address is refused before any connection,
 * whatever form the address is written in, and the connection goes to the address checked.
 *
 * <p>Only loopback can be served in a test, so loopback forms are fetched against a real local
 * server that counts its requests. Every other form goes through a dialer that records where a
 * connection would have gone and connects nowhere: without the check the test fails on that
 * record, and nothing ever leaves this machine.
 */
class PhotoFetcherAddressTest {
    private static final EnrichmentSettings SETTINGS = EnrichmentSettings.defaults()
            .withTimeout(Duration.ofSeconds(10)).withRetries(0, Duration.ZERO);
    private static final byte[] PHOTO = EvidenceFixtures.bytes("provenance/IMG_0003.jpg");

    private static HttpServer server;
    private static final AtomicInteger HITS = new AtomicInteger();
    private static final List<String> HOST_HEADERS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            HITS.incrementAndGet();
            HOST_HEADERS.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(200, PHOTO.length);
            exchange.getResponseBody().write(PHOTO);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @BeforeEach
    void reset() {
        HITS.set(0);
        HOST_HEADERS.clear();
    }

    private static int port() {
        return server.getAddress().getPort();
    }

    private static String failureOf(PhotoFetcher fetcher, String uri) {
        Throwable error = PhotoFetcher.unwrap(fetcher.fetch(uri));
        assertThat(error).isInstanceOf(PhotoFetcher.FetchFailure.class);
        return error.getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "LOCALHOST.", "127.1", "2130706433", "[::ffff:127.0.0.1]",
            "[::1]", "0.0.0.0", "[::]", "[0:0:0:0:0:ffff:7f00:1]"})
    void loopbackInEveryFormIsRefusedWithoutConnecting(String host) {
        try (PhotoFetcher fetcher = new PhotoFetcher(SETTINGS, "test")) {
            String why = failureOf(fetcher, "http://" + host + ":" + port() + "/photo.jpg");

            assertRefused(why);
            assertThat(HITS.get()).as("requests the local server received").isZero();
        }
    }

    /** java.net.URI reads some numeric forms (0x7f.0.0.1, 127.1) as having no host at all. */
    private static void assertRefused(String why) {
        assertThat(why).matches("address not allowed: host .*|no host in the URI");
    }

    /** A dialer that connects nowhere and remembers where it was asked to. */
    private static final class RecordingDialer implements PinnedHttp.Dialer {
        final List<InetSocketAddress> dialled = Collections.synchronizedList(new ArrayList<>());

        @Override
        public java.net.Socket connect(InetSocketAddress address, int timeoutMillis) throws IOException {
            dialled.add(address);
            throw new java.net.ConnectException("test dialer connects nowhere");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "100.64.0.1", "224.0.0.1", "255.255.255.255", "0.1.2.3", "[fc00::1]", "[fd12:3456::1]", "[fe80::1]",
            "[ff02::1]", "[::ffff:169.254.169.254]", "[::ffff:10.0.0.1]", "[::10.0.0.1]", "[64:ff9b::a00:1]",
            "[2002:a00:1::]", "[fec0::1]", "0177.0.0.1", "0x7f.0.0.1", "017700000001", "1.2.3.010"})
    void otherNonPublicAndAmbiguousAddressesAreRefusedBeforeAnyConnection(String host) {
        RecordingDialer dialer = new RecordingDialer();
        try (PhotoFetcher fetcher = new PhotoFetcher(SETTINGS, "test", new AddressPolicy(SETTINGS), dialer)) {
            String why = failureOf(fetcher, "http://" + host + "/photo.jpg");

            assertRefused(why);
            assertThat(dialer.dialled).isEmpty();
        }
    }

    @Test
    void theReasonNamesWhatWasRefusedAndIsTheSameWhetherOrNotAnythingAnswers() {
        RecordingDialer dialer = new RecordingDialer();
        try (PhotoFetcher fetcher = new PhotoFetcher(SETTINGS, "test", new AddressPolicy(SETTINGS), dialer);
                PhotoFetcher real = new PhotoFetcher(SETTINGS, "test")) {
            assertThat(failureOf(fetcher, "http://169.254.169.254/latest/meta-data/"))
                    .isEqualTo("address not allowed: host 169.254.169.254 resolves to a link-local address");
            assertThat(failureOf(fetcher, "http://0177.0.0.1/x.jpg"))
                    .isEqualTo("address not allowed: host 0177.0.0.1 is an ambiguous numeric address");
            // A port where the local server answers and one where nothing listens.
            String answering = failureOf(real, "http://127.0.0.1:" + port() + "/x.jpg");
            String silent = failureOf(real, "http://127.0.0.1:1/x.jpg");
            assertThat(answering).isEqualTo(silent)
                    .isEqualTo("address not allowed: host 127.0.0.1 resolves to a loopback address");
        }
    }

    @Test
    void aNameThatResolvesToAnyNonPublicAddressIsRefused() {
        // A rebinding name answers with a public and a private address; either could be dialled.
        AddressPolicy.Resolver resolver = host -> new InetAddress[] {
            InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34}),
            InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7})};
        RecordingDialer dialer = new RecordingDialer();
        try (PhotoFetcher fetcher = new PhotoFetcher(SETTINGS, "test",
                new AddressPolicy(List.of(), false, resolver), dialer)) {
            assertThat(failureOf(fetcher, "https://photos.rebind.example/x.jpg"))
                    .isEqualTo("address not allowed: host photos.rebind.example resolves to a private address");
            assertThat(dialer.dialled).isEmpty();
        }
    }

    @Test
    void theConnectionGoesToTheAddressCheckedAndNoOtherLookupHappens() {
        AtomicInteger lookups = new AtomicInteger();
        byte[] publicAddress = {93, (byte) 184, (byte) 216, 34};
        AddressPolicy.Resolver resolver = host -> {
            // A second lookup would get a private address (DNS rebinding).
            byte[] bytes = lookups.incrementAndGet() == 1 ? publicAddress : new byte[] {10, 0, 0, 7};
            return new InetAddress[] {InetAddress.getByAddress(host, bytes)};
        };
        RecordingDialer dialer = new RecordingDialer();
        try (PhotoFetcher fetcher = new PhotoFetcher(SETTINGS, "test",
                new AddressPolicy(List.of(), false, resolver), dialer)) {
            assertThat(failureOf(fetcher, "https://photos.rebind.example/x.jpg")).startsWith("connection failed");

            assertThat(lookups.get()).isEqualTo(1);
            assertThat(dialer.dialled).singleElement().satisfies(address -> {
                assertThat(address.isUnresolved()).isFalse();
                assertThat(address.getAddress().getAddress()).isEqualTo(publicAddress);
                assertThat(address.getPort()).isEqualTo(443);
            });
        }
    }

    @Test
    void allowLoopbackIsWhatLetsTestsFetchFromThisMachineAndTheHostHeaderIsTheLinksHost() {
        try (PhotoFetcher fetcher = new PhotoFetcher(SETTINGS.withLoopbackAllowed(), "test")) {
            byte[] bytes = fetcher.fetch("http://localhost:" + port() + "/photo.jpg").join();

            assertThat(bytes).isEqualTo(PHOTO);
            assertThat(HOST_HEADERS).containsExactly("localhost:" + port());
        }
    }

    @Test
    void allowLoopbackStillRefusesPrivateAndLinkLocalAddresses() {
        EnrichmentSettings loopback = SETTINGS.withLoopbackAllowed();
        RecordingDialer dialer = new RecordingDialer();
        try (PhotoFetcher fetcher = new PhotoFetcher(loopback, "test", new AddressPolicy(loopback), dialer)) {
            assertThat(failureOf(fetcher, "http://169.254.169.254/")).startsWith("address not allowed");
            assertThat(failureOf(fetcher, "http://[::ffff:10.0.0.1]/")).startsWith("address not allowed");
            assertThat(dialer.dialled).isEmpty();
        }
    }

    @Test
    void allowedHostsLimitsFetchingToTheNamedEvidenceStores() {
        EnrichmentSettings stores = SETTINGS.withLoopbackAllowed().withAllowedHosts(List.of("*.cdn.example", "localhost"));
        try (PhotoFetcher fetcher = new PhotoFetcher(stores, "test")) {
            assertThat(failureOf(fetcher, "http://127.0.0.1:" + port() + "/photo.jpg"))
                    .isEqualTo("address not allowed: host 127.0.0.1 is not in allowedHosts");
            assertThat(failureOf(fetcher, "http://cdn.example.evil.test/x.jpg"))
                    .isEqualTo("address not allowed: host cdn.example.evil.test is not in allowedHosts");
            assertThat(HITS.get()).isZero();
            assertThat(fetcher.fetch("http://localhost:" + port() + "/photo.jpg").join()).isEqualTo(PHOTO);
        }
        AddressPolicy policy = new AddressPolicy(List.of("*.cdn.example"), false,
                host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34})});
        assertThat(allowed(policy, "img.cdn.example")).isTrue();
        assertThat(allowed(policy, "cdn.example")).isFalse();
        assertThat(allowed(policy, "evilcdn.example")).isFalse();
    }

    private static boolean allowed(AddressPolicy policy, String host) {
        try {
            return !policy.addressesOf(host).isEmpty();
        } catch (AddressPolicy.Refused e) {
            return false;
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void publicAddressesPass() throws Exception {
        for (String address : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111")) {
            assertThat(AddressPolicy.nonPublicKind(InetAddress.getByName(address))).as(address).isNull();
        }
    }
}
