package io.refundguard.images.compare;

import io.refundguard.events.LocalFeatures;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The copy-detection study: every edit kind at four strengths on every listing photo with three
 * seeds, every pair of edit kinds at two strengths with two seeds, and every honest pair we
 * have; writes {@code target/copy-detection-study.md}, which docs/copy-detection.md quotes.
 * Excluded from the normal suite (about 20 minutes on 2 cores); run it with
 * {@code mvn -B -ntp -q test -Dtest=CopyDetectionStudy}. It asserts nothing: the CI test
 * {@link CopyDetectorTest} holds the bar on a smaller grid.
 */
class CopyDetectionStudy {
    static final double[] STRENGTHS = {0.25, 0.5, 0.75, 1.0};
    static final long[] SEEDS = {1, 2, 3};
    static final double[] PAIR_STRENGTHS = {0.5, 1.0};
    static final long[] PAIR_SEEDS = {11, 12};
    static final int PRODUCTS = 10;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final CopyDetector detector = new CopyDetector();
    private final FeatureCache features = new FeatureCache(HonestPairs::image);
    private final List<Long> copyNanos = new ArrayList<>();
    private final List<Long> otherNanos = new ArrayList<>();
    private final List<Integer> featureBytes = new ArrayList<>();

    @Test
    void study() throws IOException {
        long started = System.nanoTime();
        List<CopyOutcome> singles = new ArrayList<>();
        for (DoctoredCopies.Edit edit : DoctoredCopies.Edit.values()) {
            for (double strength : STRENGTHS) {
                for (String photo : RealPhotos.LISTINGS) {
                    for (long seed : SEEDS) {
                        singles.add(run(photo, List.of(edit), strength, seed));
                    }
                }
            }
            log("single " + edit + " done, " + seconds(started) + " s");
        }
        List<CopyOutcome> pairs = new ArrayList<>();
        for (List<DoctoredCopies.Edit> pair : DoctoredCopies.pairs()) {
            for (double strength : PAIR_STRENGTHS) {
                for (String photo : RealPhotos.LISTINGS) {
                    for (long seed : PAIR_SEEDS) {
                        pairs.add(run(photo, pair, strength, seed));
                    }
                }
            }
        }
        log("pairs done, " + seconds(started) + " s");
        Map<String, List<Honest>> honest = honest();
        log("honest done, " + seconds(started) + " s");
        double[] extraction = extractionCost();
        String report = report(singles, pairs, honest, extraction, seconds(started));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "copy-detection-study.md"), report, StandardCharsets.UTF_8);
        log("wrote target/copy-detection-study.md");
    }

    private CopyOutcome run(String photo, List<DoctoredCopies.Edit> edits, double strength, long seed) {
        DoctoredCopies.Copy copy = DoctoredCopies.make(RealPhotos.load(photo), edits, strength, seed);
        LocalFeatures listing = features.get("photo:" + photo);
        LocalFeatures evidence = FeatureExtractor.extract(copy.image());
        featureBytes.add(evidence.sizeInBytes());
        long before = threads.getCurrentThreadCpuTime();
        Comparison comparison = detector.compare(listing, evidence);
        copyNanos.add(threads.getCurrentThreadCpuTime() - before);
        return CopyOutcome.of(copy, comparison, listing.width(), listing.height());
    }

    record Honest(HonestPairs.Pair pair, Comparison comparison) {}

    private Map<String, List<Honest>> honest() {
        List<HonestPairs.Pair> all = new ArrayList<>(HonestPairs.differentPhotos());
        all.addAll(HonestPairs.sameProduct(PRODUCTS, false));
        all.addAll(HonestPairs.sameProduct(PRODUCTS, true));
        Map<String, List<Honest>> byCategory = new TreeMap<>();
        for (HonestPairs.Pair pair : all) {
            byCategory.computeIfAbsent(pair.category(), k -> new ArrayList<>())
                    .add(new Honest(pair, timed(features.get(pair.listingKey()), features.get(pair.evidenceKey()))));
        }
        // The motorcycle pair again, the evidence re-saved, cropped, resized, mirrored or screenshotted.
        for (DoctoredCopies.Edit edit : List.of(DoctoredCopies.Edit.REENCODE, DoctoredCopies.Edit.CROP,
                DoctoredCopies.Edit.RESIZE, DoctoredCopies.Edit.MIRROR, DoctoredCopies.Edit.SCREENSHOT)) {
            for (long seed : SEEDS) {
                for (String[] lr : new String[][] {{RealPhotos.MOTORCYCLE_LEFT, RealPhotos.MOTORCYCLE_RIGHT},
                        {RealPhotos.MOTORCYCLE_RIGHT, RealPhotos.MOTORCYCLE_LEFT}}) {
                    DoctoredCopies.Copy copy = DoctoredCopies.make(RealPhotos.load(lr[1]), edit, 1.0, seed);
                    HonestPairs.Pair pair = new HonestPairs.Pair("motorcycle L/R, evidence edited",
                            RealPhotos.name(lr[0]) + " vs " + edit + " " + RealPhotos.name(lr[1]) + " #" + seed, "", "");
                    byCategory.computeIfAbsent(pair.category(), k -> new ArrayList<>())
                            .add(new Honest(pair, timed(features.get("photo:" + lr[0]), FeatureExtractor.extract(copy.image()))));
                }
            }
        }
        // Doctored copies of one listing against every other listing.
        for (DoctoredCopies.Edit edit : DoctoredCopies.Edit.values()) {
            for (String photo : RealPhotos.LISTINGS) {
                DoctoredCopies.Copy copy = DoctoredCopies.make(RealPhotos.load(photo), edit, 1.0, 1);
                LocalFeatures evidence = FeatureExtractor.extract(copy.image());
                for (String other : RealPhotos.LISTINGS) {
                    if (!other.equals(photo)) {
                        HonestPairs.Pair pair = new HonestPairs.Pair("copy of another listing",
                                RealPhotos.name(other) + " vs " + edit + " " + RealPhotos.name(photo), "", "");
                        byCategory.computeIfAbsent(pair.category(), k -> new ArrayList<>())
                                .add(new Honest(pair, timed(features.get("photo:" + other), evidence)));
                    }
                }
            }
        }
        return byCategory;
    }

    private Comparison timed(LocalFeatures listing, LocalFeatures evidence) {
        long before = threads.getCurrentThreadCpuTime();
        Comparison comparison = detector.compare(listing, evidence);
        otherNanos.add(threads.getCurrentThreadCpuTime() - before);
        return comparison;
    }

    /** Median extraction CPU time at 640x480 and at 12 MP (4000x3000), milliseconds. */
    private double[] extractionCost() {
        BufferedImage photo = RealPhotos.load(RealPhotos.MOTORCYCLE_LEFT);
        BufferedImage small = scaled(photo, 640, 480);
        BufferedImage large = scaled(photo, 4000, 3000);
        return new double[] {medianMillis(small, 15), medianMillis(large, 5)};
    }

    private double medianMillis(BufferedImage image, int runs) {
        FeatureExtractor.extract(image);
        long[] times = new long[runs];
        for (int i = 0; i < runs; i++) {
            long before = threads.getCurrentThreadCpuTime();
            FeatureExtractor.extract(image);
            times[i] = threads.getCurrentThreadCpuTime() - before;
        }
        Arrays.sort(times);
        return times[runs / 2] / 1e6;
    }

    private static BufferedImage scaled(BufferedImage image, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    // --- the report ---

    private String report(List<CopyOutcome> singles, List<CopyOutcome> pairs, Map<String, List<Honest>> honest,
            double[] extraction, long seconds) {
        StringBuilder md = new StringBuilder();
        md.append("# Copy-detection study\n\n");
        md.append(String.format(Locale.ROOT, "Generated by `CopyDetectionStudy` in %d s (wall clock). Listing photos: %d real "
                + "photographs (%s). Strengths: %s; seeds: %s (pairs: strengths %s, seeds %s).%n%n",
                seconds, RealPhotos.LISTINGS.size(), String.join(", ", RealPhotos.LISTINGS.stream().map(RealPhotos::name).toList()),
                Arrays.toString(STRENGTHS), Arrays.toString(SEEDS), Arrays.toString(PAIR_STRENGTHS), Arrays.toString(PAIR_SEEDS)));

        md.append("## Single edits\n\n");
        md.append("| edit | strength | copies | caught | recall | region on damage | kinds right | transform error p95 |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        Map<String, List<CopyOutcome>> byKindStrength = new LinkedHashMap<>();
        for (CopyOutcome o : singles) {
            byKindStrength.computeIfAbsent(o.copy().label() + "|" + o.copy().strength(), k -> new ArrayList<>()).add(o);
        }
        for (Map.Entry<String, List<CopyOutcome>> e : byKindStrength.entrySet()) {
            String[] parts = e.getKey().split("\\|");
            md.append(row(parts[0], parts[1], e.getValue()));
        }
        md.append("\nPer edit kind over all strengths:\n\n| edit | copies | caught | recall |\n|---|---|---|---|\n");
        Map<String, List<CopyOutcome>> byKind = group(singles);
        for (Map.Entry<String, List<CopyOutcome>> e : byKind.entrySet()) {
            long caught = e.getValue().stream().filter(o -> o.comparison().copy()).count();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f%% |%n", e.getKey(), e.getValue().size(), caught,
                    100.0 * caught / e.getValue().size()));
        }

        md.append("\n## Pairs of edits\n\n");
        md.append("| edits | copies | caught | recall | at strength 1 | region on damage | kinds right |\n|---|---|---|---|---|---|---|\n");
        long pairCaught = 0;
        for (Map.Entry<String, List<CopyOutcome>> e : group(pairs).entrySet()) {
            List<CopyOutcome> list = e.getValue();
            long caught = list.stream().filter(o -> o.comparison().copy()).count();
            pairCaught += caught;
            List<CopyOutcome> strong = list.stream().filter(o -> o.copy().strength() == 1.0).toList();
            long strongCaught = strong.stream().filter(o -> o.comparison().copy()).count();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f%% | %d/%d | %s | %s |%n", e.getKey(), list.size(), caught,
                    100.0 * caught / list.size(), strongCaught, strong.size(), hitRate(list), kindRate(list)));
        }
        md.append(String.format(Locale.ROOT, "%nAll pairs: %d of %d caught (%.1f%%).%n", pairCaught, pairs.size(),
                100.0 * pairCaught / pairs.size()));

        md.append("\n## Honest pairs (must not be copies)\n\n| category | pairs | false matches | highest score | with a transform |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, List<Honest>> e : honest.entrySet()) {
            List<Honest> list = e.getValue();
            long false_ = list.stream().filter(h -> h.comparison().copy()).count();
            long withTransform = list.stream().filter(h -> h.comparison().transform() != null).count();
            double highest = list.stream().mapToDouble(h -> h.comparison().score()).max().orElse(Double.NaN);
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %d |%n", e.getKey(), list.size(), false_, highest, withTransform));
        }
        md.append("\nFalse matches and the five honest pairs closest to the line:\n\n");
        List<Honest> everyHonest = new ArrayList<>();
        honest.values().forEach(everyHonest::addAll);
        everyHonest.sort((a, b) -> Double.compare(b.comparison().score(), a.comparison().score()));
        for (Honest h : everyHonest.subList(0, Math.min(5, everyHonest.size()))) {
            md.append(String.format(Locale.ROOT, "- %s / %s: copy=%s, score %.3f, %d inliers, agreement %.2f; %s%n",
                    h.pair().category(), h.pair().label(), h.comparison().copy(), h.comparison().score(),
                    h.comparison().inliers(), h.comparison().agreement(), h.comparison().reason()));
        }

        md.append("\n## Margins\n\n");
        List<CopyOutcome> allCopies = new ArrayList<>(singles);
        allCopies.addAll(pairs);
        List<CopyOutcome> caughtCopies = allCopies.stream().filter(o -> o.comparison().copy()).toList();
        double weakestCopy = caughtCopies.stream().mapToDouble(o -> o.comparison().score()).min().orElse(Double.NaN);
        double strongestHonest = everyHonest.isEmpty() ? Double.NaN : everyHonest.get(0).comparison().score();
        md.append(String.format(Locale.ROOT, "Score = agreement - required agreement (>= 0 is a copy). Weakest caught copy: "
                + "%.3f; strongest honest pair: %.3f.%n%n", weakestCopy, strongestHonest));
        md.append("Missed copies (score < 0), by reason:\n\n");
        Map<String, Integer> reasons = new TreeMap<>();
        for (CopyOutcome o : allCopies) {
            if (!o.comparison().copy()) {
                String reason = o.comparison().reason().replaceAll("[0-9.]+", "#");
                reasons.merge(reason, 1, Integer::sum);
            }
        }
        reasons.forEach((r, n) -> md.append("- ").append(n).append(" x ").append(r).append('\n'));

        md.append("\n## Cost\n\n");
        md.append(String.format(Locale.ROOT, "CPU time per comparison (thread CPU time, microseconds): copies median %.0f, p99 %.0f "
                + "(%d comparisons); other pairs median %.0f, p99 %.0f (%d comparisons).%n%n",
                percentile(copyNanos, 50) / 1e3, percentile(copyNanos, 99) / 1e3, copyNanos.size(),
                percentile(otherNanos, 50) / 1e3, percentile(otherNanos, 99) / 1e3, otherNanos.size()));
        md.append(String.format(Locale.ROOT, "Extraction (median CPU time): %.1f ms at 640x480, %.1f ms at 4000x3000 (12 MP).%n%n",
                extraction[0], extraction[1]));
        List<Long> bytes = featureBytes.stream().map(Integer::longValue).toList();
        md.append(String.format(Locale.ROOT, "Feature size (keypoints + thumbnail + 5 ints) over %d evidence photos: median %.0f bytes, max %.0f.%n",
                bytes.size(), percentile(bytes, 50), percentile(bytes, 100)));
        md.append(String.format(Locale.ROOT, "%nMachine: %d processors (Runtime.availableProcessors), Java %s (%s), load average at the end %.1f.%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        return md.toString();
    }

    private static String row(String kind, String strength, List<CopyOutcome> list) {
        long caught = list.stream().filter(o -> o.comparison().copy()).count();
        double[] errors = list.stream().filter(o -> o.comparison().copy()).mapToDouble(CopyOutcome::transformError).sorted().toArray();
        String error = errors.length == 0 ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * errors[(int) Math.floor(0.95 * (errors.length - 1))]);
        return String.format(Locale.ROOT, "| %s | %s | %d | %d | %.1f%% | %s | %s | %s |%n", kind, strength, list.size(), caught,
                100.0 * caught / list.size(), hitRate(list), kindRate(list), error);
    }

    private static String hitRate(List<CopyOutcome> list) {
        List<CopyOutcome> withDamage = list.stream().filter(o -> o.regionHit() != null).toList();
        if (withDamage.isEmpty()) {
            return "-";
        }
        long hits = withDamage.stream().filter(CopyOutcome::regionHit).count();
        double precision = withDamage.stream().mapToDouble(CopyOutcome::regionPrecision).average().orElse(0);
        return String.format(Locale.ROOT, "%d/%d (precision %.2f)", hits, withDamage.size(), precision);
    }

    private static String kindRate(List<CopyOutcome> list) {
        List<CopyOutcome> judged = list.stream().filter(o -> o.kindsOk() != null).toList();
        if (judged.isEmpty()) {
            return "-";
        }
        return judged.stream().filter(CopyOutcome::kindsOk).count() + "/" + judged.size();
    }

    private static Map<String, List<CopyOutcome>> group(List<CopyOutcome> outcomes) {
        Map<String, List<CopyOutcome>> groups = new LinkedHashMap<>();
        for (CopyOutcome o : outcomes) {
            groups.computeIfAbsent(o.copy().label(), k -> new ArrayList<>()).add(o);
        }
        return groups;
    }

    private static double percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p / 100 * (sorted.length - 1) + 0.5))];
    }

    private static long seconds(long started) {
        return (System.nanoTime() - started) / 1_000_000_000L;
    }

    private static void log(String message) {
        System.out.println("[study] " + message);
    }
}
