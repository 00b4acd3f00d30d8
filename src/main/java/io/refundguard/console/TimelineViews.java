package io.refundguard.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The person's timeline as the API's {@code timeline} object and as the case page's rows, with its totals in words. */
final class TimelineViews {
    private TimelineViews() {}

    /**
     * "7 requests on 3 platforms, 4,120.00 CNY, across 3 cases, legal tier LARGE (数额较大)"; with
     * other platforms' summaries in the view, "at least …" since those only bound the count.
     */
    static String words(Timeline.Totals totals, Messages m) {
        String amount = totals.amounts().isEmpty() ? m.get("timeline.noAmount") : amounts(totals.amounts());
        StringBuilder words = new StringBuilder(m.format(totals.atLeast() ? "timeline.words.atLeast" : "timeline.words",
                totals.requests(), totals.platforms(), amount, totals.cases()));
        if (totals.legalTier() != null) {
            words.append(m.lang().equals(Messages.CHINESE) ? "，" : ", ").append(CaseWords.tier(totals.legalTier().name(), m));
        }
        return words.toString();
    }

    /** "4,120.00 CNY" or, with several currencies, "4,120.00 CNY + 12.00 USD". */
    static String amounts(Map<String, BigDecimal> amounts) {
        return amounts.entrySet().stream().map(e -> CaseWords.amount(e.getValue().toPlainString(), e.getKey()))
                .collect(Collectors.joining(" + "));
    }

    static ObjectNode json(Timeline timeline, Messages m) {
        ObjectNode node = CaseJson.mapper().createObjectNode();
        node.put("subject", timeline.subject());
        node.put("order", "newestFirst");
        ArrayNode entries = node.putArray("entries");
        for (Timeline.Entry e : timeline.entries()) {
            ObjectNode entry = entries.addObject();
            entry.put("occurredAt", e.occurredAt());
            entry.put("platform", e.platform());
            entry.put("requestId", e.requestId());
            entry.put("accountId", e.accountId());
            entry.put("amount", e.amount());
            entry.put("currency", e.currency());
            entry.put("inThisCase", e.inThisCase());
            if (e.verdict() == null) {
                entry.putNull("verdict");
            } else {
                entry.putObject("verdict").put("recommendedAction", e.verdict().recommendedAction())
                        .put("riskScore", e.verdict().riskScore());
            }
            ArrayNode cases = entry.putArray("cases");
            for (Timeline.CaseRef c : e.cases()) {
                cases.addObject().put("alertId", c.alertId()).put("pattern", c.pattern()).put("eventTime", c.eventTime())
                        .put("link", "/api/cases/" + encode(c.alertId()));
            }
            if (e.decision() == null) {
                entry.putNull("decision");
            } else {
                entry.putObject("decision").put("alertId", e.decision().alertId())
                        .put("verdict", e.decision().verdict().name()).put("user", e.decision().user())
                        .put("decidedAt", e.decision().decidedAt());
            }
        }
        ArrayNode others = node.putArray("otherPlatforms");
        for (Timeline.OtherPlatform o : timeline.otherPlatforms()) {
            ObjectNode other = others.addObject();
            other.put("platform", o.platform());
            other.put("requestCountAtLeast", o.requestsAtLeast());
            other.put("amountTotalAtLeast", o.amountAtLeast().toPlainString());
            other.put("currency", o.currency());
            other.put("firstOccurredAt", o.firstOccurredAt());
            other.put("lastOccurredAt", o.lastOccurredAt());
            o.alertIds().forEach(other.putArray("alertIds")::add);
        }
        Timeline.Totals t = timeline.totals();
        ObjectNode totals = node.putObject("totals");
        totals.put("requests", t.requests());
        totals.put("listedRequests", t.listedRequests());
        totals.put("platforms", t.platforms());
        totals.put("cases", t.cases());
        totals.put("otherPlatformRequestsAtLeast", t.otherRequestsAtLeast());
        totals.put("atLeast", t.atLeast());
        ArrayNode amounts = totals.putArray("amounts");
        t.amounts().forEach((currency, amount) -> amounts.addObject().put("amount", amount.toPlainString()).put("currency", currency));
        totals.put("legalTier", t.legalTier() == null ? null : t.legalTier().name());
        totals.put("summary", words(t, m));
        totals.put("entriesShown", timeline.entries().size());
        totals.put("truncated", timeline.truncated());
        return node;
    }

    /** Plain maps for the template, every text already in the reader's language. */
    static Map<String, Object> page(Timeline timeline, Messages m) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Timeline.Entry e : timeline.entries()) {
            Map<String, Object> row = new HashMap<>();
            row.put("time", e.occurredAt() == null ? "–" : e.occurredAt().replace('T', ' '));
            row.put("platform", e.platform());
            row.put("requestId", e.requestId());
            row.put("accountId", e.accountId() == null ? "–" : e.accountId());
            row.put("amount", e.amount() == null ? "–" : CaseWords.amount(e.amount(), e.currency()));
            row.put("verdict", e.verdict() == null ? m.get("timeline.noVerdict")
                    : m.format("timeline.verdict", m.get("timeline.action." + e.verdict().recommendedAction()),
                            e.verdict().riskScore()));
            row.put("decision", e.decision() == null ? m.get("timeline.undecided")
                    : m.format("timeline.decision", m.get("case.decision." + e.decision().verdict().name()),
                            e.decision().user(), e.decision().decidedAt()));
            row.put("decided", e.decision() != null);
            row.put("current", e.inThisCase());
            List<Map<String, String>> cases = new ArrayList<>();
            for (Timeline.CaseRef c : e.cases()) {
                cases.add(Map.of("alertId", c.alertId(), "pattern", m.get("pattern." + c.pattern()),
                        "href", "/cases/" + encode(c.alertId())));
            }
            row.put("cases", cases);
            rows.add(row);
        }
        List<Map<String, String>> others = new ArrayList<>();
        for (Timeline.OtherPlatform o : timeline.otherPlatforms()) {
            others.add(Map.of("platform", o.platform(),
                    "count", m.format("timeline.atLeast", Integer.toString(o.requestsAtLeast())),
                    "amount", m.format("timeline.atLeast", CaseWords.amount(o.amountAtLeast().toPlainString(), o.currency())),
                    "span", (o.firstOccurredAt() == null ? "?" : o.firstOccurredAt()) + " – "
                            + (o.lastOccurredAt() == null ? "?" : o.lastOccurredAt()),
                    "cases", String.join(", ", o.alertIds())));
        }
        Map<String, Object> v = new HashMap<>();
        v.put("rows", rows);
        v.put("others", others);
        v.put("words", words(timeline.totals(), m));
        v.put("truncated", timeline.truncated()
                ? m.format("timeline.truncated", timeline.entries().size(), timeline.totals().listedRequests())
                : null);
        return v;
    }

    private static String encode(String alertId) {
        return URLEncoder.encode(alertId, StandardCharsets.UTF_8);
    }
}
