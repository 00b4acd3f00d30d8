package io.refundguard.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A small {@code replay} output folder written the way the detector writes one: the operator's
 * {@code alerts.jsonl}, each involved platform's {@code alerts.<platform>.jsonl} with the other
 * platforms reduced to counts, and the verdicts of the triggers.
 */
final class ReplayFolder {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** The README's example: one person, four refund-only requests on three platforms, LARGE. */
    static final String REPEAT = "a-5d0c6f2e9b8a41d7c3e2f10a9b8c7d6e";
    /** AI-generated evidence on jd only. */
    static final String AI_JD = "a-00000000000000000000000000000a1d";
    /** A photo reused on tb, the oldest case. */
    static final String REUSE_TB = "a-00000000000000000000000000000b2e";

    record Request(String platform, String requestId, String accountId, String amount, String occurredAt) {}

    private final Map<String, List<String>> files = new TreeMap<>();

    static Path writeSample(Path dir) throws IOException {
        sample().write(dir);
        return dir;
    }

    /** The sample's lines by file name without {@code .jsonl}: {@code alerts}, {@code alerts.tb}, {@code verdicts}… */
    Map<String, List<String>> lines() {
        return files;
    }

    static ReplayFolder sample() {
        ReplayFolder folder = new ReplayFolder();
        folder.alert(REPEAT, "REPEAT_REFUNDER", "HIGH", "IDENTITY", "3fc21afb18b3c47f422a83bf71e5fe48978393fcfd4153b51a70eb8fad56b750",
                List.of(new Request("tb", "T-8810", "tb_u_7781", "1299.00", "2026-11-02T21:40:05.000+08:00"),
                        new Request("jd", "J-5521", "jd_88120934", "899.00", "2026-11-08T13:22:47.000+08:00"),
                        new Request("pdd", "2611140190534", "pdd_u_5512", "459.50", "2026-11-14T19:05:12.000+08:00"),
                        new Request("tb", "T-8835", "tb_u_7781", "699.00", "2026-11-20T10:15:30.123+08:00")),
                "LARGE", Map.of("requestCount", 4, "minRequests", 4, "window", "30d", "platformCount", 3),
                "2026-11-22.1", 82);
        folder.alert(AI_JD, "AI_GENERATED_EVIDENCE", "CRITICAL", "IDENTITY", "aa".repeat(32),
                List.of(new Request("jd", "J-7001", "jd_5550001", "488.41", "2026-11-18T09:43:17.529+08:00")),
                "ADMINISTRATIVE", Map.of("marks", "aigcLabel 1"), "2026-11-22.1", 80);
        folder.alert(REUSE_TB, "IMAGE_REUSE", "HIGH", "IDENTITY", "bb".repeat(32),
                List.of(new Request("tb", "T-7001", "tb_u_1", "120.00", "2026-10-03T08:00:00.000+08:00"),
                        new Request("tb", "T-7002", "tb_u_1", "130.00", "2026-10-05T08:00:00.000+08:00")),
                "ADMINISTRATIVE", Map.of("distance", 4), "2026-11-01.1", 60);
        return folder;
    }

    void alert(String alertId, String pattern, String severity, String subjectKind, String subjectKey,
            List<Request> requests, String tier, Map<String, Object> details, String ruleSet, int score) {
        alert(alertId, pattern, severity, subjectKind, subjectKey, requests, tier, details, platform -> details, ruleSet, score);
    }

