package io.refundguard.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Ground truth as {@code simulate --labels} writes it: one case per line with {@code truth}
 * ({@code FRAUD} or {@code HONEST}), {@code pattern}, {@code subject} and {@code requests}
 * ({@code platform:requestId}). An alert is fraud when a FRAUD case of its pattern names its subject
 * or one of its requests. Simulated traffic labels every fraud it plants, so an alert that matches
 * none is a false alarm. A pattern the file never names (a platform report such as
 * {@code AUTOMATIC_APPROVAL_AFTER_HOLD}) is not judged by it.
 */
public final class Labels {
    private final Set<String> fraudSubjects = new HashSet<>();
    private final Set<String> fraudRequests = new HashSet<>();
    private final Set<String> patterns = new HashSet<>();
    private final String name;
    private int fraudCases;

    private Labels(String name) {
        this.name = name;
    }

    /** @throws IllegalArgumentException naming the line that is not a label */
    public static Labels load(Path file) throws IOException {
        Labels labels = new Labels(file.getFileName().toString());
        ObjectMapper mapper = new ObjectMapper();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode label;
                try {
                    label = mapper.readTree(line);
                } catch (IOException e) {
                    throw new IllegalArgumentException(file + " line " + number + ": not JSON");
                }
                String truth = label.path("truth").asText();
                String pattern = label.path("pattern").asText(null);
                if (pattern == null || !(truth.equals("FRAUD") || truth.equals("HONEST"))) {
                    throw new IllegalArgumentException(file + " line " + number
                            + ": expected \"truth\": FRAUD or HONEST and a \"pattern\"");
                }
                labels.patterns.add(pattern);
                if (truth.equals("FRAUD")) {
                    labels.fraudCases++;
                    String key = label.path("subject").path("key").asText(null);
                    if (key != null) {
                        labels.fraudSubjects.add(pattern + "|" + key);
                    }
                    label.path("requests").forEach(r -> labels.fraudRequests.add(pattern + "|" + r.asText()));
                }
            }
        }
        return labels;
    }

    /** Whether the labels judge this pattern at all; alerts of other patterns stay unjudged. */
    public boolean covers(String pattern) {
        return patterns.contains(pattern);
    }

    public boolean isFraud(JsonNode alert) {
        String pattern = alert.path("pattern").asText();
        if (fraudSubjects.contains(pattern + "|" + alert.path("subject").path("key").asText())) {
            return true;
        }
        for (JsonNode request : alert.path("requests")) {
            String id = request.path("platform").asText() + ":" + request.path("requestId").asText();
            if (fraudRequests.contains(pattern + "|" + id)) {
                return true;
            }
        }
        return false;
    }

    public String name() {
        return name;
    }

    public int fraudCases() {
        return fraudCases;
    }
}
