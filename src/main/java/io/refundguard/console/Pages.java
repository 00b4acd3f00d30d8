package io.refundguard.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The server-rendered pages (Thymeleaf templates under {@code console/templates/}). Templates get
 * plain maps and lists built here, so they only lay out text and every value is escaped by
 * Thymeleaf's {@code th:text}.
 */
final class Pages {
    static final List<String> SEVERITIES = List.of("LOW", "MEDIUM", "HIGH", "CRITICAL");
    static final List<String> PATTERNS = List.of("REPEAT_REFUNDER", "AMOUNT_TIER", "IMAGE_REUSE", "CATALOG_IMAGE_MATCH",
            "AI_GENERATED_EVIDENCE", "SHARED_ATTRIBUTE_RING", "MERCHANT_BURST", "AUTOMATIC_APPROVAL_AFTER_HOLD");

    private final TemplateEngine engine = new TemplateEngine();

    Pages() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(Pages.class.getClassLoader());
        resolver.setPrefix("console/templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
    }

    private String render(String template, Messages m, Sessions.Session session, Map<String, Object> variables) {
        Context context = new Context(Locale.forLanguageTag(m.lang()));
        context.setVariable("t", m.all());
        context.setVariable("lang", m.lang());
        if (session != null) {
            context.setVariable("user", session.viewer().name());
            context.setVariable("userPlatform", session.viewer().platform());
            context.setVariable("csrf", session.csrf());
        }
        variables.forEach(context::setVariable);
        return engine.process(template, context);
    }

    String login(Messages m, boolean failed, boolean expired, String loginCsrf) {
        return render("login", m, null, Map.of("failed", failed, "expired", expired, "loginCsrf", loginCsrf));
    }

    String notFound(Messages m, Sessions.Session session) {
        return render("notfound", m, session, Map.of());
    }

