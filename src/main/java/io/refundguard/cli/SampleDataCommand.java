package io.refundguard.cli;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sample-data --out FILE [--persons N] [--seed S]}: writes {@link SampleTraffic}. */
@Command(name = "sample-data", sortOptions = false, description = {
        "Write synthetic multi-platform refund traffic with planted fraud.",
        "Writes synthetic multi-platform refund traffic with planted serial refunders, over 60 days from "
        + "--start. It has no evidence photos and no links: the detector fetches nothing."})
public final class SampleDataCommand extends CliCommand {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the JSON lines.")
    private Path file;

    @Option(names = "--persons", paramLabel = "N", description = "Buyers (default 2000).")
    private int persons = 2000;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default 42).")
    private int seed = 42;

    @Option(names = "--start", paramLabel = "DATE|fixed",
            description = "First day, an ISO date like 2026-10-01 (default: 60 days ago, so the traffic ends now "
                    + "and a live detector accepts it; \"fixed\" = 2026-10-01, reproducible).")
    private String start;

    @Override
    public Integer call() throws Exception {
        if (persons < 1) {
            throw new UsageException("--persons must be at least 1");
        }
        long startMillis = startOf(start);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        SampleTraffic.GroundTruth truth;
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            truth = new SampleTraffic(seed, persons, startMillis).write(writer);
        }
        out().printf("wrote %s: %d events, %d redelivered copies, %d malformed records; "
                        + "%d serial refunders planted (%d with confirmed fraud above the first tier)%n",
                file, truth.events(), truth.duplicates(), truth.badRecords(),
                truth.serialRefunders().size(), truth.fraudAboveTier().size());
        return 0;
    }

    private static long startOf(String value) {
        if (value == null) {
            return java.time.LocalDate.now(java.time.ZoneOffset.ofHours(8)).minusDays(SampleTraffic.PERIOD_DAYS)
                    .atStartOfDay(java.time.ZoneOffset.ofHours(8)).toInstant().toEpochMilli();
        }
        if (value.equals("fixed")) {
            return SampleTraffic.FIXED_START;
        }
        try {
            return java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.ofHours(8)).toInstant().toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException("--start expects a date like 2026-10-01 or \"fixed\", got \"" + value + "\"");
        }
    }
}
