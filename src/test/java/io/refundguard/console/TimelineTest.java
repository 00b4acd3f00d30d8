package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.alerts.LegalTier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineTest {
    static final Viewer ADMIN = new Viewer("admin", Viewer.Role.OPERATOR, null);
    static final Viewer TB = new Viewer("tb", Viewer.Role.ANALYST, "tb");

    @TempDir
    Path dir;

    /** A clock the test moves, so decisions get distinct times. */
    static final class SteppingClock extends Clock {
        Instant now = Instant.parse("2026-12-03T08:40:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static List<String> requests(Timeline timeline) {
        return timeline.entries().stream().map(e -> e.platform() + ":" + e.requestId()).toList();
    }

    static Timeline.Entry entry(Timeline timeline, String request) {
        return timeline.entries().stream().filter(e -> (e.platform() + ":" + e.requestId()).equals(request)).findFirst()
                .orElseThrow();
    }

    Timeline timeline(CaseBook book, Viewer viewer, String alertId, DecisionLog log) {
        return book.timeline(viewer, book.find(viewer, alertId).orElseThrow(), log == null ? id -> List.of() : log::history);
    }

    @Test
    void everyRequestOfEveryCaseOnTheSubjectOnceNewestFirst() throws Exception {
        CaseBook book = CaseBook.load(TimelineFolder.write(dir.resolve("replay")));
        Timeline timeline = timeline(book, ADMIN, ReplayFolder.REPEAT, null);

        assertThat(timeline.subject()).isEqualTo("IDENTITY:" + TimelineFolder.PERSON);
        assertThat(requests(timeline)).containsExactly("tb:T-8900", "jd:J-5600", "tb:T-8835", "pdd:2611140190534",
                "jd:J-5521", "tb:T-8810");
        // T-8835 is in both cases, listed once with both.
        assertThat(entry(timeline, "tb:T-8835").cases()).extracting(Timeline.CaseRef::alertId)
                .containsExactly(ReplayFolder.REPEAT, TimelineFolder.SECOND);
        assertThat(entry(timeline, "tb:T-8835").inThisCase()).isTrue();
        assertThat(entry(timeline, "jd:J-5600").inThisCase()).isFalse();
        assertThat(entry(timeline, "jd:J-5600").accountId()).isEqualTo("jd_88120934");
        // The other cases of the folder are on other subjects.
        assertThat(timeline.entries()).flatExtracting(Timeline.Entry::cases).extracting(Timeline.CaseRef::alertId)
                .doesNotContain(ReplayFolder.AI_JD, ReplayFolder.REUSE_TB);

        Timeline.Totals totals = timeline.totals();
        assertThat(totals.requests()).isEqualTo(6);
        assertThat(totals.platforms()).isEqualTo(3);
        assertThat(totals.cases()).isEqualTo(2);
        assertThat(totals.amounts()).containsOnlyKeys("CNY");
        assertThat(totals.amounts().get("CNY")).isEqualByComparingTo("5376.50");
        assertThat(totals.legalTier()).isEqualTo(LegalTier.LARGE);
        assertThat(TimelineViews.words(totals, Messages.of("en")))
                .isEqualTo("6 requests on 3 platforms, 5,376.50 CNY, across 2 cases, legal tier LARGE (数额较大)");
        assertThat(TimelineViews.words(totals, Messages.of("zh")))
                .isEqualTo("3个平台上6次申请，5,376.50 CNY，涉及2个案件，法定档次 LARGE（数额较大）");

        // The same timeline from the other case's page.
        assertThat(requests(timeline(book, ADMIN, TimelineFolder.SECOND, null))).isEqualTo(requests(timeline));
    }

    @Test
    void eachRequestCarriesItsVerdictWhenTheViewHasIt() throws Exception {
        CaseBook book = CaseBook.load(TimelineFolder.write(dir.resolve("replay")));
        Timeline timeline = timeline(book, ADMIN, ReplayFolder.REPEAT, null);

        assertThat(entry(timeline, "tb:T-8810").verdict()).isEqualTo(new SubjectIndex.VerdictMark("ALLOW", 15));
        assertThat(entry(timeline, "tb:T-8835").verdict()).isEqualTo(new SubjectIndex.VerdictMark("HOLD_FOR_MANUAL_REVIEW", 82));
        assertThat(entry(timeline, "tb:T-8900").verdict()).isEqualTo(new SubjectIndex.VerdictMark("HOLD_FOR_MANUAL_REVIEW", 90));
        assertThat(entry(timeline, "jd:J-5521").verdict()).isNull();
    }

    @Test
    void eachRequestCarriesTheLatestDecisionThatCoversIt() throws Exception {
        CaseBook book = CaseBook.load(TimelineFolder.write(dir.resolve("replay")));
        SteppingClock clock = new SteppingClock();
        Path outcomes = dir.resolve("outcomes.jsonl");
        DecisionLog log = DecisionLog.open(outcomes, DecisionLog.journalOf(outcomes), clock);
        log.decide(ADMIN, ReplayFolder.REPEAT, CaseJson.parse(book.find(ADMIN, ReplayFolder.REPEAT).orElseThrow().line()),
                Disposition.FRAUD, "");
        clock.now = clock.now.plusSeconds(60);
        // tb vouches for tb's requests of the second case only.
        log.decide(TB, TimelineFolder.SECOND, CaseJson.parse(book.find(TB, TimelineFolder.SECOND).orElseThrow().line()),
                Disposition.LEGITIMATE, "");

        Timeline timeline = timeline(book, ADMIN, ReplayFolder.REPEAT, log);
        assertThat(entry(timeline, "tb:T-8835").decision())
                .isEqualTo(new Timeline.DecisionMark(TimelineFolder.SECOND, Disposition.LEGITIMATE, "tb", "2026-12-03T08:41:00.000Z"));
        assertThat(entry(timeline, "tb:T-8900").decision().verdict()).isEqualTo(Disposition.LEGITIMATE);
        assertThat(entry(timeline, "jd:J-5521").decision())
                .isEqualTo(new Timeline.DecisionMark(ReplayFolder.REPEAT, Disposition.FRAUD, "admin", "2026-12-03T08:40:00.000Z"));
        assertThat(entry(timeline, "jd:J-5600").decision()).isNull();

        clock.now = clock.now.plusSeconds(60);
        log.decide(ADMIN, TimelineFolder.SECOND, CaseJson.parse(book.find(ADMIN, TimelineFolder.SECOND).orElseThrow().line()),
                Disposition.NEEDS_INFORMATION, "ask jd");
        // No event, but it is about the whole case as the decider saw it.
        assertThat(entry(timeline(book, ADMIN, ReplayFolder.REPEAT, log), "jd:J-5600").decision().verdict())
                .isEqualTo(Disposition.NEEDS_INFORMATION);
    }

    @Test
    void anAnalystSeesOnlyTheirPlatformsRequestsAndTheOthersAsLowerBounds() throws Exception {
        CaseBook book = CaseBook.load(TimelineFolder.write(dir.resolve("replay")));
        Timeline timeline = timeline(book, TB, ReplayFolder.REPEAT, null);

        assertThat(requests(timeline)).containsExactly("tb:T-8900", "tb:T-8835", "tb:T-8810");
        assertThat(entry(timeline, "tb:T-8810").verdict()).isEqualTo(new SubjectIndex.VerdictMark("ALLOW", 15));
        assertThat(timeline.otherPlatforms()).extracting(Timeline.OtherPlatform::platform).containsExactly("jd", "pdd");
        Timeline.OtherPlatform jd = timeline.otherPlatforms().get(0);
        // Case one says jd: 1 request of 899.00, case two: 1 of 1,500.00; no ids, so at least the larger.
        assertThat(jd.requestsAtLeast()).isEqualTo(1);
        assertThat(jd.amountAtLeast()).isEqualByComparingTo("1500.00");
        assertThat(jd.firstOccurredAt()).isEqualTo("2026-11-08T13:22:47.000+08:00");
        assertThat(jd.lastOccurredAt()).isEqualTo("2026-11-25T09:00:00.000+08:00");
        assertThat(jd.alertIds()).containsExactly(ReplayFolder.REPEAT, TimelineFolder.SECOND);
        assertThat(TimelineViews.words(timeline.totals(), Messages.of("en")))
                .isEqualTo("at least 5 requests on 3 platforms, at least 4,477.50 CNY, across 2 cases, legal tier LARGE (数额较大)");

        String shown = TimelineViews.json(timeline, Messages.of("en")).toString();
        assertThat(shown).doesNotContain("J-5521", "J-5600", "jd_88120934", "2611140190534", "pdd_u_5512");
    }

    @Test
    void liveTheIndexGrowsAsAlertsAndVerdictsArriveInAnyOrder() {
        Map<String, List<String>> lines = TimelineFolder.folder().lines();
        CaseBook book = CaseBook.empty(List.of("jd", "pdd", "tb"), 100);
        // T-8810's verdict and the first case's trigger verdict come before any alert.
        lines.get("verdicts").forEach(v -> {
            if (!v.contains("T-8900")) {
                assertThat(book.addVerdict(CaseBook.OPERATOR_VIEW, v)).isNull();
            }
        });
        lines.get("alerts").forEach(a -> assertThat(book.addAlert(CaseBook.OPERATOR_VIEW, a)).isNull());
        lines.get("verdicts").stream().filter(v -> v.contains("T-8900"))
                .forEach(v -> assertThat(book.addVerdict(CaseBook.OPERATOR_VIEW, v)).isNull());

        Timeline timeline = timeline(book, ADMIN, TimelineFolder.SECOND, null);
        assertThat(requests(timeline)).hasSize(6);
        assertThat(entry(timeline, "tb:T-8810").verdict()).isEqualTo(new SubjectIndex.VerdictMark("ALLOW", 15));
        assertThat(entry(timeline, "tb:T-8900").verdict().riskScore()).isEqualTo(90);
    }

    @Test
    void aSubjectWithMoreRequestsThanAPageShowsTheNewestAndCountsAll() {
        ReplayFolder folder = new ReplayFolder();
        for (int i = 0; i < Timeline.MAX_ENTRIES + 20; i++) {
            String time = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(3600L * i).atOffset(ZoneOffset.ofHours(8)).toString();
            folder.alert(String.format("a-%04d", i), "MERCHANT_BURST", "MEDIUM", "MERCHANT", "tb:m-1",
                    List.of(new ReplayFolder.Request("tb", "T-" + i, "u" + i, "10.00", time)), "ADMINISTRATIVE", Map.of(),
                    "r1", 40);
        }
        CaseBook book = CaseBook.empty(List.of("tb"), 10);
        folder.lines().get("alerts").forEach(a -> book.addAlert(CaseBook.OPERATOR_VIEW, a));
        Timeline timeline = timeline(book, ADMIN, "a-0000", null);
        assertThat(timeline.entries()).hasSize(Timeline.MAX_ENTRIES);
        assertThat(timeline.entries().get(0).requestId()).isEqualTo("T-" + (Timeline.MAX_ENTRIES + 19));
        assertThat(timeline.truncated()).isTrue();
        assertThat(timeline.totals().requests()).isEqualTo(Timeline.MAX_ENTRIES + 20);
        assertThat(timeline.totals().legalTier()).isEqualTo(LegalTier.LARGE);
    }
}
