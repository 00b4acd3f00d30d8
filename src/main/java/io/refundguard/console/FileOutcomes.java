package io.refundguard.console;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Offline: outcome events appended to a JSON-lines file, for {@code publish --key-field platform,requestId}. */
final class FileOutcomes implements OutcomeSink {
    private final Path file;

    FileOutcomes(Path file) {
        this.file = file;
    }

    @Override
    public void publish(List<Outcome> outcomes) throws IOException {
        DecisionLog.append(file, outcomes.stream().map(Outcome::json).toList());
    }
}
