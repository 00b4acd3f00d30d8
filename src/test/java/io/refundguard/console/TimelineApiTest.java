package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/cases/{alertId}} carries the person's timeline beside the fields it always had. */
class TimelineApiTest {
    @TempDir
    Path dir;
    ConsoleServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = ConsoleApiTest.startServer(TimelineFolder.write(dir.resolve("replay")), dir.resolve("outcomes.jsonl"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> send(HttpRequest.Builder request, String user, String password) throws Exception {
        return http.send(request.header("Authorization", ConsoleApiTest.basic(user, password)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getCase(String alertId, String user, String password) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/cases/" + alertId)).GET(), user, password);
        assertThat(response.statusCode()).isEqualTo(200);
        return ReplayFolder.MAPPER.readTree(response.body());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static List<String> requestIds(JsonNode timeline) {
        List<String> ids = new ArrayList<>();
        timeline.path("entries").forEach(e -> ids.add(e.path("requestId").asText()));
        return ids;
    }

    @Test
    void theCaseCarriesTheTimelineOfItsSubjectWithVerdictsDecisionsAndTotals() throws Exception {
        HttpResponse<String> decided = send(HttpRequest.newBuilder(uri("/api/cases/" + TimelineFolder.SECOND + "/disposition"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"verdict\":\"FRAUD\",\"note\":\"\"}")), "admin", "admin-secret");
        assertThat(decided.statusCode()).isEqualTo(200);

        JsonNode one = getCase(ReplayFolder.REPEAT, "admin", "admin-secret");
        // The fields a case always had are still there.
        assertThat(one.path("alertId").asText()).isEqualTo(ReplayFolder.REPEAT);
        assertThat(one.path("summary").asText()).startsWith("4 refund-only requests in 30 days on 3 platforms");
        assertThat(one.path("alert").path("requests")).hasSize(4);
        assertThat(one.path("verdict").path("riskScore").asInt()).isEqualTo(82);
        assertThat(one.path("decisions")).isEmpty();

        JsonNode timeline = one.path("timeline");
        assertThat(timeline.path("subject").asText()).isEqualTo("IDENTITY:" + TimelineFolder.PERSON);
        assertThat(timeline.path("order").asText()).isEqualTo("newestFirst");
        assertThat(requestIds(timeline)).containsExactly("T-8900", "J-5600", "T-8835", "2611140190534", "J-5521", "T-8810");
        JsonNode shared = timeline.path("entries").get(2);
        assertThat(shared.path("inThisCase").asBoolean()).isTrue();
        assertThat(shared.path("verdict").path("riskScore").asInt()).isEqualTo(82);
        assertThat(shared.path("verdict").path("recommendedAction").asText()).isEqualTo("HOLD_FOR_MANUAL_REVIEW");
        assertThat(shared.path("cases")).hasSize(2);
        assertThat(shared.path("cases").get(1).path("alertId").asText()).isEqualTo(TimelineFolder.SECOND);
        assertThat(shared.path("cases").get(1).path("pattern").asText()).isEqualTo("AMOUNT_TIER");
        assertThat(shared.path("cases").get(1).path("link").asText()).isEqualTo("/api/cases/" + TimelineFolder.SECOND);
        assertThat(shared.path("decision").path("verdict").asText()).isEqualTo("FRAUD");
        assertThat(shared.path("decision").path("user").asText()).isEqualTo("admin");
        assertThat(shared.path("decision").path("alertId").asText()).isEqualTo(TimelineFolder.SECOND);
        assertThat(timeline.path("entries").get(4).path("decision").isNull()).isTrue();
        assertThat(timeline.path("entries").get(4).path("verdict").isNull()).isTrue();

        JsonNode totals = timeline.path("totals");
        assertThat(totals.path("requests").asInt()).isEqualTo(6);
        assertThat(totals.path("cases").asInt()).isEqualTo(2);
        assertThat(totals.path("legalTier").asText()).isEqualTo("LARGE");
        assertThat(totals.path("amounts").get(0).path("amount").asText()).isEqualTo("5376.50");
        assertThat(totals.path("summary").asText())
                .isEqualTo("6 requests on 3 platforms, 5,376.50 CNY, across 2 cases, legal tier LARGE (数额较大)");
        assertThat(totals.path("truncated").asBoolean()).isFalse();
    }

    @Test
    void anAnalystsTimelineHoldsOnlyTheirPlatformsRequests() throws Exception {
        JsonNode timeline = getCase(ReplayFolder.REPEAT, "tb", "tb-secret").path("timeline");
        assertThat(requestIds(timeline)).containsExactly("T-8900", "T-8835", "T-8810");
        assertThat(timeline.path("otherPlatforms")).hasSize(2);
        assertThat(timeline.path("otherPlatforms").get(0).path("requestCountAtLeast").asInt()).isEqualTo(1);
        assertThat(timeline.toString()).doesNotContain("J-5521", "J-5600", "jd_88120934", "2611140190534");
        assertThat(timeline.path("totals").path("atLeast").asBoolean()).isTrue();

        // jd's analyst: jd's two requests, and a case of the person jd's view does not hold stays out.
        JsonNode jd = getCase(ReplayFolder.REPEAT, "jd", "jd-secret").path("timeline");
        assertThat(requestIds(jd)).containsExactly("J-5600", "J-5521");
        assertThat(jd.toString()).doesNotContain("T-88", "tb_u_7781");
    }
}
