package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.alerts.Severity;
import io.refundguard.events.Evidence;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trigger's photo links join the image patterns' details next to the photos' ids, and nothing else. */
class EvidenceLinksTest {
    static Map<String, Object> entry(String imageId, Object... more) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("imageId", imageId);
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    static PatternFinding finding(PatternCode pattern, String list, List<Map<String, Object>> entries) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", "SELF_REUSE");
        details.put(list, entries);
        return new PatternFinding(pattern, Severity.HIGH, 1, List.of(), BigDecimal.ONE, "CNY", details);
    }

    static Evidence photo(String imageId, String uri) {
        return new Evidence(imageId, null, uri, "ab".repeat(32), 90, null, null);
    }

    @Test
    void eachPhotoWithALinkGetsItNextToItsId() {
        PatternFinding reuse = finding(PatternCode.IMAGE_REUSE, "reused",
                List.of(entry("p1", "reusedFromPlatform", "jd", "distance", 4), entry("p2", "distance", 9)));

        PatternFinding linked = EvidenceLinks.added(reuse, List.of(photo("p1", "https://img.tb.example/p1.jpg"), photo("p2", null)));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = (List<Map<String, Object>>) linked.details().get("reused");
        assertThat(entries.get(0)).containsEntry("evidenceUri", "https://img.tb.example/p1.jpg");
        assertThat(List.copyOf(entries.get(0).keySet())).containsExactly("imageId", "evidenceUri", "reusedFromPlatform", "distance");
        assertThat(entries.get(1)).doesNotContainKey("evidenceUri");
        assertThat(linked.details().get("kind")).isEqualTo("SELF_REUSE");
        assertThat(((List<?>) reuse.details().get("reused")).get(0)).as("the finding itself is unchanged")
                .isEqualTo(entry("p1", "reusedFromPlatform", "jd", "distance", 4));
    }

    @Test
    void aiMarksGetTheLinkAndAFindingWithoutLinksStaysAsItIs() {
        PatternFinding ai = finding(PatternCode.AI_GENERATED_EVIDENCE, "marks", List.of(entry("p1", "signal", "aigcLabel")));

        assertThat(EvidenceLinks.added(ai, List.of(photo("p1", null)))).isSameAs(ai);
        @SuppressWarnings("unchecked")
        Map<String, Object> mark = ((List<Map<String, Object>>) EvidenceLinks.added(ai,
                List.of(photo("p1", "file:///data/p1.png"))).details().get("marks")).get(0);
        assertThat(mark).containsEntry("evidenceUri", "file:///data/p1.png");
    }
}
