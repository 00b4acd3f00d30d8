package io.refundguard.cli;

import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code sample-data --out FILE [--persons N] [--seed S]}: writes {@link SampleTraffic}. */
public final class SampleDataCommand {
    static final String USAGE = """
            usage: refundguard sample-data --out FILE [--persons N] [--seed S] [--start DATE|fixed]
              Writes synthetic multi-platform refund traffic with planted serial refunders, over 60 days
              from --start (an ISO date like 2026-10-01; default: 60 days ago, so the traffic ends now and
              a live detector accepts it; "fixed" = 2026-10-01, reproducible).""";

    private SampleDataCommand() {}

    public static int run(List<String> args, PrintStream out) throws Exception {
        Flags flags = Flags.parse(args, Set.of("--out", "--persons", "--seed", "--start"), Set.of());
        Path file = Path.of(flags.required("--out"));
        int persons = flags.intValue("--persons", 2000);
        if (persons < 1) {
            throw new UsageException("--persons must be at least 1");
        }
        long seed = flags.intValue("--seed", 42);
        long start = startOf(flags.get("--start"));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        SampleTraffic.GroundTruth truth;
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            truth = new SampleTraffic(seed, persons, start).write(writer);
        }
        out.printf("wrote %s: %d events, %d redelivered copies, %d malformed records; "
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
