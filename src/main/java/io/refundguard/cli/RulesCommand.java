package io.refundguard.cli;

import io.refundguard.job.config.ControlRecords;
import io.refundguard.job.config.RefundGuardConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refundguard.images.PhotoAllowList;
import io.refundguard.patterns.RuleSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rules --version V [--effective-from TIME] [--config FILE] [--set rules.x=y]...}: prints the
 * {@code detector-control} record of the configured rule set with the overrides applied, one line,
 * ready for {@code publish}. The rules are checked exactly as at start, so a wrong setting fails
 * here rather than in the dead-letter topic.
 */
@Command(name = "rules", sortOptions = false, description = {
        "Print a detector-control record: the configured rules with overrides, for a live update.",
        "Prints one JSON line: the rules of config/refundguard.yaml with the --set overrides, named version "
        + "V, deciding events from TIME. Publish it to apply it without a restart:",
        "  refundguard rules --version 2026-12-01.1 --set rules.repeatRefunder.minRequests=3 > rules.jsonl",
        "  refundguard publish --topic detector-control rules.jsonl"})
public final class RulesCommand extends CliCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--version", required = true, paramLabel = "V", description = "The rule set's version.")
    private String version;

    @Option(names = "--effective-from", paramLabel = "TIME",
            description = "ISO-8601 with offset, e.g. 2026-12-01T00:00:00+08:00 (default: now).")
    private String effectiveFrom;

    @Option(names = "--allow-list", paramLabel = "FILE",
            description = "Replace rules.photoAllowList.photos with the photos in FILE, one JSON object per line: "
                    + "{\"hash\": \"pdq:<64 hex>\" or \"sha256:<64 hex>\", \"note\": \"what it is\"} (e.g. a platform's "
                    + "sample photos, stock images); they never count as reuse or a listing match from TIME on.")
    private Path allowList;

    @Mixin
    private ConfigOptions configOptions;

    @Override
    public Integer call() {
        if (version.isBlank()) {
            throw new UsageException("--version must not be empty");
        }
        for (String setting : configOptions.settings()) {
            if (!setting.startsWith("rules.")) {
                throw new UsageException("--set " + setting + ": only rules.* can change at run time; "
                        + "other settings need a restart");
            }
        }
        RefundGuardConfig config = configOptions.load(List.of("rules.version=" + version));
        RuleSet rules = config.rules();
        if (allowList != null) {
            if (!Files.isRegularFile(allowList)) {
                throw new UsageException("--allow-list: no such file: " + allowList);
            }
            rules = rules.withPhotoAllowList(new PhotoAllowList(rules.photoAllowList().radius(),
                    allowedPhotos(allowList)));
        }
        out().println(ControlRecords.encode(rules, effectiveFrom(effectiveFrom)));
        return 0;
    }

    /** One JSON object per line; a bad line is the user's mistake, named by its number. */
    private static List<PhotoAllowList.AllowedPhoto> allowedPhotos(Path file) {
        List<PhotoAllowList.AllowedPhoto> photos = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    JsonNode photo = JSON.readTree(line);
                    photos.add(new PhotoAllowList.AllowedPhoto(photo.path("hash").asText(null), photo.path("note").asText("")));
                } catch (IOException | IllegalArgumentException e) {
                    throw new UsageException("--allow-list " + file + " line " + (i + 1) + ": " + e.getMessage());
                }
            }
            return photos;
        } catch (IOException e) {
            throw new UsageException("--allow-list " + file + ": " + e.getMessage());
        }
    }

    private static OffsetDateTime effectiveFrom(String value) {
        if (value == null) {
            return OffsetDateTime.now(ZoneOffset.ofHours(8));
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new UsageException("--effective-from expects an ISO-8601 time with offset like "
                    + "2026-12-01T00:00:00+08:00, got \"" + value + "\"");
        }
    }
}