    String inbox(Messages m, Sessions.Session session, CaseFilter filter, CaseFilter.Page page,
            Map<String, Decision> latest, List<String> platforms) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CaseRow row : page.rows()) {
            Map<String, Object> r = new HashMap<>();
            r.put("alertId", row.alertId());
            r.put("time", row.eventTime().toString().replace('T', ' '));
            r.put("pattern", m.get("pattern." + row.pattern()));
            r.put("severity", row.severity());
            r.put("summary", CaseWords.summary(CaseJson.parse(row.line()), m));
            Decision d = latest.get(row.alertId());
            r.put("status", d == null ? m.get("inbox.status.open") : m.get("case.decision." + d.verdict().name()));
            r.put("decided", d != null);
            rows.add(r);
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        page.countsByPattern().forEach((pattern, n) -> counts.put(pattern, n));
        Map<String, Object> v = new HashMap<>();
        v.put("rows", rows);
        v.put("filter", filterValues(filter));
        v.put("page", page.page());
        v.put("pages", page.pages());
        v.put("total", page.total());
        v.put("previous", page.page() > 1 ? filter.query(page.page() - 1) : null);
        v.put("next", page.page() < page.pages() ? filter.query(page.page() + 1) : null);
        v.put("counts", counts);
        v.put("patterns", PATTERNS);
        v.put("severities", SEVERITIES);
        v.put("platforms", session.viewer().platform() == null ? platforms : List.of(session.viewer().platform()));
        return render("inbox", m, session, v);
    }

    private static Map<String, String> filterValues(CaseFilter f) {
        Map<String, String> values = new HashMap<>();
        values.put("pattern", f.pattern() == null ? "" : f.pattern());
        values.put("severity", f.severity() == null ? "" : f.severity());
        values.put("status", f.status() == null ? "" : f.status());
        values.put("platform", f.platform() == null ? "" : f.platform());
        values.put("from", f.from() == null ? "" : f.from().toString());
        values.put("to", f.to() == null ? "" : f.to().toString());
        return values;
    }

    /** The case page with a timeline of the case's own requests only (no index at hand). */
    String casePage(Messages m, Sessions.Session session, CaseRow row, JsonNode alert, Optional<String> verdictLine,
            List<Decision> history) {
        return casePage(m, session, row, alert, verdictLine, history,
                Timeline.build(row, List.of(row), request -> null, alertId -> alertId.equals(row.alertId()) ? history : List.of()),
                null);
    }

    /** @param photos the photo block ({@link PhotoPanel}), or null when the case has no photos */
    String casePage(Messages m, Sessions.Session session, CaseRow row, JsonNode alert, Optional<String> verdictLine,
            List<Decision> history, Timeline timeline, Map<String, Object> photos) {
        Map<String, Object> v = new HashMap<>();
        v.put("alertId", row.alertId());
        v.put("photos", photos);
        v.put("summary", CaseWords.summary(alert, m));
        v.put("pattern", m.get("pattern." + row.pattern()) + " (" + row.pattern() + ")");
        v.put("severity", row.severity());
        v.put("subject", alert.path("subject").path("kind").asText() + " " + alert.path("subject").path("key").asText());
        JsonNode trigger = alert.path("trigger");
        v.put("trigger", trigger.path("platform").asText() + (trigger.hasNonNull("requestId")
                ? ":" + trigger.path("requestId").asText() : "") + " @ " + alert.path("eventTime").asText());
        v.put("platforms", String.join(", ", row.platforms()));
        v.put("amount", row.amountTotal() == null ? "–" : CaseWords.amount(row.amountTotal(), row.currency()));
        v.put("legalTier", row.legalTier() == null ? "–" : CaseWords.tierName(row.legalTier(), m));
        v.put("action", alert.path("recommendedAction").asText("–"));
        v.put("ruleSet", alert.path("ruleSetVersion").asText("–"));
        v.put("detectedAt", alert.path("detectedAt").asText("–"));
        List<Map<String, String>> requests = new ArrayList<>();
        for (JsonNode r : alert.path("requests")) {
            Map<String, String> line = new HashMap<>();
            line.put("platform", r.path("platform").asText());
            line.put("requestId", r.path("requestId").asText("–"));
            line.put("accountId", r.path("accountId").asText("–"));
            line.put("amount", CaseWords.amount(r.path("amount").asText(), r.path("currency").asText("")));
            line.put("occurredAt", r.path("occurredAt").asText());
            requests.add(line);
        }
        requests.sort(Comparator.comparing(r -> java.time.OffsetDateTime.parse(r.get("occurredAt")).toInstant()));
        v.put("requests", requests);
        List<Map<String, String>> others = new ArrayList<>();
        for (JsonNode o : alert.path("otherPlatforms")) {
            others.add(Map.of("platform", o.path("platform").asText(),
                    "count", o.path("requestCount").asText(),
                    "amount", CaseWords.amount(o.path("amountTotal").asText(), o.path("currency").asText("")),
                    "first", o.path("firstOccurredAt").asText(), "last", o.path("lastOccurredAt").asText()));
        }
        v.put("others", others);
        List<Map<String, String>> details = new ArrayList<>();
        alert.path("details").fields().forEachRemaining(e -> details.add(Map.of("key", e.getKey(),
                "value", e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString())));
        v.put("details", details);
        v.put("regionFigures", CaseFigures.regions(alert.path("details")));
        v.put("ring", CaseFigures.ring(row.pattern(), alert.path("details")).orElse(null));
        if (verdictLine.isPresent()) {
            JsonNode verdict = CaseJson.parse(verdictLine.get());
            v.put("score", verdict.path("riskScore").asText());
            v.put("verdictAction", verdict.path("recommendedAction").asText());
            List<String> reasons = new ArrayList<>();
            verdict.path("reasons").forEach(r -> reasons.add(r.isObject()
                    ? r.path("pattern").asText() + " " + r.path("severity").asText() + " (" + r.path("weight").asText() + ")"
                    : r.asText()));
            v.put("reasons", String.join(", ", reasons));
        }
        List<Map<String, String>> decisions = new ArrayList<>();
        for (Decision d : history) {
            decisions.add(Map.of("verdict", m.get("case.decision." + d.verdict().name()), "user", d.user(),
                    "at", d.decidedAt(), "note", d.note(), "events", Integer.toString(d.outcomeEventIds().size())));
        }
        v.put("decisions", decisions);
        v.put("choices", List.of(Disposition.values()).stream().map(Enum::name).toList());
        v.put("timeline", TimelineViews.page(timeline, m));
        return render("case", m, session, v);
    }

    String quality(Messages m, Sessions.Session session, Quality.Report report) {
        Map<String, Object> v = new HashMap<>();
        v.put("lines", report.lines());
        v.put("total", report.total());
        v.put("perDay", report.alertsPerDay());
        v.put("labelsName", report.labelsName());
        return render("quality", m, session, v);
    }
}
