package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The case page draws what the alert's details describe: changed regions on a listing frame, a ring's persons. */
class CaseFiguresTest {
    static final String CATALOG = "a-39b67a41f55b4602cd3710167c5e00f5";
    static final String RING = "a-00000000000000000000000000000f19";
    static final String BIG_RING = "a-00000000000000000000000000000f30";

    @TempDir
    Path dir;

    /** Details as the detector writes them (README, "refund-alerts"), with two regions. */
    static Map<String, Object> catalogDetails() {
        Map<String, Object> match = new LinkedHashMap<>();
        match.put("imageId", "img-20261102-01");
        match.put("listingImage", "tb:M-2231:P-7781:main-1");
        match.put("distance", 150);
        match.put("merchantsOwnProductPhoto", true);
        match.put("matchedBy", "LOCAL_COMPARISON");
        match.put("listingSize", Map.of("width", 600, "height", 400));
        match.put("changedRegions", List.of(Map.of("x", 184, "y", 130, "width", 140, "height", 94),
                Map.of("x", 20, "y", 300, "width", 60, "height", 40)));
        match.put("changedShare", 0.0366);
        match.put("changes", List.of("CONTENT_ADDED", "CROPPED"));
        Map<String, Object> pdqOnly = new LinkedHashMap<>();
        pdqOnly.put("imageId", "img-20261102-02");
        pdqOnly.put("listingImage", "tb:M-2231:P-7781:main-2");
        pdqOnly.put("distance", 12);
        pdqOnly.put("matchedBy", "PDQ");
        return Map.of("sameProduct", true, "listingMatches", List.of(match, pdqOnly));
    }

    static Map<String, Object> ringDetails(int identities, Map<String, Integer> accountsOnly) {
        List<String> persons = new ArrayList<>();
        for (int i = 0; i < identities; i++) {
            persons.add(String.format("%02x", i).repeat(32));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("attributeKind", "device");
        details.put("personCount", identities + accountsOnly.values().stream().mapToInt(Integer::intValue).sum());
        details.put("persons", persons);
        if (!accountsOnly.isEmpty()) {
            details.put("personsWithoutIdentityHashByPlatform", accountsOnly);
        }
        return details;
    }

    String page(String alertId) throws Exception {
        ReplayFolder folder = new ReplayFolder();
        folder.alert(CATALOG, "CATALOG_IMAGE_MATCH", "CRITICAL", "IDENTITY", "18".repeat(32),
                List.of(new ReplayFolder.Request("tb", "T-9120", "tb_u_3310", "129.00", "2026-11-02T10:00:00.000+08:00")),
                "ADMINISTRATIVE", catalogDetails(), "2026-11-22.1", 90);
        folder.alert(RING, "SHARED_ATTRIBUTE_RING", "HIGH", "ATTRIBUTE", "device:" + "ab".repeat(32),
                List.of(new ReplayFolder.Request("tb", "T-1", "tb_a", "10.00", "2026-11-03T10:00:00.000+08:00"),
                        new ReplayFolder.Request("jd", "J-1", "jd_a", "10.00", "2026-11-03T11:00:00.000+08:00")),
                "ADMINISTRATIVE", ringDetails(3, Map.of("jd", 1)), "2026-11-22.1", 60);
        folder.alert(BIG_RING, "SHARED_ATTRIBUTE_RING", "CRITICAL", "ATTRIBUTE", "payment:" + "cd".repeat(32),
                List.of(new ReplayFolder.Request("tb", "T-2", "tb_b", "10.00", "2026-11-04T10:00:00.000+08:00")),
                "ADMINISTRATIVE", ringDetails(30, Map.of()), "2026-11-22.1", 70);
        folder.write(dir);
        CaseBook book = CaseBook.load(dir);
        Viewer admin = new Viewer("admin", Viewer.Role.OPERATOR, null);
        CaseRow row = book.find(admin, alertId).orElseThrow();
        Sessions.Session session = new Sessions(Clock.systemUTC()).open(admin);
        return new Pages().casePage(Messages.of("en"), session, row, CaseJson.parse(row.line()), Optional.empty(), List.of());
    }

    static int count(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void aLocalComparisonsChangedRegionsAreOutlinedOnTheListingsFrame() throws Exception {
        String html = page(CATALOG);
        // One drawing: the PDQ match has no regions to show.
        assertThat(count(html, "<svg class=\"changed-regions\"")).isEqualTo(1);
        assertThat(html).contains("viewBox=\"0 0 600 400\"");
        assertThat(count(html, "class=\"changed-region\"")).isEqualTo(2);
        assertThat(html).contains("x=\"184\" y=\"130\" width=\"140\" height=\"94\"")
                .contains("x=\"20\" y=\"300\" width=\"60\" height=\"40\"")
                .contains("tb:M-2231:P-7781:main-1 · 600×400 px · 2 changed region(s)")
                .contains("The photos are not part of the alert");
        assertThat(html).doesNotContain("ring-graph");
    }

    @Test
    void aRingIsDrawnAsItsPersonsAroundTheSharedAttribute() throws Exception {
        String html = page(RING);
        assertThat(count(html, "<svg class=\"ring-graph\"")).isEqualTo(1);
        // Three persons by identity hash, one jd account without one.
        assertThat(count(html, "class=\"ring-person\"")).isEqualTo(4);
        assertThat(count(html, "<line ")).isEqualTo(4);
        assertThat(html).contains(">00000000…<", ">02020202…<", ">jd<", ">device<", "4 persons share this attribute");
        assertThat(html).doesNotContain("changed-regions");
    }

    @Test
    void aLargeRingShowsTheFirstPersonsAndHowManyMore() throws Exception {
        String html = page(BIG_RING);
        assertThat(count(html, "class=\"ring-person\"")).isEqualTo(CaseFigures.MAX_RING_NODES);
        assertThat(html).contains(">+7<", "30 persons share this attribute");
    }

    @Test
    void otherPatternsHaveNoDrawing() throws Exception {
        ReplayFolder.writeSample(dir.resolve("sample"));
        CaseBook book = CaseBook.load(dir.resolve("sample"));
        Viewer admin = new Viewer("admin", Viewer.Role.OPERATOR, null);
        CaseRow row = book.find(admin, ReplayFolder.REPEAT).orElseThrow();
        String html = new Pages().casePage(Messages.of("en"), new Sessions(Clock.systemUTC()).open(admin), row,
                CaseJson.parse(row.line()), Optional.empty(), List.of());
        assertThat(html).doesNotContain("<svg").doesNotContain("class=\"figures\"");
    }
}
