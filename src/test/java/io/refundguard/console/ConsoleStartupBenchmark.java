package io.refundguard.console;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Start-up time of the console over a replay folder with N cases (default 100,000): writes the
 * folder (operator alerts, four platform views, two verdicts per case), then times reading it and
 * starting the server until the first authenticated {@code GET /api/cases?page=1} answers, and
 * prints one line. Run: {@code java -cp target/classes:target/test-classes:$(cat target/test.classpath)
 * io.refundguard.console.ConsoleStartupBenchmark [N]}.
 */
public final class ConsoleStartupBenchmark {
    private static final String[] PLATFORMS = {"tb", "jd", "pdd", "dy"};
    private static final String[] PATTERNS = {"REPEAT_REFUNDER", "AMOUNT_TIER", "IMAGE_REUSE", "CATALOG_IMAGE_MATCH",
        "AI_GENERATED_EVIDENCE", "SHARED_ATTRIBUTE_RING", "MERCHANT_BURST"};

    private ConsoleStartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("console-startup");
        write(dir, n);
        long bytes;
        try (var files = Files.list(dir)) {
            bytes = files.mapToLong(f -> f.toFile().length()).sum();
        }
        StartupClock clock = StartupClock.start();
        try (ConsoleServer server = ConsoleApiTest.startServer(dir, dir.resolve("outcomes.jsonl"))) {
            System.out.printf("console start-up: %d cases (%d MB of replay files) ready and %s%n", n, bytes >> 20,
                    clock.firstQueryAnswered(server, "all threads"));
        }
    }

    /** From just before the console opens to its first answered query: wall time, CPU, heap. */
    record StartupClock(com.sun.management.OperatingSystemMXBean os, long cpuStart, long startNanos) {
        static StartupClock start() {
            System.gc();
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            return new StartupClock(os, os.getProcessCpuTime(), System.nanoTime());
        }

        /** Asks the operator's first page of critical cases, and says how long it took to get there. */
        String firstQueryAnswered(ConsoleServer server, String whoseCpu) throws Exception {
            HttpResponse<String> first = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/cases?severity=CRITICAL"))
                    .header("Authorization", ConsoleApiTest.basic("admin", "admin-secret")).build(),
                    HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - startNanos) / 1_000_000;
            long cpuMs = (os.getProcessCpuTime() - cpuStart) / 1_000_000;
            System.gc();
            long heapMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
            return String.format("first query answered (HTTP %d) in %d ms wall, %d ms CPU (%s); heap after GC %d MB",
                    first.statusCode(), ms, cpuMs, whoseCpu, heapMb);
        }
    }

    static void write(Path dir, int n) throws IOException {
        Map<String, BufferedWriter> out = new HashMap<>();
        try {
            for (String name : new String[] {"alerts", "verdicts"}) {
                out.put(name, Files.newBufferedWriter(dir.resolve(name + ".jsonl"), StandardCharsets.UTF_8));
                for (String p : PLATFORMS) {
                    out.put(name + "." + p, Files.newBufferedWriter(dir.resolve(name + "." + p + ".jsonl"), StandardCharsets.UTF_8));
                }
            }
            for (int i = 0; i < n; i++) {
                String p1 = PLATFORMS[i % 4];
                String p2 = PLATFORMS[(i / 4) % 4];
                String pattern = PATTERNS[i % PATTERNS.length];
                String time = String.format("2026-%02d-%02dT%02d:%02d:00.000+08:00", 9 + (i / 40_000) % 3, 1 + (i / 1300) % 28,
                        (i / 60) % 24, i % 60);
                String id = String.format("a-%032x", i);
                String r1 = req(p1, "R" + i, time);
                String r2 = req(p2, "S" + i, time);
                String common = "\"alertId\":\"" + id + "\",\"pattern\":\"" + pattern + "\",\"severity\":\""
                        + (i % 5 == 0 ? "CRITICAL" : "HIGH") + "\",\"subject\":{\"kind\":\"IDENTITY\",\"key\":\""
                        + String.format("%064x", i) + "\"},\"trigger\":{\"platform\":\"" + p1 + "\",\"requestId\":\"R" + i
                        + "\",\"eventId\":\"e" + i + "\"},\"platforms\":[\"" + p1 + "\"" + (p2.equals(p1) ? "" : ",\"" + p2 + "\"")
                        + "],";
                String tail = ",\"amountTotal\":\"3356.50\",\"currency\":\"CNY\",\"legalTier\":\"LARGE\",\"details\":{\"requestCount\":4,"
                        + "\"minRequests\":4,\"window\":\"30d\",\"platformCount\":2},\"recommendedAction\":\"HOLD_FOR_MANUAL_REVIEW\","
                        + "\"ruleSetVersion\":\"2026-11-22.1\",\"eventTime\":\"" + time + "\",\"detectedAt\":\"2026-11-20T02:15:31.207Z\"";
                line(out.get("alerts"), "{" + common + "\"requests\":[" + r1 + (p2.equals(p1) ? "" : "," + r2) + "]" + tail + "}");
                line(out.get("alerts." + p1), "{" + common + "\"requests\":[" + r1 + "]" + tail + ",\"otherPlatforms\":[]}");
                if (!p2.equals(p1)) {
                    line(out.get("alerts." + p2), "{" + common + "\"requests\":[" + r2 + "]" + tail + ",\"otherPlatforms\":[]}");
                }
                for (String[] v : new String[][] {{p1, "R" + i}, {p2, "S" + i}}) {
                    String verdict = "{\"platform\":\"" + v[0] + "\",\"requestId\":\"" + v[1] + "\",\"riskScore\":80,"
                            + "\"recommendedAction\":\"REJECT_AND_REPORT\",\"reasons\":[{\"pattern\":\"" + pattern
                            + "\",\"severity\":\"HIGH\",\"weight\":80}],\"alertIds\":[\"" + id + "\"],\"ruleSetVersion\":\"2026-11-22.1\","
                            + "\"eventTime\":\"" + time + "\",\"detectedAt\":\"2026-11-20T02:15:31.207Z\"}";
                    line(out.get("verdicts"), verdict);
                    line(out.get("verdicts." + v[0]), verdict);
                }
            }
        } finally {
            for (BufferedWriter w : out.values()) {
                w.close();
            }
        }
    }

    private static String req(String platform, String requestId, String time) {
        return "{\"platform\":\"" + platform + "\",\"requestId\":\"" + requestId + "\",\"accountId\":\"" + platform
                + "_u_1\",\"amount\":\"699.00\",\"currency\":\"CNY\",\"occurredAt\":\"" + time + "\"}";
    }

    private static void line(BufferedWriter w, String s) throws IOException {
        w.write(s);
        w.write('\n');
    }
}
