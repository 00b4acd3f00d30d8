package io.refundguard.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.Decode;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.job.OutboundRecord;
import io.refundguard.job.ToOutbound;
import io.refundguard.patterns.PatternFinding;
import io.refundguard.patterns.RepeatRefunder;
import io.refundguard.patterns.RequestRecord;
import io.refundguard.patterns.RuleSet;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertViewsTest {
    private static final RuleSet RULES = Decode.CONFIG.rules();
    private static final String ALICE = TestEvents.hash("person:alice");

    private final List<RefundEvent> requests = new ArrayList<>();
    private Alert alert;

    private RefundEvent request(String platform, String requestId, String amount, Duration after) {
        RefundEvent event = Decode.event(TestEvents.request(platform, requestId)
                .person("alice").account(platform + "-acct-alice-" + requestId).amount(amount).after(after).json());
        requests.add(event);
        return event;
    }

    /** A cross-platform REPEAT_REFUNDER alert built the way the job builds it, triggered on jd. */
    @BeforeEach
    void buildAlert() {
        request("tb", "tb-req-1001", "100.50", Duration.ofDays(1));
        request("pdd", "pdd-req-3001", "999.99", Duration.ofDays(2));
        request("tb", "tb-req-1002", "200.00", Duration.ofDays(3));
        request("jd", "jd-req-2001", "300.00", Duration.ofDays(4));
        RefundEvent trigger = request("jd", "jd-req-2002", "50.25", Duration.ofDays(5));
        List<RequestRecord> history = requests.stream().map(r -> RequestRecord.of(r, false)).toList();
        PatternFinding finding = RepeatRefunder.evaluate(RULES.repeatRefunder(), RULES.amountTier(), history,
                trigger.occurredAt()).orElseThrow();
        alert = AlertFactory.build(finding, new Subject(SubjectKind.IDENTITY, ALICE), trigger, RULES, 0L);
        assertThat(alert.platforms()).containsExactly("jd", "pdd", "tb");
        assertThat(alert.requests()).hasSize(5);
    }

    private List<String> idsOf(RefundEvent r) {
        return List.of(r.requestId(), r.buyer().accountId(), r.orderId(), r.eventId());
    }

    @Test
    void eachViewListsOnlyItsOwnPlatformsRequests() {
        for (String platform : alert.platforms()) {
            Alert view = AlertViews.forPlatform(alert, platform);

            assertThat(view.requests()).as(platform).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.platform()).isEqualTo(platform))
                    .containsExactlyElementsOf(
                            alert.requests().stream().filter(r -> r.platform().equals(platform)).toList());
            assertThat(view.otherPlatforms()).extracting(PlatformSummary::platform)
                    .containsExactlyElementsOf(alert.platforms().stream().filter(p -> !p.equals(platform)).toList());
            assertThat(view.platforms()).isEqualTo(alert.platforms());
            assertThat(view.alertId()).isEqualTo(alert.alertId());
        }
    }

    @Test
    void otherPlatformsAreReducedToCountAmountAndTime() {
        Alert jdView = AlertViews.forPlatform(alert, "jd");
        Map<String, PlatformSummary> others = new TreeMap<>();
        jdView.otherPlatforms().forEach(s -> others.put(s.platform(), s));

        assertThat(others.get("tb")).isEqualTo(new PlatformSummary("tb", 2, "300.50", "CNY",
                "2026-11-02T10:00:00.000+08:00", "2026-11-04T10:00:00.000+08:00"));
        assertThat(others.get("pdd")).isEqualTo(new PlatformSummary("pdd", 1, "999.99", "CNY",
                "2026-11-03T10:00:00.000+08:00", "2026-11-03T10:00:00.000+08:00"));
        assertThat(others).doesNotContainKey("jd");
        BigDecimal viewTotal = new BigDecimal(jdView.amountTotal());
        assertThat(viewTotal).as("the alert's total stays the whole person's").isEqualByComparingTo("1650.74");
    }

    @Test
    void noViewContainsAnotherPlatformsIdsAnywhere() {
        String full = OutputJson.text(alert);
        for (RefundEvent r : requests) {
            assertThat(full).as("sanity: the operator's alert names every request").contains(r.requestId());
        }
        assertThat(full).doesNotContain("otherPlatforms");

        for (String platform : alert.platforms()) {
            String json = OutputJson.text(AlertViews.forPlatform(alert, platform));
            for (RefundEvent r : requests) {
                if (r.platform().equals(platform)) {
                    assertThat(json).as("%s sees its own request", platform)
                            .contains(r.requestId(), r.buyer().accountId());
                } else {
                    assertThat(json).as("%s view of %s", platform, r.requestId())
                            .doesNotContain(idsOf(r).toArray(String[]::new));
                }
            }
        }
    }

    @Test
    void aForeignTriggerIsReducedToItsPlatform() throws Exception {
        assertThat(AlertViews.forPlatform(alert, "jd").trigger())
                .isEqualTo(new Trigger("jd", "jd-req-2002", "jd-jd-req-2002"));
        assertThat(AlertViews.forPlatform(alert, "tb").trigger()).isEqualTo(new Trigger("jd", null, null));
        var trigger = OutputJson.mapper().readTree(OutputJson.text(AlertViews.forPlatform(alert, "pdd"))).get("trigger");
        assertThat(trigger.get("platform").asText()).isEqualTo("jd");
        assertThat(trigger.hasNonNull("requestId")).isFalse();
        assertThat(trigger.hasNonNull("eventId")).isFalse();
    }

    @Test
    void aFallbackPersonKeyIsShownOnlyToItsOwnPlatform() {
        Alert byAccount = new Alert(alert.alertId(), alert.pattern(), alert.severity(),
                new Subject(SubjectKind.IDENTITY, "tb:tb-acct-bob"), alert.trigger(), alert.platforms(),
                alert.requests(), alert.amountTotal(), alert.currency(), alert.legalTier(), alert.details(),
                alert.recommendedAction(), alert.ruleSetVersion(), alert.eventTime(), alert.detectedAt(), null);

        assertThat(AlertViews.forPlatform(byAccount, "tb").subject().key()).isEqualTo("tb:tb-acct-bob");
        assertThat(AlertViews.forPlatform(byAccount, "jd").subject())
                .isEqualTo(new Subject(SubjectKind.IDENTITY, "other-platform-account"));
        assertThat(OutputJson.text(AlertViews.forPlatform(byAccount, "jd"))).doesNotContain("tb-acct-bob");
        // An identity hash is the consortium's shared key, not a platform's id: every view keeps it.
        assertThat(AlertViews.forPlatform(alert, "pdd").subject().key()).isEqualTo(ALICE);
    }

    @Test
    void publishedViewsCarryNoForeignIdInKeyOrValue() throws Exception {
        Alert byAccount = new Alert(alert.alertId(), alert.pattern(), alert.severity(),
                new Subject(SubjectKind.IDENTITY, "tb:tb-acct-bob"), alert.trigger(), alert.platforms(),
                alert.requests(), alert.amountTotal(), alert.currency(), alert.legalTier(), alert.details(),
                alert.recommendedAction(), alert.ruleSetVersion(), alert.eventTime(), alert.detectedAt(), null);
        List<OutboundRecord> out = new ArrayList<>();
        ToOutbound.alerts(true).flatMap(byAccount, new ListCollector<>(out));

        assertThat(out).extracting(OutboundRecord::platform).containsExactly(null, "jd", "pdd", "tb");
        for (OutboundRecord record : out) {
            if (record.platform() == null || record.platform().equals("tb")) {
                continue;
            }
            String published = record.key() + "\n" + new String(record.value(), StandardCharsets.UTF_8);
            assertThat(published).as("view for %s", record.platform()).doesNotContain("tb-acct-bob", "tb-req-1001");
        }
    }
}
