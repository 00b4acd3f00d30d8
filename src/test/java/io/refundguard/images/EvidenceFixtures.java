package io.refundguard.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** Evidence photos from the test resources ({@code pdq/} and {@code provenance/}), by resource path. */
public final class EvidenceFixtures {
    private EvidenceFixtures() {}

    public static Path path(String resource) {
        URL url = EvidenceFixtures.class.getResource("/" + resource);
        if (url == null) {
            throw new IllegalArgumentException("missing test resource " + resource);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(String resource) {
        try {
            return Files.readAllBytes(path(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
