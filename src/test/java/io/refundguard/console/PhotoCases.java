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
 * stain, as a JPEG; and a case whose links point to a private address. The replay folder is the
 * console sample plus these two cases, both on tb.
 */
final class PhotoCases implements AutoCloseable {
    static final String CATALOG_TB = "a-000000000000000000000000000c0ffe";
    static final String PRIVATE_TB = "a-0000000000000000000000000010e0e0";
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
