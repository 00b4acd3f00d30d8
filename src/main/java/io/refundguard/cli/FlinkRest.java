package io.refundguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refundguard.cli.KafkaCliSupport.CommandFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A minimal client of the Flink REST API (JSON over HTTP) for {@code cluster}, {@code submit} and
 * {@code stop}. Every failure is a {@link CommandFailure} with one line for the user: the cluster
 * does not answer, or Flink's own error message (the most specific cause it reports).
 */
final class FlinkRest {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** An answer with an HTTP error status; {@link #status} lets callers tell 404 from the rest. */
    static final class HttpFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpFailure(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final String base;
    private final HttpClient http;

    FlinkRest(String url) throws CommandFailure {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new CommandFailure(KafkaCliSupport.EXIT_USAGE,
                    "--rest: expected a URL like http://127.0.0.1:8081, got \"" + url + "\"");
        }
        this.base = trimmed;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    String url() {
        return base;
    }

    JsonNode get(String path) throws CommandFailure, HttpFailure {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), Duration.ofSeconds(15));
    }

    JsonNode post(String path, JsonNode body) throws CommandFailure, HttpFailure {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)),
                Duration.ofSeconds(120));
    }

    JsonNode delete(String path) throws CommandFailure, HttpFailure {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), Duration.ofSeconds(15));
    }

    /** {@code POST /jars/upload}: the jar as the multipart field {@code jarfile}. */
    JsonNode uploadJar(Path jar) throws CommandFailure, HttpFailure {
        String boundary = "refundguard-" + UUID.randomUUID();
        List<byte[]> parts = new ArrayList<>();
        parts.add(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        try {
            parts.add(Files.readAllBytes(jar));
        } catch (IOException e) {
            throw new CommandFailure(KafkaCliSupport.EXIT_USAGE, "cannot read " + jar + ": " + e.getMessage());
        }
        parts.add(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(parts)), Duration.ofSeconds(120));
    }

    private JsonNode send(HttpRequest.Builder request, Duration timeout) throws CommandFailure, HttpFailure {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable();
        } catch (HttpTimeoutException e) {
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "the Flink cluster at " + base
                    + " did not answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "cannot talk to the Flink cluster at " + base + ": "
                    + KafkaCliSupport.oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, "interrupted");
        }
        JsonNode body;
        try {
            body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CommandFailure(KafkaCliSupport.EXIT_FAILED, base + " answered with something other than JSON"
                    + " (HTTP " + response.statusCode() + "); is it a Flink REST endpoint?");
        }
        if (response.statusCode() >= 300) {
            throw new HttpFailure(response.statusCode(), errorMessage(body, response.statusCode()));
        }
        return body;
    }

    CommandFailure unreachable() {
        return new CommandFailure(KafkaCliSupport.EXIT_USAGE, "cannot reach the Flink cluster at " + base
                + " (connection refused); is it running? (refundguard cluster start)");
    }

    /**
     * Flink answers errors as {@code {"errors": ["Handler message", "stack trace ..."]}}; the most
     * useful line is usually the innermost {@code Caused by:} of the trace.
     */
    static String errorMessage(JsonNode body, int status) {
        JsonNode errors = body.path("errors");
        if (!errors.isArray() || errors.isEmpty()) {
            return "HTTP " + status;
        }
        String first = errors.get(0).asText().lines().findFirst().orElse("").trim();
        String innermost = null;
        for (JsonNode error : errors) {
            for (String line : error.asText().split("\n")) {
                String trimmed = line.trim();
                if (trimmed.startsWith("Caused by: ")) {
                    innermost = trimmed.substring("Caused by: ".length());
                }
            }
        }
        String message = innermost != null ? innermost : first;
        // "org.example.SomeException: text" -> "text (SomeException)"
        int colon = message.indexOf(": ");
        if (colon > 0 && message.substring(0, colon).matches("[\\w.$]+")) {
            String type = message.substring(message.lastIndexOf('.', colon) + 1, colon);
            message = message.substring(colon + 2) + " (" + type + ")";
        }
        return message.isBlank() ? "HTTP " + status : message;
    }
}
