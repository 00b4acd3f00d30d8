package io.refundguard.console;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The inbox's filters and page. Every field is optional; a blank one does not filter. Dates are the
 * trigger's day in its own offset, {@code from} and {@code to} inclusive.
 */
public record CaseFilter(String pattern, String severity, String status, String platform, LocalDate from,
        LocalDate to, int page, int pageSize) {
    public static final int PAGE_SIZE = 50;

    /** One page of the filtered cases, and the counts per pattern of all filters but the pattern. */
    public record Page(List<CaseRow> rows, int total, int page, int pages, Map<String, Integer> countsByPattern) {}

    /** Reads the filters from request parameters; a malformed one is an IllegalArgumentException naming it. */
    public static CaseFilter from(Function<String, String> param) {
        String status = blankToNull(param.apply("status"));
        if (status != null && !status.equals("open") && !status.equals("decided")) {
            throw new IllegalArgumentException("status: expected open or decided, got \"" + status + "\"");
        }
        int page = 1;
        String pageText = blankToNull(param.apply("page"));
        if (pageText != null) {
            try {
                page = Math.max(1, Integer.parseInt(pageText));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("page: expected a number, got \"" + pageText + "\"");
            }
        }
        return new CaseFilter(blankToNull(param.apply("pattern")), blankToNull(param.apply("severity")), status,
                blankToNull(param.apply("platform")), date(param, "from"), date(param, "to"), page, PAGE_SIZE);
    }

    private static LocalDate date(Function<String, String> param, String name) {
        String text = blankToNull(param.apply(name));
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": expected a date like 2026-11-20, got \"" + text + "\"");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public boolean matches(CaseRow row, boolean decided) {
        return matchesAllButPattern(row, decided) && (pattern == null || pattern.equals(row.pattern()));
    }

    private boolean matchesAllButPattern(CaseRow row, boolean decided) {
        if (severity != null && !severity.equals(row.severity())) {
            return false;
        }
        if (status != null && decided != status.equals("decided")) {
            return false;
        }
        if (platform != null && !row.platforms().contains(platform)) {
            return false;
        }
        LocalDate day = row.eventTime().toLocalDate();
        return (from == null || !day.isBefore(from)) && (to == null || !day.isAfter(to));
    }

    /** @param rows newest first, as {@link CaseBook#cases} gives them */
    public Page apply(List<CaseRow> rows, java.util.function.Predicate<String> isDecided) {
        Map<String, Integer> counts = new TreeMap<>();
        List<CaseRow> matching = new ArrayList<>();
        for (CaseRow row : rows) {
            boolean decided = isDecided.test(row.alertId());
            if (!matchesAllButPattern(row, decided)) {
                continue;
            }
            counts.merge(row.pattern(), 1, Integer::sum);
            if (pattern == null || pattern.equals(row.pattern())) {
                matching.add(row);
            }
        }
        int pages = Math.max(1, (matching.size() + pageSize - 1) / pageSize);
        int current = Math.min(page, pages);
        int start = (current - 1) * pageSize;
        List<CaseRow> pageRows = matching.subList(start, Math.min(matching.size(), start + pageSize));
        return new Page(List.copyOf(pageRows), matching.size(), current, pages, counts);
    }

    /** The same filters on another page, as a query string for links. */
    public String query(int otherPage) {
        StringBuilder q = new StringBuilder();
        add(q, "pattern", pattern);
        add(q, "severity", severity);
        add(q, "status", status);
        add(q, "platform", platform);
        add(q, "from", from == null ? null : from.toString());
        add(q, "to", to == null ? null : to.toString());
        add(q, "page", Integer.toString(otherPage));
        return q.toString();
    }

    private static void add(StringBuilder q, String name, String value) {
        if (value != null) {
            q.append(q.length() == 0 ? "?" : "&").append(name).append('=')
                    .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
