package io.refundguard.console;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How good the alerts are: per pattern and rule-set version, the cases, how many were confirmed
 * fraud and how many cleared, and the precision among those judged; and alerts per day. A
 * reviewer's decision is the truth for its case; without one, a labels file (a backtest's) judges
 * it; without either, the case is open and out of the precision.
 */
public final class Quality {
    private final Labels labels;
    private final Map<String, Boolean> labelledFraud = new ConcurrentHashMap<>();

    /** @param labels the backtest's ground truth, or null */
    public Quality(Labels labels) {
        this.labels = labels;
    }

    public record Line(String pattern, String ruleSetVersion, int cases, int confirmed, int cleared, int open) {
        /** Confirmed among judged, or empty when none is judged yet. */
        public Optional<Double> precision() {
            int judged = confirmed + cleared;
            return judged == 0 ? Optional.empty() : Optional.of((double) confirmed / judged);
        }

        public String precisionText() {
            return precision().map(p -> String.format(java.util.Locale.ROOT, "%.3f", p)).orElse("–");
        }
    }

    public record Report(List<Line> lines, Line total, Map<String, Integer> alertsPerDay, String labelsName) {}

    public Report report(List<CaseRow> rows, Map<String, Decision> decisions) {
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, Integer> perDay = new TreeMap<>();
        int[] total = new int[4];
        for (CaseRow row : rows) {
            int judged = judge(row, decisions.get(row.alertId()));
            int[] c = counts.computeIfAbsent(row.pattern() + "\n" + row.ruleSetVersion(), k -> new int[4]);
            c[0]++;
            c[judged]++;
            total[0]++;
            total[judged]++;
            perDay.merge(row.day(), 1, Integer::sum);
        }
        List<Line> lines = new ArrayList<>();
        counts.forEach((key, c) -> {
            String[] parts = key.split("\n", 2);
            lines.add(new Line(parts[0], parts[1], c[0], c[1], c[2], c[3]));
        });
        return new Report(lines, new Line("all", "", total[0], total[1], total[2], total[3]), perDay,
                labels == null ? null : labels.name());
    }

    /** 1 confirmed, 2 cleared, 3 open. */
    private int judge(CaseRow row, Decision decision) {
        if (decision != null && decision.verdict().isOutcome()) {
            return decision.verdict() == Disposition.FRAUD ? 1 : 2;
        }
        if (labels == null || !labels.covers(row.pattern())) {
            return 3;
        }
        boolean fraud = labelledFraud.computeIfAbsent(row.alertId(), id -> labels.isFraud(CaseJson.parse(row.line())));
        return fraud ? 1 : 2;
    }

    /** The report as {@code evaluate} prints it. */
    public static void print(Report report, PrintWriter out) {
        out.println(report.labelsName() == null
                ? "judged by: the console's decisions (no labels file)"
                : "judged by: the console's decisions, then labels " + report.labelsName()
                        + " (an alert no fraud label names counts as cleared; patterns without labels stay open)");
        out.println();
        out.printf("  %-30s %-16s %8s %10s %8s %8s %10s%n", "pattern", "rule set", "cases", "confirmed", "cleared",
                "open", "precision");
        for (Line l : report.lines()) {
            out.printf("  %-30s %-16s %8d %10d %8d %8d %10s%n", l.pattern(), l.ruleSetVersion(), l.cases(),
                    l.confirmed(), l.cleared(), l.open(), l.precisionText());
        }
        Line t = report.total();
        out.printf("  %-30s %-16s %8d %10d %8d %8d %10s%n", "all", "", t.cases(), t.confirmed(), t.cleared(), t.open(),
                t.precisionText());
        out.println();
        Map<String, Integer> days = report.alertsPerDay();
        double mean = days.isEmpty() ? 0 : (double) t.cases() / days.size();
        out.printf("alerts per day (trigger's day): %d days with alerts, mean %.1f, max %d%n", days.size(), mean,
                days.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        out.printf("  %-12s %8s%n", "day", "alerts");
        days.forEach((day, n) -> out.printf("  %-12s %8d%n", day, n));
    }
}
