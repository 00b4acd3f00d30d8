package io.refundguard.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.Sha256;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decisions, in two append-only files. The outcomes file holds exactly what goes to
 * {@code refund-events}: one contract {@code REFUND_OUTCOME} per request decided. The journal holds
 * the console's own record (case, verdict, note, who, when), which the contract has no place for;
 * both are read back at start, so decisions survive a restart.
 *
 * <p>An outcome's {@code eventId} is derived from case, request and verdict: a double click, a
 * retried POST or a second reviewer agreeing produce the same id, and the file gets it once.
 */
public final class DecisionLog {
    static final int MAX_NOTE = 2000;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final ObjectMapper mapper = new ObjectMapper();
    private final OutcomeSink outcomes;
    private final Path journal;
    private final Clock clock;
    private final Map<String, List<Decision>> byAlert = new HashMap<>();
    private final Set<String> writtenEventIds = new HashSet<>();

    private DecisionLog(OutcomeSink outcomes, Path journal, Clock clock) {
        this.outcomes = outcomes;
        this.journal = journal;
        this.clock = clock;
    }

    /** The journal beside an outcomes file: {@code FILE} → {@code FILE.decisions}. */
    public static Path journalOf(Path outcomes) {
        return outcomes.resolveSibling(outcomes.getFileName() + ".decisions");
    }

    /** Offline: outcome events appended to a file, ready for {@code publish}. */
    public static DecisionLog open(Path outcomes, Path journal, Clock clock) throws IOException {
        if (outcomes.getParent() != null) {
            Files.createDirectories(outcomes.getParent());
        }
        if (Files.isRegularFile(outcomes)) {
            // What the file already holds is not appended again, journal or not.
            Set<String> written = new HashSet<>();
            ObjectMapper reader = new ObjectMapper();
            for (String line : Files.readAllLines(outcomes, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    written.add(reader.readTree(line).path("eventId").asText());
                }
            }
            return open(new FileOutcomes(outcomes), journal, clock, written);
        }
        return open(new FileOutcomes(outcomes), journal, clock, Set.of());
    }

    /**
     * @param alreadyWritten event ids the sink is known to hold; with the journal's ids, they are
     *     not sent again
     */
    public static DecisionLog open(OutcomeSink outcomes, Path journal, Clock clock, Set<String> alreadyWritten)
            throws IOException {
        DecisionLog log = new DecisionLog(outcomes, journal, clock);
        if (journal.getParent() != null) {
            Files.createDirectories(journal.getParent());
        }
        log.writtenEventIds.addAll(alreadyWritten);
        log.readBack();
        return log;
    }

    private void readBack() throws IOException {
        if (Files.isRegularFile(journal)) {
            for (JsonNode entry : readLines(journal)) {
                List<String> ids = new ArrayList<>();
                entry.path("outcomeEventIds").forEach(id -> ids.add(id.asText()));
                // A journal line is written only after its events were delivered.
                writtenEventIds.addAll(ids);
                Decision decision = new Decision(entry.path("alertId").asText(),
                        Disposition.parse(entry.path("verdict").asText()), entry.path("note").asText(""),
                        entry.path("user").asText(), entry.path("decidedAt").asText(), List.copyOf(ids));
                byAlert.computeIfAbsent(decision.alertId(), k -> new ArrayList<>()).add(decision);
            }
        }
    }

    private List<JsonNode> readLines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    nodes.add(mapper.readTree(line));
                }
            }
        }
        return nodes;
    }

    /**
     * Records a decision on the case as the viewer's view shows it: outcome events for the requests
     * that view lists (a platform's analyst vouches for its own requests only). Deciding the same
     * verdict with the same note again changes nothing and returns the earlier decision.
     */
    public synchronized Decision decide(Viewer viewer, String alertId, JsonNode alertInView, Disposition verdict,
            String note) throws IOException {
        String cleanNote = note == null ? "" : note.strip();
        if (cleanNote.length() > MAX_NOTE) {
            throw new IllegalArgumentException("note: at most " + MAX_NOTE + " characters, got " + cleanNote.length());
        }
        Optional<Decision> latest = latest(alertId);
        if (latest.isPresent() && latest.get().verdict() == verdict && latest.get().note().equals(cleanNote)
                && latest.get().user().equals(viewer.name())) {
            return latest.get();
        }
        String now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).format(ISO);
        List<String> eventIds = new ArrayList<>();
        List<OutcomeSink.Outcome> newEvents = new ArrayList<>();
        if (verdict.isOutcome()) {
            for (JsonNode request : alertInView.path("requests")) {
                String platform = request.path("platform").asText(null);
                String requestId = request.path("requestId").asText(null);
                if (platform == null || requestId == null || request.path("requestId").isNull()) {
                    continue;
                }
                String eventId = outcomeEventId(alertId, platform, requestId, verdict);
                eventIds.add(eventId);
                if (!writtenEventIds.contains(eventId)) {
                    newEvents.add(new OutcomeSink.Outcome(eventId, platform, requestId,
                            outcomeEvent(eventId, platform, requestId, now, verdict, viewer.source())));
                }
            }
        }
        Decision decision = new Decision(alertId, verdict, cleanNote, viewer.name(), now, List.copyOf(eventIds));
        // Outcomes first: a crash between the two writes leaves an event without its journal line,
        // which a retry re-derives with the same ids, rather than a journal claiming an unsent event.
        // A failed delivery throws here: nothing is recorded and the reviewer can try again.
        outcomes.publish(newEvents);
        newEvents.forEach(e -> writtenEventIds.add(e.eventId()));
        append(journal, List.of(journalLine(decision)));
        byAlert.computeIfAbsent(alertId, k -> new ArrayList<>()).add(decision);
        return decision;
    }

    static String outcomeEventId(String alertId, String platform, String requestId, Disposition verdict) {
        return "console-" + Sha256.hexPrefix(alertId + "\n" + platform + ":" + requestId + "\n" + verdict, 16);
    }

    private String outcomeEvent(String eventId, String platform, String requestId, String at, Disposition verdict,
            String source) throws IOException {
        ObjectNode event = mapper.createObjectNode();
        event.put("schemaVersion", 1);
        event.put("eventId", eventId);
        event.put("type", "REFUND_OUTCOME");
        event.put("platform", platform);
        event.put("requestId", requestId);
        event.put("occurredAt", at);
        event.put("verdict", verdict.name());
        event.put("source", source);
        return mapper.writeValueAsString(event);
    }

    private String journalLine(Decision d) throws IOException {
        ObjectNode entry = mapper.createObjectNode();
        entry.put("alertId", d.alertId());
        entry.put("verdict", d.verdict().name());
        entry.put("note", d.note());
        entry.put("user", d.user());
        entry.put("decidedAt", d.decidedAt());
        d.outcomeEventIds().forEach(entry.putArray("outcomeEventIds")::add);
        return mapper.writeValueAsString(entry);
    }

    static void append(Path file, List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (String line : lines) {
                writer.write(line);
                writer.write('\n');
            }
        }
    }

    /** Every decision on the case, oldest first. */
    public synchronized List<Decision> history(String alertId) {
        return List.copyOf(byAlert.getOrDefault(alertId, List.of()));
    }

    public synchronized Optional<Decision> latest(String alertId) {
        List<Decision> list = byAlert.get(alertId);
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    /** The latest decision of every decided case. */
    public synchronized Map<String, Decision> latestByAlert() {
        Map<String, Decision> latest = new HashMap<>();
        byAlert.forEach((id, list) -> latest.put(id, list.get(list.size() - 1)));
        return latest;
    }
}
