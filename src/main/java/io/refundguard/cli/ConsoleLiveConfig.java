package io.refundguard.cli;

import io.refundguard.console.LiveConfig;
import io.refundguard.images.EnrichmentSettings;
import io.refundguard.job.config.ConfigException;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * The console's live mode reads the same {@code config/refundguard.yaml} keys as the job (Kafka,
 * topic names, member platforms); the console package does not import {@code job}, so the
 * launcher reads them and hands them over.
 */
final class ConsoleLiveConfig {
    private ConsoleLiveConfig() {}

    /** The detector's photo-fetching rules ({@code enrichment.*}), which the console's photos follow too. */
    static EnrichmentSettings photoRules(Path file, List<String> overrides) {
        try {
            return ConfigLoader.load(file, overrides).enrichment();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("configuration: " + e.getMessage());
        }
    }

    static LiveConfig load(Path file, List<String> overrides) {
        RefundGuardConfig config;
        try {
            config = ConfigLoader.load(file, overrides);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("configuration: " + e.getMessage());
        }
        return new LiveConfig(config.kafka().bootstrapServers(), config.kafka().clientProperties(),
                config.topics().alerts(), config.topics().verdicts(), config.topics().refundEvents(),
                config.input().perPlatformTopics(), config.input().platforms());
    }
}
