package io.refundguard.console;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every case of a {@code replay} output folder, per view: the operator's {@code alerts.jsonl} and
 * each platform's {@code alerts.<platform>.jsonl}, newest first, with the verdict of each case's
 * trigger from {@code verdicts.jsonl} / {@code verdicts.<platform>.jsonl}. A platform's analyst is
 * only ever given its own view, so another platform's ids never reach them.
 */
public final class CaseBook {
    static final String OPERATOR_VIEW = "";
    private static final Pattern VIEW_FILE = Pattern.compile("alerts\\.([a-z0-9_-]+)\\.jsonl");
    private static final Comparator<CaseRow> NEWEST_FIRST = Comparator.comparing(CaseRow::eventTime,
            Comparator.comparing(java.time.OffsetDateTime::toInstant)).reversed().thenComparing(CaseRow::alertId);
    private static final ObjectMapper LIVE_MAPPER = new ObjectMapper();

    private final Map<String, View> views;
    private final List<String> problems;

    /**
     * One view's cases, kept sorted as they arrive (live mode adds while the server reads), and the
     * verdicts of their triggers. A verdict may arrive before its alert on another topic: live, the
     * most recent such verdicts wait in a bounded map for their alert.
     */
    private static final class View {
        private final TreeSet<CaseRow> sorted = new TreeSet<>(NEWEST_FIRST);
        private final Map<String, CaseRow> byId = new HashMap<>();
        private final Set<String> triggers = new HashSet<>();
        private final Map<String, String> verdicts = new HashMap<>();
        private final Map<String, String> waiting;
        private final SubjectIndex subjects = new SubjectIndex();
        private List<CaseRow> snapshot = List.of();
        private boolean changed;

