package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.events.DecodedEvent;
import io.refundguard.events.EventDecoder;
import io.refundguard.events.RawRecord;
import io.refundguard.job.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API and the access rules, against a running server over a small replay folder. */
class ConsoleApiTest {
    static final Map<String, String> ENV = Map.of("RG_CONSOLE_ADMIN_PASSWORD", "admin-secret",
            "RG_CONSOLE_TB_PASSWORD", "tb-secret", "RG_CONSOLE_JD_PASSWORD", "jd-secret");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T08:40:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    Path outcomes;
    ConsoleServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        ReplayFolder.writeSample(dir.resolve("replay"));
        outcomes = dir.resolve("outcomes.jsonl");
        server = startServer(dir.resolve("replay"), outcomes);
    }

    static ConsoleServer startServer(Path replay, Path outcomes) throws Exception {
        CaseBook book = CaseBook.load(replay);
        ConsoleUsers users = ConsoleUsers.load(Path.of("config/console.yaml"), ENV::get);
        DecisionLog log = DecisionLog.open(outcomes, DecisionLog.journalOf(outcomes), CLOCK);
        return new ConsoleServer(book, users, log, new Quality(null), CLOCK).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String user, String password, String contentType, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).header("Authorization", basic(user, password))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return ReplayFolder.MAPPER.readTree(response.body());
    }

    static List<String> ids(JsonNode cases) {
        List<String> ids = new ArrayList<>();
        cases.forEach(c -> ids.add(c.path("alertId").asText()));
        return ids;
    }

    @Test
    void withoutValidCredentialsTheApiAnswers401() throws Exception {
        HttpResponse<String> none = get("/api/cases", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(get("/api/cases", "admin", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/cases/" + ReplayFolder.REPEAT, "nobody", "x").statusCode()).isEqualTo(401);
        // pdd's variable is not set: that user cannot log in with any password, not even an empty one.
        assertThat(get("/api/cases", "pdd", "").statusCode()).isEqualTo(401);
        assertThat(get("/api/cases", "pdd", "anything").statusCode()).isEqualTo(401);
    }

    @Test
    void theOperatorSeesEveryCaseNewestFirst() throws Exception {
        HttpResponse<String> response = get("/api/cases", "admin", "admin-secret");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode cases = json(response);
        assertThat(ids(cases)).containsExactly(ReplayFolder.REPEAT, ReplayFolder.AI_JD, ReplayFolder.REUSE_TB);
        JsonNode first = cases.get(0);
        assertThat(first.path("pattern").asText()).isEqualTo("REPEAT_REFUNDER");
        assertThat(first.path("severity").asText()).isEqualTo("HIGH");
        assertThat(first.path("status").asText()).isEqualTo("open");
        assertThat(first.path("legalTier").asText()).isEqualTo("LARGE");

        JsonNode one = json(get("/api/cases/" + ReplayFolder.REPEAT, "admin", "admin-secret"));
        assertThat(one.path("summary").asText())
                .isEqualTo("4 refund-only requests in 30 days on 3 platforms, 3,356.50 CNY, legal tier LARGE (数额较大)");
        assertThat(one.path("alert").path("requests")).hasSize(4);
        assertThat(one.path("verdict").path("riskScore").asInt()).isEqualTo(82);
    }

    @Test
    void filtersApplyToTheApiList() throws Exception {
        assertThat(ids(json(get("/api/cases?severity=CRITICAL", "admin", "admin-secret")))).containsExactly(ReplayFolder.AI_JD);
        assertThat(ids(json(get("/api/cases?platform=tb&to=2026-10-31", "admin", "admin-secret"))))
                .containsExactly(ReplayFolder.REUSE_TB);
        assertThat(get("/api/cases?from=yesterday", "admin", "admin-secret").statusCode()).isEqualTo(400);
    }

    @Test
    void aPlatformAnalystSeesOnlyItsViewAndCannotReachAnotherPlatformsCaseByUrl() throws Exception {
        assertThat(ids(json(get("/api/cases", "tb", "tb-secret")))).containsExactly(ReplayFolder.REPEAT, ReplayFolder.REUSE_TB);
        HttpResponse<String> foreign = get("/api/cases/" + ReplayFolder.AI_JD, "tb", "tb-secret");
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.body()).doesNotContain("J-7001");
        assertThat(post("/api/cases/" + ReplayFolder.AI_JD + "/disposition", "tb", "tb-secret", "application/json",
                "{\"verdict\":\"FRAUD\"}").statusCode()).isEqualTo(404);

        HttpResponse<String> shared = get("/api/cases/" + ReplayFolder.REPEAT, "tb", "tb-secret");
        assertThat(shared.statusCode()).isEqualTo(200);
        // tb's view: its own requests in full, jd's and pdd's only as counts; no foreign ids anywhere.
        assertThat(shared.body()).contains("T-8810", "T-8835").doesNotContain("J-5521", "jd_88120934", "2611140190534");
        assertThat(json(shared).path("alert").path("otherPlatforms")).hasSize(2);
        // Still "4 requests on 3 platforms": the counts of the others are part of tb's view.
        assertThat(json(shared).path("summary").asText()).startsWith("4 refund-only requests in 30 days on 3 platforms");
        assertThat(files(outcomes)).isEmpty();
    }

    @Test
    void aDecisionBecomesOneOutcomeEventPerRequestAndADoubleClickIsOneEvent() throws Exception {
        String body = "{\"verdict\": \"FRAUD\", \"note\": \"same photo on three orders\"}";
        HttpResponse<String> first = post("/api/cases/" + ReplayFolder.REPEAT + "/disposition", "tb", "tb-secret",
                "application/json", body);
        assertThat(first.statusCode()).isEqualTo(200);
        HttpResponse<String> again = post("/api/cases/" + ReplayFolder.REPEAT + "/disposition", "tb", "tb-secret",
                "application/json; charset=utf-8", body);
        assertThat(again.statusCode()).isEqualTo(200);

        List<String> lines = files(outcomes);
        assertThat(lines).hasSize(2);
        EventDecoder decoder = new EventDecoder(ConfigLoader.load(List.of()).input());
        List<String> requestIds = new ArrayList<>();
        for (String line : lines) {
            DecodedEvent decoded = decoder.decode(new RawRecord("refund-events", 0, 0, CLOCK.millis(), null,
                    line.getBytes(StandardCharsets.UTF_8)));
            assertThat(decoded.isValid()).as(line).isTrue();
            JsonNode event = ReplayFolder.MAPPER.readTree(line);
            assertThat(event.path("type").asText()).isEqualTo("REFUND_OUTCOME");
            assertThat(event.path("verdict").asText()).isEqualTo("FRAUD");
            assertThat(event.path("source").asText()).isEqualTo("console:tb");
            assertThat(event.path("platform").asText()).isEqualTo("tb");
            assertThat(event.path("eventId").asText()).isEqualTo(DecisionLog.outcomeEventId(ReplayFolder.REPEAT, "tb",
                    event.path("requestId").asText(), Disposition.FRAUD));
            requestIds.add(event.path("requestId").asText());
        }
        assertThat(requestIds).containsExactlyInAnyOrder("T-8810", "T-8835");

        JsonNode decided = json(get("/api/cases/" + ReplayFolder.REPEAT, "admin", "admin-secret"));
        assertThat(decided.path("status").asText()).isEqualTo("decided");
        assertThat(decided.path("decisions")).hasSize(1);
        assertThat(decided.path("decisions").get(0).path("user").asText()).isEqualTo("tb");
        assertThat(decided.path("decisions").get(0).path("note").asText()).isEqualTo("same photo on three orders");
        assertThat(decided.path("decisions").get(0).path("decidedAt").asText()).isEqualTo("2026-12-03T08:40:00.000Z");

        // The operator confirming the same verdict adds only the requests tb could not vouch for.
        post("/api/cases/" + ReplayFolder.REPEAT + "/disposition", "admin", "admin-secret", "application/json", body);
        assertThat(files(outcomes)).hasSize(4);
        assertThat(String.join("\n", files(outcomes))).contains("J-5521", "2611140190534", "console:admin");
    }

    @Test
    void needsInformationMarksTheCaseButWritesNoOutcome() throws Exception {
        HttpResponse<String> response = post("/api/cases/" + ReplayFolder.AI_JD + "/disposition", "admin", "admin-secret",
                "application/json", "{\"verdict\":\"NEEDS_INFORMATION\",\"note\":\"ask for the parcel photo\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(files(outcomes)).isEmpty();
        assertThat(ids(json(get("/api/cases?status=decided", "admin", "admin-secret")))).containsExactly(ReplayFolder.AI_JD);
        assertThat(ids(json(get("/api/cases?status=open", "admin", "admin-secret"))))
                .containsExactly(ReplayFolder.REPEAT, ReplayFolder.REUSE_TB);
    }

    @Test
    void badDispositionsAreRefusedWithAReason() throws Exception {
        HttpResponse<String> unknown = post("/api/cases/" + ReplayFolder.REPEAT + "/disposition", "admin", "admin-secret",
                "application/json", "{\"verdict\":\"MAYBE\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).path("error").asText()).contains("FRAUD, LEGITIMATE or NEEDS_INFORMATION");
        assertThat(post("/api/cases/" + ReplayFolder.REPEAT + "/disposition", "admin", "admin-secret",
                "application/json", "not json").statusCode()).isEqualTo(400);
        // A cross-site form post cannot send JSON; the API refuses anything else.
        assertThat(post("/api/cases/" + ReplayFolder.REPEAT + "/disposition", "admin", "admin-secret",
                "application/x-www-form-urlencoded", "verdict=FRAUD").statusCode()).isEqualTo(415);
        assertThat(files(outcomes)).isEmpty();
    }

    @Test
    void decisionsSurviveARestart() throws Exception {
        post("/api/cases/" + ReplayFolder.REUSE_TB + "/disposition", "tb", "tb-secret", "application/json",
                "{\"verdict\":\"LEGITIMATE\",\"note\":\"two different parcels\"}");
        server.close();
        server = startServer(dir.resolve("replay"), outcomes);
        JsonNode decided = json(get("/api/cases/" + ReplayFolder.REUSE_TB, "tb", "tb-secret"));
        assertThat(decided.path("status").asText()).isEqualTo("decided");
        assertThat(decided.path("decisions").get(0).path("verdict").asText()).isEqualTo("LEGITIMATE");
        // The same decision again after the restart is still the same two events.
        post("/api/cases/" + ReplayFolder.REUSE_TB + "/disposition", "admin", "admin-secret", "application/json",
                "{\"verdict\":\"LEGITIMATE\"}");
        assertThat(files(outcomes)).hasSize(2);
    }

    @Test
    void theBrowserUiNeedsALoginAndACsrfTokenToDecide() throws Exception {
        HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> anonymous = noRedirects.send(HttpRequest.newBuilder(uri("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));

        HttpResponse<String> wrong = signIn(noRedirects, "tb", "nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> login = signIn(noRedirects, "tb", "tb-secret");
        assertThat(login.statusCode()).isEqualTo(302);
        String cookie = sessionCookie(login);
        assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        String session = cookie.substring(0, cookie.indexOf(';'));

        HttpResponse<String> casePage = noRedirects.send(HttpRequest.newBuilder(uri("/cases/" + ReplayFolder.REPEAT))
                .header("Cookie", session).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(casePage.statusCode()).isEqualTo(200);
        assertThat(casePage.body()).contains("4 refund-only requests in 30 days on 3 platforms");
        String csrf = casePage.body().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");

        HttpResponse<String> forged = noRedirects.send(form("/cases/" + ReplayFolder.REPEAT + "/decision",
                "verdict=FRAUD&note=x&csrf=forged", session), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> apiWithoutToken = noRedirects.send(HttpRequest.newBuilder(uri("/api/cases/" + ReplayFolder.REPEAT
                + "/disposition")).header("Cookie", session).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"verdict\":\"FRAUD\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(apiWithoutToken.statusCode()).isEqualTo(403);
        assertThat(files(outcomes)).isEmpty();

        HttpResponse<String> decided = noRedirects.send(form("/cases/" + ReplayFolder.REPEAT + "/decision",
                "verdict=FRAUD&note=x&csrf=" + csrf, session), HttpResponse.BodyHandlers.ofString());
        assertThat(decided.statusCode()).isEqualTo(302);
        assertThat(files(outcomes)).hasSize(2);

        HttpResponse<String> foreign = noRedirects.send(HttpRequest.newBuilder(uri("/cases/" + ReplayFolder.AI_JD))
                .header("Cookie", session).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(404);
    }

    @Test
    void theQualityPageAndTheChineseInboxRender() throws Exception {
        HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> login = signIn(noRedirects, "admin", "admin-secret");
        String cookie = sessionCookie(login);
        String session = cookie.substring(0, cookie.indexOf(';'));
        post("/api/cases/" + ReplayFolder.REPEAT + "/disposition", "admin", "admin-secret", "application/json",
                "{\"verdict\":\"FRAUD\"}");
        HttpResponse<String> quality = noRedirects.send(HttpRequest.newBuilder(uri("/quality")).header("Cookie", session).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(quality.statusCode()).isEqualTo(200);
        assertThat(quality.body().replaceAll("\\s+", " "))
                .contains("<td>REPEAT_REFUNDER</td><td>2026-11-22.1</td><td>1</td><td>1</td><td>0</td><td>0</td><td>1.000</td>")
                .contains("<td>2026-11-20</td><td>1</td>");
        HttpResponse<String> chinese = noRedirects.send(HttpRequest.newBuilder(uri("/?lang=zh")).header("Cookie", session).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chinese.statusCode()).isEqualTo(200);
        assertThat(chinese.body()).contains("30天内在3个平台提出4次仅退款申请", "确认欺诈", "各模式案件数");
        assertThat(chinese.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("rg_lang=zh"));
    }

    @Test
    void anOutcomeTheBrokerDidNotTakeIsNotRecordedAndTheReviewerIsTold() throws Exception {
        server.close();
        Path journal = dir.resolve("failing.decisions");
        OutcomeSink refusing = outcomes -> {
            throw new OutcomeSink.DeliveryException("publishing the outcome events to refund-events failed: timed out", null);
        };
        DecisionLog log = DecisionLog.open(refusing, journal, CLOCK, java.util.Set.of());
        server = new ConsoleServer(CaseBook.load(dir.resolve("replay")), ConsoleUsers.load(Path.of("config/console.yaml"), ENV::get),
                log, new Quality(null), CLOCK).start("127.0.0.1", 0);

        HttpResponse<String> refused = post("/api/cases/" + ReplayFolder.AI_JD + "/disposition", "admin", "admin-secret",
                "application/json", "{\"verdict\":\"FRAUD\"}");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(json(refused).path("error").asText()).contains("refund-events");
        assertThat(json(get("/api/cases/" + ReplayFolder.AI_JD, "admin", "admin-secret")).path("status").asText()).isEqualTo("open");
        assertThat(files(journal)).isEmpty();
    }

    @Test
    void theLoginFormNeedsItsOwnCsrfToken() throws Exception {
        HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        // A cross-site post of the login form: no token, no cookie.
        HttpResponse<String> forged = noRedirects.send(form("/login", "user=tb&password=tb-secret", null),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.headers().allValues("Set-Cookie")).noneSatisfy(c -> assertThat(c).startsWith(Sessions.COOKIE + "="));

        // The attacker's own form (token and cookie of another browser) does not fit the victim's cookie.
        String[] attacker = loginForm(noRedirects);
        String[] victim = loginForm(noRedirects);
        HttpResponse<String> mixed = noRedirects.send(form("/login", "user=tb&password=tb-secret&csrf=" + attacker[1],
                victim[0]), HttpResponse.BodyHandlers.ofString());
        assertThat(mixed.statusCode()).isEqualTo(403);
        assertThat(mixed.body()).contains("login-expired");

        HttpResponse<String> own = noRedirects.send(form("/login", "user=tb&password=tb-secret&csrf=" + victim[1],
                victim[0]), HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).isEqualTo(302);
        assertThat(sessionCookie(own)).startsWith(Sessions.COOKIE + "=");
    }

    /** GET /login: the login cookie ({@code name=value}) and the form's token. */
    String[] loginForm(HttpClient client) throws Exception {
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(uri("/login")).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(Sessions.LOGIN_COOKIE + "="))
                .findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        String token = page.body().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        return new String[] {cookie.substring(0, cookie.indexOf(';')), token};
    }

    /** Signs in through the form, as a browser does: the form first, then the post with its token. */
    HttpResponse<String> signIn(HttpClient client, String user, String password) throws Exception {
        String[] form = loginForm(client);
        return client.send(form("/login", "user=" + user + "&password=" + password + "&csrf=" + form[1], form[0]),
                HttpResponse.BodyHandlers.ofString());
    }

    static String sessionCookie(HttpResponse<String> login) {
        return login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(Sessions.COOKIE + "="))
                .findFirst().orElseThrow();
    }

    HttpRequest form(String path, String body, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return b.build();
    }

    static List<String> files(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
