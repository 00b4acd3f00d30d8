package io.refundguard.console;

import io.refundguard.images.EnrichmentSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the rules the console fetches case photos under: the detector's own {@code enrichment.*}
 * keys of {@code config/refundguard.yaml}, so a link the detector may not fetch the console may not
 * either. The launcher reads the file (the console does not depend on the job's configuration).
 */
public interface PhotoRulesLoader {
    /**
     * @param file the configuration file, or null for the default
     * @throws IllegalArgumentException a configuration mistake, in one line
     */
    EnrichmentSettings load(Path file, List<String> overrides);
}