        View(int maxWaitingVerdicts) {
            waiting = new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > maxWaitingVerdicts;
                }
            };
        }

        /** False when the view already has this alert: the first one read is the case. */
        synchronized boolean addAlert(CaseRow row, JsonNode alert) {
            if (byId.putIfAbsent(row.alertId(), row) != null) {
                return false;
            }
            sorted.add(row);
            changed = true;
            for (String request : subjects.add(row, alert)) {
                String early = waiting.get(request);
                if (early != null) {
                    offerVerdict(request, early);
                }
            }
            if (row.triggerRequestId() != null) {
                String key = row.triggerPlatform() + ":" + row.triggerRequestId();
                triggers.add(key);
                String early = waiting.remove(key);
                if (early != null) {
                    verdicts.put(key, early);
                }
            }
            return true;
        }

        synchronized void addVerdict(String key, String line) {
            offerVerdict(key, line);
            if (triggers.contains(key)) {
                verdicts.put(key, line);
            } else {
                waiting.put(key, line);
            }
        }

        private void offerVerdict(String requestKey, String line) {
            try {
                subjects.offerVerdict(requestKey, line);
            } catch (IOException e) {
                // Broken after its request id: the timeline shows no verdict for that request; the rest is kept as before.
            }
        }

        synchronized List<CaseRow> newestFirst() {
            if (changed) {
                snapshot = List.copyOf(sorted);
                changed = false;
            }
            return snapshot;
        }

        synchronized CaseRow byId(String alertId) {
            return byId.get(alertId);
        }

        synchronized String verdict(String key) {
            return verdicts.get(key);
        }

        synchronized List<CaseRow> sameSubject(String subject) {
            return subjects.cases(subject);
        }

        synchronized SubjectIndex.VerdictMark verdictMark(String requestKey) {
            return subjects.verdict(requestKey);
        }
    }

    private CaseBook(Map<String, View> views, List<String> problems) {
        this.views = views;
        this.problems = problems;
    }

    /**
     * An empty book for live mode: the operator's view and one per platform, filled by {@link
     * #addAlert} and {@link #addVerdict} as records arrive.
     *
     * @param maxWaitingVerdicts per view, how many verdicts to keep whose alert has not arrived yet
     */
    public static CaseBook empty(List<String> platforms, int maxWaitingVerdicts) {
        Map<String, View> views = new LinkedHashMap<>();
        views.put(OPERATOR_VIEW, new View(maxWaitingVerdicts));
        new TreeSet<>(platforms).forEach(p -> views.put(p, new View(maxWaitingVerdicts)));
        return new CaseBook(Collections.unmodifiableMap(views), List.of());
    }

    /** Reads the folder; a line that is not an alert is skipped and reported in {@link #problems()}. */
    public static CaseBook load(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("alerts.jsonl"))) {
            throw new IllegalArgumentException(dir + " has no alerts.jsonl: not a replay output folder");
        }
        ObjectMapper mapper = new ObjectMapper();
        Map<String, View> views = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        views.put(OPERATOR_VIEW, readView(mapper, dir, OPERATOR_VIEW, problems));
        for (String platform : platformViews(dir)) {
            views.put(platform, readView(mapper, dir, platform, problems));
        }
        return new CaseBook(Collections.unmodifiableMap(views), List.copyOf(problems));
    }

    private static Set<String> platformViews(Path dir) throws IOException {
        Set<String> platforms = new TreeSet<>();
        try (var files = Files.list(dir)) {
            files.forEach(f -> {
                Matcher m = VIEW_FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    platforms.add(m.group(1));
                }
            });
        }
        return platforms;
    }

    private static View readView(ObjectMapper mapper, Path dir, String view, List<String> problems) throws IOException {
        String suffix = view.isEmpty() ? "" : "." + view;
        Path alerts = dir.resolve("alerts" + suffix + ".jsonl");
        // Offline every alert is read before any verdict, so a verdict without its alert is never needed.
        View cases = new View(0);
        forEachLine(alerts, (number, line) -> {
            try {
                JsonNode alert = mapper.readTree(line);
                cases.addAlert(CaseRow.of(alert, line), alert);
            } catch (IOException | RuntimeException e) {
                problems.add(alerts.getFileName() + " line " + number + ": " + e.getMessage());
            }
        });
        Path verdictFile = dir.resolve("verdicts" + suffix + ".jsonl");
        if (Files.isRegularFile(verdictFile)) {
            forEachLine(verdictFile, (number, line) -> {
                try {
                    cases.addVerdict(requestKey(mapper, line), line);
                } catch (IOException e) {
                    problems.add(verdictFile.getFileName() + " line " + number + ": " + e.getMessage());
                }
            });
        }
        return cases;
    }

    /**
     * Live mode: one alert record of a view's topic.
     *
     * @return null when added or already known, else why the record is not an alert
     */
    public String addAlert(String view, String line) {
        View cases = views.get(view);
        if (cases == null) {
            return "no view " + view;
        }
        try {
            JsonNode alert = LIVE_MAPPER.readTree(line);
            cases.addAlert(CaseRow.of(alert, line), alert);
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Live mode: one verdict record of a view's topic; null when kept, else why it is unreadable. */
    public String addVerdict(String view, String line) {
        View cases = views.get(view);
        if (cases == null) {
            return "no view " + view;
        }
        try {
            cases.addVerdict(requestKey(LIVE_MAPPER, line), line);
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getMessage();
        }
    }

    /**
     * {@code platform:requestId} of a verdict line, reading only as far as those two fields: there
     * is a verdict per request, so start-up time is mostly spent here.
     */
    private static String requestKey(ObjectMapper mapper, String line) throws IOException {
        String platform = null;
        String requestId = null;
        try (JsonParser parser = mapper.getFactory().createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME && (platform == null || requestId == null)) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("platform")) {
                    platform = parser.getValueAsString();
                } else if (field.equals("requestId")) {
                    requestId = parser.getValueAsString();
                } else if (value.isStructStart()) {
                    parser.skipChildren();
                }
            }
        }
        return platform + ":" + requestId;
    }

    private interface LineHandler {
        void accept(long number, String line);
    }

    private static void forEachLine(Path file, LineHandler handler) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    handler.accept(number, line);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The platforms that have a view in this folder. */
    public List<String> platforms() {
        return views.keySet().stream().filter(v -> !v.isEmpty()).toList();
    }

    /** The cases the viewer may see, newest first. */
    public List<CaseRow> cases(Viewer viewer) {
        View view = viewOf(viewer);
        return view == null ? List.of() : view.newestFirst();
    }

    /** The case as the viewer's view carries it; empty when it is not in that view. */
    public Optional<CaseRow> find(Viewer viewer, String alertId) {
        View view = viewOf(viewer);
        return view == null ? Optional.empty() : Optional.ofNullable(view.byId(alertId));
    }

    /** The verdict (one JSON line) of the case's trigger request, when the view has it. */
    public Optional<String> triggerVerdict(Viewer viewer, CaseRow row) {
        View view = viewOf(viewer);
        if (view == null || row.triggerRequestId() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(view.verdict(row.triggerPlatform() + ":" + row.triggerRequestId()));
    }

    /**
     * The person's timeline of the case: every request of every case on the same subject in the
     * viewer's view, with the view's verdicts and the console's decisions. Reads nothing outside the
     * viewer's view, so an analyst's timeline holds only what their platform's topics carry.
     *
     * @param decisions the console's decisions on a case, oldest first
     */
    public Timeline timeline(Viewer viewer, CaseRow row, Function<String, List<Decision>> decisions) {
        View view = viewOf(viewer);
        String subject = SubjectIndex.subjectOf(CaseJson.parse(row.line()));
        List<CaseRow> cases = view == null ? List.of() : view.sameSubject(subject);
        return Timeline.build(row, cases.isEmpty() ? List.of(row) : cases,
                key -> view == null ? null : view.verdictMark(key), decisions);
    }

    /** Lines that could not be read, for the start-up message. */
    public List<String> problems() {
        return problems;
    }

    private View viewOf(Viewer viewer) {
        return views.get(viewer.view() == null ? OPERATOR_VIEW : viewer.view());
    }
}
