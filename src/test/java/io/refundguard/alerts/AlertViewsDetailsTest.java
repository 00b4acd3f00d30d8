package io.refundguard.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.events.Decode;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.patterns.CatalogImageMatch;
import io.refundguard.patterns.ClusterKeys;
import io.refundguard.patterns.PatternCode;
import io.refundguard.patterns.PatternFinding;
import io.refundguard.patterns.RequestRecord;
import io.refundguard.patterns.RuleSet;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pattern details are written for the operator; a platform's view must not carry another
 * platform's photo ids or listing keys in them.
 */
class AlertViewsDetailsTest {
    private static final RuleSet RULES = Decode.CONFIG.rules();

    private static RefundEvent request(String platform, String requestId, Duration after) {
        return Decode.event(TestEvents.request(platform, requestId).person("alice").after(after).json());
    }

    @Test
    void anotherPlatformsListingPhotoIsReducedToItsPlatform() throws Exception {
        RefundEvent jdRequest = request("jd", "jd-req-1", Duration.ZERO);
        RequestRecord record = RequestRecord.of(jdRequest, true);
        PatternFinding finding = CatalogImageMatch.late(RULES.catalogMatch(), record, "jd-photo-7",
                "tb:TB-SHOP-42:TB-ITEM-9:tb-listing-3", "tb:TB-SHOP-42:TB-ITEM-9", 12);
        Trigger trigger = new Trigger("jd", "jd-req-1", "catalog:tb:TB-SHOP-42:TB-ITEM-9:tb-listing-3");
        Alert alert = AlertFactory.build(finding, new Subject(SubjectKind.IDENTITY, TestEvents.hash("person:alice")),
                trigger, jdRequest.occurredAt(), 28800, RULES, 0L);

        Alert jdView = AlertViews.forPlatform(alert, "jd");
        String json = new String(OutputJson.bytes(jdView));

        assertThat(json).doesNotContain("TB-SHOP-42", "TB-ITEM-9", "tb-listing-3");
        JsonNode listing = OutputJson.mapper().readTree(jdView.details()).get("listingMatches").get(0);
        assertThat(listing.get("listingPlatform").asText()).isEqualTo("tb");
        assertThat(listing.get("imageId").asText()).as("jd's own photo").isEqualTo("jd-photo-7");
        assertThat(listing.get("distance").asInt()).isEqualTo(12);
        assertThat(jdView.trigger()).isEqualTo(new Trigger("jd", "jd-req-1", "catalog:tb"));
        assertThat(alert.details()).as("the operator's alert keeps everything").contains("tb:TB-SHOP-42:TB-ITEM-9:tb-listing-3");
    }

    @Test
    void theTriggersPhotoIdsStayWithTheTriggersPlatform() throws Exception {
        RefundEvent tbRequest = request("tb", "tb-req-1", Duration.ZERO);
        RefundEvent jdRequest = request("jd", "jd-req-1", Duration.ofDays(1));
        Map<String, Object> match = new LinkedHashMap<>();
        match.put("imageId", "jd-secret-photo-id");
        match.put("matchedPlatform", "tb");
        match.put("distance", 3);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", "SHARED_IMAGE");
        details.put("persons", 2);
        details.put("triggerMatches", List.of(match));
        PatternFinding finding = new PatternFinding(PatternCode.IMAGE_REUSE, Severity.HIGH, 2,
                List.of(RequestRecord.of(tbRequest, true), RequestRecord.of(jdRequest, true)), new BigDecimal("200.00"),
                "CNY", details);
        Alert alert = AlertFactory.build(finding, new Subject(SubjectKind.IMAGE, "img-x"), jdRequest, RULES, 0L);

        String tbView = new String(OutputJson.bytes(AlertViews.forPlatform(alert, "tb")));
        String jdView = new String(OutputJson.bytes(AlertViews.forPlatform(alert, "jd")));

        assertThat(tbView).doesNotContain("jd-secret-photo-id").contains("\"distance\":3", "\"matchedPlatform\":\"tb\"");
        assertThat(jdView).contains("jd-secret-photo-id");
    }

    @Test
    void photoLinksGoOnlyToThePlatformWhosePhotoTheyAre() throws Exception {
        RefundEvent tbRequest = request("tb", "tb-req-1", Duration.ZERO);
        RefundEvent jdRequest = request("jd", "jd-req-1", Duration.ofDays(1));
        Map<String, Object> listing = new LinkedHashMap<>();
        listing.put("imageId", "jd-photo-7");
        listing.put("evidenceUri", "https://img.jd.example/evidence/jd-photo-7.jpg");
        listing.put("listingImage", "tb:TB-SHOP-42:TB-ITEM-9:tb-listing-3");
        listing.put("distance", 12);
        listing.put("listingUri", "https://img.tb.example/listing/tb-listing-3.jpg");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sameProduct", false);
        details.put("listingMatches", List.of(listing));
        PatternFinding finding = new PatternFinding(PatternCode.CATALOG_IMAGE_MATCH, Severity.HIGH, 0,
                List.of(RequestRecord.of(tbRequest, true), RequestRecord.of(jdRequest, true)), new BigDecimal("200.00"),
                "CNY", details);
        Alert alert = AlertFactory.build(finding, new Subject(SubjectKind.IDENTITY, TestEvents.hash("person:alice")),
                jdRequest, RULES, 0L);
        String idBefore = alert.alertId();

        JsonNode jdMatch = OutputJson.mapper().readTree(AlertViews.forPlatform(alert, "jd").details())
                .get("listingMatches").get(0);
        JsonNode tbMatch = OutputJson.mapper().readTree(AlertViews.forPlatform(alert, "tb").details())
                .get("listingMatches").get(0);
        String pddView = new String(OutputJson.bytes(AlertViews.forPlatform(alert, "pdd")));

        assertThat(jdMatch.get("evidenceUri").asText()).as("jd's own evidence").endsWith("/jd-photo-7.jpg");
        assertThat(jdMatch.has("listingUri")).as("tb's listing link in jd's view").isFalse();
        assertThat(jdMatch.get("listingPlatform").asText()).isEqualTo("tb");
        assertThat(tbMatch.has("evidenceUri")).as("jd's evidence link in tb's view").isFalse();
        assertThat(tbMatch.get("listingUri").asText()).as("tb's own listing").endsWith("/tb-listing-3.jpg");
        assertThat(pddView).doesNotContain("img.jd.example", "img.tb.example");
        assertThat(alert.details()).as("the operator's alert keeps both")
                .contains("img.jd.example/evidence", "img.tb.example/listing");
        assertThat(AlertViews.forPlatform(alert, "tb").alertId()).isEqualTo(idBefore);
    }

    @Test
    void anImageSubjectKeyIsAKeyedHash() {
        String a = ClusterKeys.subjectKey("secret-one-at-least-22-chars", "img-0123");
        assertThat(a).matches("img-[0-9a-f]{24}")
                .isEqualTo(ClusterKeys.subjectKey("secret-one-at-least-22-chars", "img-0123"))
                .isNotEqualTo(ClusterKeys.subjectKey("secret-two-at-least-22-chars", "img-0123"))
                .isNotEqualTo(ClusterKeys.subjectKey("secret-one-at-least-22-chars", "img-0124"));
    }
}