    /** @param detailsInView each platform's view of the details (the operator's are {@code details}) */
    void alert(String alertId, String pattern, String severity, String subjectKind, String subjectKey,
            List<Request> requests, String tier, Map<String, Object> details,
            java.util.function.Function<String, Map<String, Object>> detailsInView, String ruleSet, int score) {
        Request trigger = requests.get(requests.size() - 1);
        TreeSet<String> platforms = new TreeSet<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Request r : requests) {
            platforms.add(r.platform());
            total = total.add(new BigDecimal(r.amount()));
        }
        files.computeIfAbsent("alerts", k -> new ArrayList<>())
                .add(alertJson(alertId, pattern, severity, subjectKind, subjectKey, trigger, trigger.platform(), platforms,
                        requests, total, tier, details, ruleSet, null, trigger.occurredAt()).toString());
        for (String platform : platforms) {
            List<Request> own = requests.stream().filter(r -> r.platform().equals(platform)).toList();
            Map<String, List<Request>> others = new TreeMap<>();
            requests.stream().filter(r -> !r.platform().equals(platform))
                    .forEach(r -> others.computeIfAbsent(r.platform(), k -> new ArrayList<>()).add(r));
            files.computeIfAbsent("alerts." + platform, k -> new ArrayList<>())
                    .add(alertJson(alertId, pattern, severity, subjectKind, subjectKey,
                            trigger.platform().equals(platform) ? trigger : null, trigger.platform(), platforms, own, total,
                            tier, detailsInView.apply(platform), ruleSet, others, trigger.occurredAt()).toString());
        }
        ObjectNode verdict = MAPPER.createObjectNode();
        verdict.put("platform", trigger.platform());
        verdict.put("requestId", trigger.requestId());
        verdict.put("riskScore", score);
        verdict.put("recommendedAction", "HOLD_FOR_MANUAL_REVIEW");
        verdict.putArray("reasons").addObject().put("pattern", pattern).put("severity", severity).put("weight", score);
        verdict.putArray("alertIds").add(alertId);
        files.computeIfAbsent("verdicts", k -> new ArrayList<>()).add(verdict.toString());
        files.computeIfAbsent("verdicts." + trigger.platform(), k -> new ArrayList<>()).add(verdict.toString());
    }

    private static ObjectNode alertJson(String alertId, String pattern, String severity, String subjectKind, String subjectKey,
            Request trigger, String triggerPlatform, TreeSet<String> platforms, List<Request> requests, BigDecimal total,
            String tier, Map<String, Object> details, String ruleSet, Map<String, List<Request>> others, String eventTime) {
        ObjectNode a = MAPPER.createObjectNode();
        a.put("alertId", alertId);
        a.put("pattern", pattern);
        a.put("severity", severity);
        a.putObject("subject").put("kind", subjectKind).put("key", subjectKey);
        ObjectNode t = a.putObject("trigger");
        t.put("platform", triggerPlatform);
        t.put("requestId", trigger == null ? null : trigger.requestId());
        t.put("eventId", trigger == null ? null : triggerPlatform + "-ev-" + trigger.requestId());
        ArrayNode ps = a.putArray("platforms");
        platforms.forEach(ps::add);
        ArrayNode rs = a.putArray("requests");
        for (Request r : requests) {
            rs.addObject().put("platform", r.platform()).put("requestId", r.requestId()).put("accountId", r.accountId())
                    .put("amount", r.amount()).put("currency", "CNY").put("occurredAt", r.occurredAt());
        }
        a.put("amountTotal", total.toPlainString());
        a.put("currency", "CNY");
        a.put("legalTier", tier);
        a.set("details", MAPPER.valueToTree(new LinkedHashMap<>(details)));
        a.put("recommendedAction", "HOLD_FOR_MANUAL_REVIEW");
        a.put("ruleSetVersion", ruleSet);
        a.put("eventTime", eventTime);
        a.put("detectedAt", "2026-11-20T02:15:31.207Z");
        if (others != null) {
            ArrayNode op = a.putArray("otherPlatforms");
            others.forEach((platform, list) -> {
                BigDecimal sum = list.stream().map(r -> new BigDecimal(r.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
                op.addObject().put("platform", platform).put("requestCount", list.size()).put("amountTotal", sum.toPlainString())
                        .put("currency", "CNY").put("firstOccurredAt", list.get(0).occurredAt())
                        .put("lastOccurredAt", list.get(list.size() - 1).occurredAt());
            });
        }
        return a;
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (var e : files.entrySet()) {
            Files.write(dir.resolve(e.getKey() + ".jsonl"), e.getValue());
        }
    }
}
