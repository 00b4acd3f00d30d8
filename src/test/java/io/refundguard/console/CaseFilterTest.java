package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaseFilterTest {
    static CaseRow row(int i, String pattern, String severity, String platform) {
        OffsetDateTime time = OffsetDateTime.parse("2026-11-01T00:00:00+08:00").plusHours(i);
        return new CaseRow("a-" + i, pattern, severity, time, List.of(platform), "1.00", "CNY", "ADMINISTRATIVE",
                "v1", "IDENTITY", platform, "r" + i, 1, "{}");
    }

    @Test
    void pagesOfFiftyWithCountsPerPatternOverTheOtherFilters() {
        List<CaseRow> rows = new ArrayList<>();
        for (int i = 120; i > 0; i--) {
            rows.add(row(i, i % 3 == 0 ? "IMAGE_REUSE" : "REPEAT_REFUNDER", i % 2 == 0 ? "HIGH" : "LOW", i % 4 == 0 ? "jd" : "tb"));
        }
        CaseFilter second = CaseFilter.from(Map.of("severity", "HIGH", "page", "2")::get);
        CaseFilter.Page page = second.apply(rows, id -> false);
        assertThat(page.total()).isEqualTo(60);
        assertThat(page.pages()).isEqualTo(2);
        assertThat(page.rows()).hasSize(10);
        assertThat(page.countsByPattern()).containsEntry("IMAGE_REUSE", 20).containsEntry("REPEAT_REFUNDER", 40);
        assertThat(second.query(1)).isEqualTo("?severity=HIGH&page=1");

        CaseFilter reuse = CaseFilter.from(Map.of("pattern", "IMAGE_REUSE", "platform", "jd", "status", "open")::get);
        CaseFilter.Page filtered = reuse.apply(rows, id -> id.equals("a-12"));
        assertThat(filtered.rows()).extracting(CaseRow::alertId).doesNotContain("a-12").allMatch(id -> {
            int n = Integer.parseInt(id.substring(2));
            return n % 3 == 0 && n % 4 == 0;
        });
        assertThat(filtered.total()).isEqualTo(9);
        // Counts ignore the pattern filter, so the analyst sees what the other patterns hold.
        assertThat(filtered.countsByPattern()).containsEntry("REPEAT_REFUNDER", 20);
    }

    @Test
    void datesAreInclusiveAndAPageBeyondTheEndShowsTheLast() {
        List<CaseRow> rows = List.of(row(30, "AMOUNT_TIER", "HIGH", "tb"), row(5, "AMOUNT_TIER", "HIGH", "tb"));
        CaseFilter day = CaseFilter.from(Map.of("from", "2026-11-02", "to", "2026-11-02", "page", "9")::get);
        CaseFilter.Page page = day.apply(rows, id -> false);
        assertThat(page.rows()).extracting(CaseRow::alertId).containsExactly("a-30");
        assertThat(page.page()).isEqualTo(1);
        assertThatThrownBy(() -> CaseFilter.from(Map.of("status", "closed")::get)).hasMessageContaining("open or decided");
    }
}
