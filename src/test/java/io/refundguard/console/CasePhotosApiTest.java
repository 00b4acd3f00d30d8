package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Case photos through the running console: fetched by the console from a photo server on
 * 127.0.0.1 (allowed by enrichment.allowLoopback, as a test must), re-encoded as PNG with the
 * changed region outlined; only for viewers who may see the case; a link to a private address
 * refused before any connection, served as a placeholder, and explained on the page. A reuse case
 * shows the buyer's earlier photo when the viewer's view carries its link, else says why not.
 */
class CasePhotosApiTest {
    @TempDir
    Path dir;
    PhotoCases photos;
    ConsoleServer server;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws Exception {
        photos = PhotoCases.start(dir.resolve("replay"));
        server = PhotoCases.console(dir.resolve("replay"), dir.resolve("outcomes.jsonl"), ConsoleApiTest.CLOCK);
    }

    @AfterEach
    void stop() {
        server.close();
        photos.close();
    }

    HttpResponse<byte[]> get(String path, String user, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", ConsoleApiTest.basic(user, password)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void theOperatorGetsTheListingPhotoAsAPngWithTheChangedRegionOutlined() throws Exception {
        HttpResponse<byte[]> listing = get("/api/cases/" + PhotoCases.CATALOG_TB + "/photos/listing", "admin", "admin-secret");

        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(listing.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(listing.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(listing.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).startsWith("private"));
        assertThat(listing.headers().firstValue("X-RefundGuard-Photo")).hasValue("SHOWN");
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(listing.body()));
        assertThat(png.getWidth()).isEqualTo(PhotoCases.LISTING_WIDTH);
        assertThat(png.getHeight()).isEqualTo(PhotoCases.LISTING_HEIGHT);
        int[] box = PhotoCases.BOX;
        assertThat(png.getRGB(box[0], box[1] + box[3] / 2) & 0xFFFFFF).as("left edge").isEqualTo(0xE61414);
        assertThat(png.getRGB(box[0] + box[2] / 2, box[1] + box[3] / 2) & 0xFFFFFF).as("inside").isNotEqualTo(0xE61414);

        HttpResponse<byte[]> evidence = get("/api/cases/" + PhotoCases.CATALOG_TB + "/photos/evidence", "tb", "tb-secret");
        assertThat(evidence.statusCode()).isEqualTo(200);
        assertThat(evidence.headers().firstValue("X-RefundGuard-Photo")).hasValue("SHOWN");
        assertThat(ImageIO.read(new ByteArrayInputStream(evidence.body())).getWidth()).isEqualTo(PhotoCases.LISTING_WIDTH);
        assertThat(new String(evidence.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).as("re-encoded").startsWith("\u0089PNG");
    }

    @Test
    void anAnalystOfAnotherPlatformGetsTheCasePages404() throws Exception {
        int before = photos.served.get();
        HttpResponse<byte[]> foreign = get("/api/cases/" + PhotoCases.CATALOG_TB + "/photos/listing", "jd", "jd-secret");
        HttpResponse<byte[]> page = get("/api/cases/" + PhotoCases.CATALOG_TB, "jd", "jd-secret");

        assertThat(foreign.statusCode()).isEqualTo(404).isEqualTo(page.statusCode());
        assertThat(foreign.body()).isEqualTo(page.body());
        assertThat(photos.served.get()).as("nothing fetched for them").isEqualTo(before);
        assertThat(get("/api/cases/" + PhotoCases.CATALOG_TB + "/photos/other", "admin", "admin-secret").statusCode()).isEqualTo(404);
        assertThat(get("/api/cases/" + PhotoCases.CATALOG_TB + "/photos/listing", "admin", "wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void aLinkToAPrivateAddressIsAPlaceholderAndThePageSaysWhy() throws Exception {
        HttpResponse<byte[]> refused = get("/api/cases/" + PhotoCases.PRIVATE_TB + "/photos/evidence", "admin", "admin-secret");
        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(refused.headers().firstValue("X-RefundGuard-Photo")).hasValue("NOT_ALLOWED");
        assertThat(ImageIO.read(new ByteArrayInputStream(refused.body())).getWidth()).isEqualTo(PhotoRenderer.PLACEHOLDER_WIDTH);

        String session = signIn("admin", "admin-secret");
        String english = page("/cases/" + PhotoCases.PRIVATE_TB + "?lang=en", session);
        assertThat(english).contains("Not fetched: the link points to an address the console may not fetch from")
                .contains("Shown instead: the listing photo")
                .contains("PDQ Hamming distance 38 of 256 bits")
                .contains("Changed regions: 1, outlined in red")
                .doesNotContain("Exception", "\tat ")
                .doesNotContain("src=\"http");
        String chinese = page("/cases/" + PhotoCases.PRIVATE_TB + "?lang=zh", session);
        assertThat(chinese).contains("未获取：链接指向控制台不允许访问的地址").contains("PDQ 汉明距离 38");
        // The listing photo with its link shows on the photo: no empty-frame drawing beside it.
        assertThat(page("/cases/" + PhotoCases.CATALOG_TB, session)).contains("id=\"listing-photo\"")
                .doesNotContain("class=\"changed-regions\"");
    }

    @Test
    void theEarlierPhotoOfAReuseCaseIsServedToWhoeverMaySeeTheCase() throws Exception {
        String earlierOfTb = "/api/cases/" + PhotoCases.REUSE_TB + "/photos/earlier";
        HttpResponse<byte[]> earlier = get(earlierOfTb, "admin", "admin-secret");
        assertThat(earlier.statusCode()).isEqualTo(200);
        assertThat(earlier.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(earlier.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(earlier.headers().firstValue("X-RefundGuard-Photo")).hasValue("SHOWN");
        assertThat(ImageIO.read(new ByteArrayInputStream(earlier.body())).getWidth()).isEqualTo(PhotoCases.LISTING_WIDTH);
        HttpResponse<byte[]> evidence = get("/api/cases/" + PhotoCases.REUSE_TB + "/photos/evidence", "tb", "tb-secret");
        assertThat(evidence.headers().firstValue("X-RefundGuard-Photo")).hasValue("SHOWN");
        assertThat(evidence.body()).as("the stained copy, not the earlier original").isNotEqualTo(earlier.body());
        assertThat(get(earlierOfTb, "tb", "tb-secret").headers().firstValue("X-RefundGuard-Photo")).hasValue("SHOWN");

        int before = photos.served.get();
        HttpResponse<byte[]> foreign = get(earlierOfTb, "jd", "jd-secret");
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.body()).isEqualTo(get("/api/cases/" + PhotoCases.REUSE_TB, "jd", "jd-secret").body());
        // tb's view of a jd photo's reuse carries no earlier link: a placeholder, and nothing fetched.
        HttpResponse<byte[]> jdPhotoForTb = get("/api/cases/" + PhotoCases.REUSE_JD_ON_TB + "/photos/earlier", "tb", "tb-secret");
        assertThat(jdPhotoForTb.headers().firstValue("X-RefundGuard-Photo")).hasValue("NO_LINK");
        assertThat(photos.served.get()).as("nothing fetched for them").isEqualTo(before);
        assertThat(get("/api/cases/" + PhotoCases.REUSE_JD_ON_TB + "/photos/earlier", "jd", "jd-secret")
                .headers().firstValue("X-RefundGuard-Photo")).hasValue("SHOWN");
    }

    @Test
    void aReuseCasePageShowsTheEarlierPhotoOrSaysWhyNot() throws Exception {
        String tb = signIn("tb", "tb-secret");
        assertThat(page("/cases/" + PhotoCases.REUSE_TB + "?lang=en", tb))
                .contains("id=\"evidence-photo\"", "id=\"earlier-photo\"", "/photos/earlier\"")
                .contains("earlier request on tb: PDQ Hamming distance 3 of 256 bits")
                .contains("Earlier photo (e0,")
                .doesNotContain("id=\"earlier-words\"", "src=\"http");
        assertThat(page("/cases/" + PhotoCases.REUSE_TB + "?lang=zh", tb)).contains("此前在 tb 上", "PDQ 汉明距离 3");

        String jdPhoto = page("/cases/" + PhotoCases.REUSE_JD_ON_TB + "?lang=en", tb);
        assertThat(jdPhoto).contains("id=\"evidence-photo\"", "id=\"earlier-words\"", "earlier request on jd", "That photo is another platform")
                .doesNotContain("id=\"earlier-photo\"");
        assertThat(page("/cases/" + PhotoCases.REUSE_JD_ON_TB + "?lang=zh", tb)).contains("该照片属于其他平台");

        String admin = signIn("admin", "admin-secret");
        assertThat(page("/cases/" + PhotoCases.REUSE_JD_ON_TB + "?lang=en", admin)).contains("id=\"earlier-photo\"");
        assertThat(page("/cases/" + PhotoCases.REUSE_NO_LINKS + "?lang=en", admin))
                .contains("The alert carries no link to that photo", "earlier request on tb: PDQ Hamming distance 4 of 256 bits")
                .doesNotContain("id=\"earlier-photo\"", "That photo is another platform");
    }

    String signIn(String user, String password) throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(uri("/login")).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = form.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(Sessions.LOGIN_COOKIE + "="))
                .findFirst().orElseThrow();
        String token = form.body().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                .POST(HttpRequest.BodyPublishers.ofString("user=" + user + "&password=" + password + "&csrf=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
        String session = ConsoleApiTest.sessionCookie(login);
        return session.substring(0, session.indexOf(';'));
    }

    String page(String path, String session) throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri(path)).header("Cookie", session).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        return page.body();
    }
}
