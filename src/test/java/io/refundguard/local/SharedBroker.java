package io.refundguard.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real KRaft broker on 127.0.0.1 for all tests of a class, in a folder of its own: starting a
 * broker takes seconds, so tests share it and keep apart by topic names.
 *
 * <pre>{@code @RegisterExtension static final SharedBroker KAFKA = new SharedBroker();}</pre>
 */
public final class SharedBroker implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private KafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("refundguard-broker");
        broker = KafkaBroker.start(dir, 0);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (broker != null) {
            broker.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    public KafkaBroker broker() {
        return broker;
    }
}
