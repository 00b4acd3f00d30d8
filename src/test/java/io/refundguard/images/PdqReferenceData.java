package io.refundguard.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ThreatExchange reference vectors copied into {@code src/test/resources/pdq/}. Public for the
 * CLI's tests, which check the {@code fingerprint} command against the same rows.
 */
public final class PdqReferenceData {
    public record Expected(String path, PdqHash hash, int quality) {
        @Override
        public String toString() {
            return path;
        }
    }

    private PdqReferenceData() {}

    public static List<Expected> javaImageIoReference() {
        List<Expected> rows = new ArrayList<>();
        for (String line : lines("expected-java-reference-imageio.csv")) {
            if (line.isBlank() || line.startsWith("hash,")) {
                continue;
            }
            String[] fields = line.split(",", 3);
            rows.add(new Expected(fields[2].trim(), PdqHash.fromHex(fields[0].trim()),
                    Integer.parseInt(fields[1].trim())));
        }
        return rows;
    }

    public static Path image(String relativePath) {
        URL url = PdqReferenceData.class.getResource("/pdq/images/" + relativePath);
        if (url == null) {
            throw new IllegalArgumentException("missing test image " + relativePath);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> lines(String resource) {
        try (InputStream in = PdqReferenceData.class.getResourceAsStream("/pdq/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
