package io.refundguard.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.refundguard.job.config.ConfigLoader;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * Image cases whose photos are served by a local HTTP server on 127.0.0.1: a listing photo (a real
 * photograph, coffee.png, 600 x 400) and the buyer's "evidence", the same photo with a painted
 * stain, as a JPEG; and a case whose links point to a private address. Three IMAGE_REUSE cases
 * whose evidence is that stained copy of the buyer's own earlier photo (coffee.png again, under
 * another link): one on tb with both links, one reusing a jd photo on tb (tb's view has no earlier
 * link, jd's no evidence link), and one of the older shape without links. The replay folder is the
 * console sample plus these cases.
 */
final class PhotoCases implements AutoCloseable {
    static final String CATALOG_TB = "a-000000000000000000000000000c0ffe";
    static final String PRIVATE_TB = "a-0000000000000000000000000010e0e0";
    static final String REUSE_TB = "a-00000000000000000000000000ea71e1";
    static final String REUSE_JD_ON_TB = "a-00000000000000000000000000ea71e2";
    static final String REUSE_NO_LINKS = "a-00000000000000000000000000ea71e3";
    /** The changed region in the listing photo's pixels: x, y, width, height. */
    static final int[] BOX = {240, 150, 120, 90};
    static final int LISTING_WIDTH = 600;
    static final int LISTING_HEIGHT = 400;

    final HttpServer server;
    final AtomicInteger served = new AtomicInteger();

    private PhotoCases(HttpServer server) {
        this.server = server;
    }

    static PhotoCases start(Path replay) throws IOException {
        byte[] listing = resource("/photos/coffee.png");
        byte[] evidence = stained(listing);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        PhotoCases cases = new PhotoCases(http);
        http.createContext("/listing/coffee.png", exchange -> cases.serve(exchange, "image/png", listing));
        http.createContext("/evidence/e1.jpg", exchange -> cases.serve(exchange, "image/jpeg", evidence));
        http.createContext("/evidence/e0.png", exchange -> cases.serve(exchange, "image/png", listing));
        http.start();

        ReplayFolder folder = ReplayFolder.sample();
        folder.alert(CATALOG_TB, "CATALOG_IMAGE_MATCH", "CRITICAL", "IDENTITY", "cc".repeat(32),
                List.of(new ReplayFolder.Request("tb", "T-9001", "tb_u_9", "349.00", "2026-11-21T09:00:00.000+08:00")),
                "ADMINISTRATIVE", details(cases.link("/evidence/e1.jpg"), cases.link("/listing/coffee.png")),
                "2026-11-22.1", 90);
        folder.alert(PRIVATE_TB, "CATALOG_IMAGE_MATCH", "HIGH", "IDENTITY", "dd".repeat(32),
                List.of(new ReplayFolder.Request("tb", "T-9002", "tb_u_10", "99.00", "2026-11-21T10:00:00.000+08:00")),
                "ADMINISTRATIVE", details("http://10.0.0.1/evidence/e2.jpg", "http://10.0.0.1/listing/coffee.png"),
                "2026-11-22.1", 70);
        cases.reuseCases(folder);
        folder.write(replay);
        return cases;
    }

    /** A console over the folder that may fetch from this machine (enrichment.allowLoopback, tests only). */
    static ConsoleServer console(Path replay, Path outcomes, Clock clock) throws Exception {
        var rules = ConfigLoader.load(List.of("enrichment.allowLoopback=true")).enrichment();
        return new ConsoleServer(CaseBook.load(replay), ConsoleUsers.load(Path.of("config/console.yaml"), ConsoleApiTest.ENV::get),
                DecisionLog.open(outcomes, DecisionLog.journalOf(outcomes), clock), new Quality(null), clock)
                .photoRules(rules).start("127.0.0.1", 0);
    }

    String link(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void reuseCases(ReplayFolder folder) {
        // The first entry's earlier photo came as fingerprints only: the page shows the second.
        Map<String, Object> fingerprintsOnly = reused("e4", link("/evidence/e4.jpg"), "tb", "e8", null, 5);
        Map<String, Object> linked = reused("e3", link("/evidence/e1.jpg"), "tb", "e0", link("/evidence/e0.png"), 3);
        folder.alert(REUSE_TB, "IMAGE_REUSE", "HIGH", "IDENTITY", "ee".repeat(32),
                List.of(new ReplayFolder.Request("tb", "T-9101", "tb_u_11", "159.00", "2026-11-10T09:00:00.000+08:00"),
                        new ReplayFolder.Request("tb", "T-9102", "tb_u_11", "169.00", "2026-11-21T11:00:00.000+08:00")),
                "ADMINISTRATIVE", selfReuse(fingerprintsOnly, linked), "2026-11-22.1", 75);

        Map<String, Object> fromJd = reused("e5", link("/evidence/e1.jpg"), "jd", "j0", link("/evidence/e0.png"), 3);
        Map<String, Object> inTbView = new LinkedHashMap<>(fromJd);
        inTbView.remove("earlierImageId");
        inTbView.remove("earlierUri");
        Map<String, Object> inJdView = new LinkedHashMap<>(fromJd);
        inJdView.remove("imageId");
        inJdView.remove("evidenceUri");
        folder.alert(REUSE_JD_ON_TB, "IMAGE_REUSE", "HIGH", "IDENTITY", "ef".repeat(32),
                List.of(new ReplayFolder.Request("jd", "J-9201", "jd_u_3", "259.00", "2026-11-12T09:00:00.000+08:00"),
                        new ReplayFolder.Request("tb", "T-9202", "tb_u_12", "199.00", "2026-11-21T12:00:00.000+08:00")),
                "ADMINISTRATIVE", selfReuse(fromJd), platform -> selfReuse("tb".equals(platform) ? inTbView : inJdView),
                "2026-11-22.1", 75);

        Map<String, Object> older = new LinkedHashMap<>();
        older.put("imageId", "e6");
        older.put("reusedFromPlatform", "tb");
        older.put("distance", 4);
        older.put("exact", false);
        folder.alert(REUSE_NO_LINKS, "IMAGE_REUSE", "HIGH", "IDENTITY", "fe".repeat(32),
                List.of(new ReplayFolder.Request("tb", "T-9301", "tb_u_13", "89.00", "2026-11-11T09:00:00.000+08:00"),
                        new ReplayFolder.Request("tb", "T-9302", "tb_u_13", "99.00", "2026-11-21T13:00:00.000+08:00")),
                "ADMINISTRATIVE", selfReuse(older), "2026-11-01.1", 60);
    }

    /** One entry of IMAGE_REUSE's {@code reused}, as the detector writes it; a null link is left out. */
    private static Map<String, Object> reused(String imageId, String evidenceUri, String fromPlatform, String earlierImageId,
            String earlierUri, int distance) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("imageId", imageId);
        entry.put("evidenceUri", evidenceUri);
        entry.put("reusedFromPlatform", fromPlatform);
        entry.put("earlierImageId", earlierImageId);
        if (earlierUri != null) {
            entry.put("earlierUri", earlierUri);
        }
        entry.put("distance", distance);
        entry.put("exact", false);
        return entry;
    }

    @SafeVarargs
    private static Map<String, Object> selfReuse(Map<String, Object>... reused) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", "SELF_REUSE");
        details.put("reused", List.of(reused));
        return details;
    }

    private static Map<String, Object> details(String evidenceUri, String listingUri) {
        Map<String, Object> match = new LinkedHashMap<>();
        match.put("imageId", "e1");
        match.put("evidenceUri", evidenceUri);
        match.put("listingImage", "tb:M1:COFFEE:main");
        match.put("distance", 38);
        match.put("merchantsOwnProductPhoto", true);
        match.put("matchedBy", "LOCAL_COMPARISON");
        match.put("listingSize", Map.of("width", LISTING_WIDTH, "height", LISTING_HEIGHT));
        match.put("changedRegions", List.of(Map.of("x", BOX[0], "y", BOX[1], "width", BOX[2], "height", BOX[3])));
        match.put("changedShare", 0.045);
        match.put("changes", List.of("CONTENT_ADDED"));
        match.put("listingUri", listingUri);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sameProduct", true);
        details.put("listingMatches", List.of(match));
        return details;
    }

    private void serve(HttpExchange exchange, String type, byte[] body) throws IOException {
        served.incrementAndGet();
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = PhotoCases.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] stained(byte[] png) throws IOException {
        BufferedImage photo = ImageIO.read(new ByteArrayInputStream(png));
        BufferedImage copy = new BufferedImage(photo.getWidth(), photo.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = copy.createGraphics();
        g.drawImage(photo, 0, 0, null);
        g.setColor(new Color(60, 40, 20));
        g.fillOval(BOX[0] + 10, BOX[1] + 10, BOX[2] - 20, BOX[3] - 20);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(copy, "jpg", jpeg);
        return jpeg.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
