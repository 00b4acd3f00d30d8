package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.alerts.Alert;
import io.refundguard.alerts.AlertFactory;
import io.refundguard.alerts.AlertViews;
import io.refundguard.alerts.OutputJson;
import io.refundguard.alerts.Subject;
import io.refundguard.alerts.SubjectKind;
import io.refundguard.events.Decode;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.images.EvidenceKeys;
import io.refundguard.images.EvidenceMatch;
import io.refundguard.images.ImageFindings;
import io.refundguard.images.ImageOrigin;
import io.refundguard.images.IndexedImage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IMAGE_REUSE shows a reviewer the earlier photo: its link comes from the person's history, where
 * the earlier request left it, and only the platform that photo was sent to sees it in its view.
 */
class ImageReuseLinksTest {
    private static final RuleSet RULES = Decode.CONFIG.rules();
    private static final String PDQ = "f".repeat(64);
    private static final String PERSON = TestEvents.hash("person:alice");

    private static RefundEvent request(String platform, String requestId, String imageId, String uri, Duration after) {
        TestEvents.Request request = TestEvents.request(platform, requestId).person("alice").after(after)
                .merchant("M-" + requestId, "P-" + requestId).image(imageId, PDQ, 90);
        if (uri != null) {
            ((ObjectNode) request.node().get("evidence").get(0)).put("uri", uri);
        }
        return Decode.event(request.json());
    }

    private static Map<String, RequestRecord> history(RefundEvent earlier) {
        Map<String, RequestRecord> history = new LinkedHashMap<>();
        RequestRecord record = RequestRecord.of(earlier, true);
        history.put(record.key().toString(), record);
        return history;
    }

    private static ImageFindings matchOf(RefundEvent earlier, String imageId) {
        IndexedImage matched = new IndexedImage(ImageOrigin.EVIDENCE,
                EvidenceKeys.imageKey(earlier.platform(), earlier.requestId(), earlier.evidence().get(0).imageId()),
                PERSON, earlier.platform(), -1, -1, -1, -1, 90, earlier.occurredAt());
        return new ImageFindings(List.of(new EvidenceMatch(imageId, matched, 3, false)));
    }

    private static JsonNode reused(PatternFinding finding) throws Exception {
        return OutputJson.mapper().valueToTree(finding.details()).get("reused").get(0);
    }

    @Test
    void theEarlierPhotosLinkComesFromThePersonsHistory() throws Exception {
        RefundEvent earlier = request("tb", "T-1", "tb-photo-1", "https://img.tb.example/e/tb-photo-1.jpg", Duration.ZERO);
        RefundEvent now = request("tb", "T-2", "tb-photo-2", null, Duration.ofDays(3));

        PatternFinding finding = ImageReuse.selfReuse(RULES.imageReuse(), RULES.amountTier(), matchOf(earlier, "tb-photo-2"),
                PERSON, history(earlier), RequestRecord.of(now, true)).orElseThrow();

        JsonNode reused = reused(finding);
        assertThat(reused.get("earlierImageId").asText()).isEqualTo("tb-photo-1");
        assertThat(reused.get("earlierUri").asText()).isEqualTo("https://img.tb.example/e/tb-photo-1.jpg");
        assertThat(reused.get("distance").asInt()).isEqualTo(3);
    }

    @Test
    void anEarlierPhotoSentWithoutALinkHasNone() throws Exception {
        RefundEvent earlier = request("tb", "T-1", "tb-photo-1", null, Duration.ZERO);
        RefundEvent now = request("tb", "T-2", "tb-photo-2", null, Duration.ofDays(3));

        JsonNode reused = reused(ImageReuse.selfReuse(RULES.imageReuse(), RULES.amountTier(),
                matchOf(earlier, "tb-photo-2"), PERSON, history(earlier), RequestRecord.of(now, true)).orElseThrow());

        assertThat(reused.get("earlierImageId").asText()).isEqualTo("tb-photo-1");
        assertThat(reused.has("earlierUri")).isFalse();
    }

    @Test
    void onlyThePlatformTheEarlierPhotoWasSentToSeesIt() throws Exception {
        RefundEvent earlier = request("tb", "T-1", "tb-photo-1", "https://img.tb.example/e/tb-photo-1.jpg", Duration.ZERO);
        RefundEvent now = request("jd", "J-2", "jd-photo-2", "https://img.jd.example/e/jd-photo-2.jpg", Duration.ofDays(3));
        PatternFinding finding = EvidenceLinks.added(ImageReuse.selfReuse(RULES.imageReuse(), RULES.amountTier(),
                matchOf(earlier, "jd-photo-2"), PERSON, history(earlier), RequestRecord.of(now, true)).orElseThrow(),
                now.evidence());
        Alert alert = AlertFactory.build(finding, new Subject(SubjectKind.IDENTITY, PERSON), now, RULES, 0L);

        JsonNode jd = OutputJson.mapper().readTree(AlertViews.forPlatform(alert, "jd").details()).get("reused").get(0);
        JsonNode tb = OutputJson.mapper().readTree(AlertViews.forPlatform(alert, "tb").details()).get("reused").get(0);

        assertThat(jd.get("evidenceUri").asText()).as("jd's own new photo").endsWith("/jd-photo-2.jpg");
        assertThat(jd.has("earlierUri") || jd.has("earlierImageId")).as("tb's earlier photo in jd's view").isFalse();
        assertThat(tb.get("earlierUri").asText()).as("tb's own earlier photo").endsWith("/tb-photo-1.jpg");
        assertThat(tb.has("evidenceUri")).as("jd's new photo in tb's view").isFalse();
        assertThat(alert.details()).as("the operator sees both").contains("img.tb.example", "img.jd.example");
    }
}
