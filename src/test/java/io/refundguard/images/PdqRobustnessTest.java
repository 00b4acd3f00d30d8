package io.refundguard.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Does a doctored listing photo ("arrived cracked") still match the merchant's original, and do
 * photos of different products stay apart? Synthetic product photos over several kinds and seeds,
 * plus the natural photos of the reference set, damaged, re-encoded and resized the way a
 * re-upload would be. Writes the distance table to {@code target/pdq-robustness.md};
 * {@code docs/pdq-robustness.md} quotes it. The defects were not tuned to the results.
 */
class PdqRobustnessTest {
    private static final int MATCH_THRESHOLD = 31;
    private static final long[] SEEDS = {11, 23, 37, 41, 53};
    /**
     * An edit that changes almost nothing would make the match assertions vacuous; 0.1% of a
     * 640x480 photo is about 300 pixels, a 2.5-pixel-wide crack 120 pixels long.
     */
    private static final double MIN_CHANGED_PIXEL_FRACTION = 0.001;

    enum Edit {
        NONE((photo, random) -> photo),
        CRACK(ImageDefects::crack),
        STAIN(ImageDefects::stain),
        TEAR(ImageDefects::tear),
        CRACK_STAIN_TEAR((photo, random) ->
                ImageDefects.tear(ImageDefects.stain(ImageDefects.crack(photo, random), random), random));

        final BiFunction<BufferedImage, Random, BufferedImage> apply;

        Edit(BiFunction<BufferedImage, Random, BufferedImage> apply) {
            this.apply = apply;
        }
    }

    enum Transform {
        LOSSLESS(image -> image),
        JPEG_90(image -> jpeg(image, 0.90f)),
        JPEG_75(image -> jpeg(image, 0.75f)),
        JPEG_50(image -> jpeg(image, 0.50f)),
        RESIZE_0_75(image -> resize(image, 0.75)),
        RESIZE_0_5(image -> resize(image, 0.5)),
        RESIZE_0_5_JPEG_75(image -> jpeg(resize(image, 0.5), 0.75f));

        final UnaryOperator<BufferedImage> apply;

        Transform(UnaryOperator<BufferedImage> apply) {
            this.apply = apply;
        }
    }

    enum PhotoSet { SYNTHETIC, REFERENCE }

    private record Cell(PhotoSet set, Edit edit, Transform transform) {}

    /** A doctored copy's distance to its own original and to the nearest other original. */
    private record Copy(int own, int nearestOther) {}

    private static final PdqHasher HASHER = new PdqHasher();
    private static final String[] REFERENCE_PHOTOS = {"dih/bridge-1-original.jpg", "labelme-subset/q0122.jpg",
        "labelme-subset/q0291.jpg", "misc-images/wee.jpg", "pen-and-coaster.png"};
    private static final int REFERENCE_WIDTH = 640;

    private static final Map<Cell, List<Copy>> COPIES = new LinkedHashMap<>();
    private static final List<Integer> SAME_KIND_PAIRS = new ArrayList<>();
    private static final List<Integer> DIFFERENT_KIND_PAIRS = new ArrayList<>();
    private static final List<Integer> ORIGINAL_QUALITIES = new ArrayList<>();
    private static final Map<Edit, Double> LEAST_CHANGED_FRACTION = new EnumMap<>(Edit.class);

    @BeforeAll
    static void measure() throws IOException {
        List<BufferedImage> synthetic = new ArrayList<>();
        List<ProductPhotos.Kind> kinds = new ArrayList<>();
        for (ProductPhotos.Kind kind : ProductPhotos.Kind.values()) {
            for (long seed : SEEDS) {
                synthetic.add(ProductPhotos.photo(kind, seed));
                kinds.add(kind);
            }
        }
        List<PdqHash> syntheticHashes = hashAll(synthetic, true);
        measureSet(PhotoSet.SYNTHETIC, synthetic, syntheticHashes);
        List<BufferedImage> reference = referencePhotos();
        measureSet(PhotoSet.REFERENCE, reference, hashAll(reference, false));
        pairDistances(syntheticHashes, kinds);

        String report = report();
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "pdq-robustness.md"), report, StandardCharsets.UTF_8);
    }

    private static List<PdqHash> hashAll(List<BufferedImage> photos, boolean recordQuality) {
        List<PdqHash> hashes = new ArrayList<>();
        for (BufferedImage photo : photos) {
            PdqResult result = HASHER.hash(photo);
            hashes.add(result.hash());
            if (recordQuality) {
                ORIGINAL_QUALITIES.add(result.quality());
            }
        }
        return hashes;
    }

    /** The reference set's natural photos at listing size, so defects have the same pixel scale. */
    private static List<BufferedImage> referencePhotos() throws IOException {
        List<BufferedImage> photos = new ArrayList<>();
        for (String path : REFERENCE_PHOTOS) {
            BufferedImage image = ImageIO.read(PdqReferenceData.image(path).toFile());
            int height = (int) Math.round((double) REFERENCE_WIDTH * image.getHeight() / image.getWidth());
            photos.add(ProductPhotos.scaled(image, REFERENCE_WIDTH, height));
        }
        return photos;
    }

    private static void measureSet(PhotoSet set, List<BufferedImage> photos, List<PdqHash> originals) {
        for (int i = 0; i < photos.size(); i++) {
            Random random = new Random(set.ordinal() * 1_000_003L + i * 131L);
            for (Edit edit : Edit.values()) {
                BufferedImage doctored = edit.apply.apply(photos.get(i), random);
                if (edit != Edit.NONE) {
                    LEAST_CHANGED_FRACTION.merge(edit, changedFraction(photos.get(i), doctored), Math::min);
                }
                for (Transform transform : Transform.values()) {
                    if (edit == Edit.NONE && transform == Transform.LOSSLESS) {
                        continue;
                    }
                    PdqHash copy = HASHER.hash(transform.apply.apply(doctored)).hash();
                    COPIES.computeIfAbsent(new Cell(set, edit, transform), cell -> new ArrayList<>())
                            .add(new Copy(copy.distance(originals.get(i)), nearestOther(copy, originals, i)));
                }
            }
        }
    }

    private static int nearestOther(PdqHash copy, List<PdqHash> originals, int own) {
        int nearest = PdqHash.BITS;
        for (int j = 0; j < originals.size(); j++) {
            if (j != own) {
                nearest = Math.min(nearest, copy.distance(originals.get(j)));
            }
        }
        return nearest;
    }

    private static void pairDistances(List<PdqHash> hashes, List<ProductPhotos.Kind> kinds) {
        for (int a = 0; a < hashes.size(); a++) {
            for (int b = a + 1; b < hashes.size(); b++) {
                int distance = hashes.get(a).distance(hashes.get(b));
                (kinds.get(a) == kinds.get(b) ? SAME_KIND_PAIRS : DIFFERENT_KIND_PAIRS).add(distance);
            }
        }
    }

    @Test
    void editsVisiblyChangeThePhoto() {
        assertThat(LEAST_CHANGED_FRACTION).hasSize(Edit.values().length - 1);
        LEAST_CHANGED_FRACTION.forEach((edit, fraction) ->
                assertThat(fraction).as(edit.name()).isGreaterThanOrEqualTo(MIN_CHANGED_PIXEL_FRACTION));
    }

    @Test
    void originalsAreMatchableQuality() {
        assertThat(ORIGINAL_QUALITIES).hasSize(ProductPhotos.Kind.values().length * SEEDS.length)
                .allSatisfy(q -> assertThat(q).isGreaterThanOrEqualTo(PdqResult.MIN_MATCHABLE_QUALITY));
    }

    @Test
    void reencodedAndResizedCopiesAlwaysMatch() {
        List<Copy> copies = copiesWhere(cell -> cell.edit() == Edit.NONE);

        assertThat(copies).hasSize((Transform.values().length - 1) * photoCount());
        assertThat(copies).allSatisfy(copy -> assertThat(copy.own()).isLessThanOrEqualTo(MATCH_THRESHOLD));
    }

    @Test
    void crackedCopiesMatchInTheGreatMajority() {
        // Not every one: a crack across a smooth studio backdrop moved one synthetic photo to 32.
        List<Copy> copies = copiesWhere(cell -> cell.edit() == Edit.CRACK);

        assertThat(copies).hasSize(Transform.values().length * photoCount());
        assertThat(fractionMatching(copies)).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void doctoredCopiesAreNearestToTheirOwnOriginal() {
        // The retrieval question: would the merchant's listing be the top candidate? Larger
        // damage often exceeds the match threshold, but ranking against other listings holds.
        List<Copy> copies = copiesWhere(cell -> cell.edit() != Edit.NONE);
        long nearestIsOwn = copies.stream().filter(copy -> copy.own() < copy.nearestOther()).count();

        assertThat((double) nearestIsOwn / copies.size()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void moreDamageMovesTheHashFurther() {
        assertThat(median(ownDistances(Edit.CRACK_STAIN_TEAR))).isGreaterThan(median(ownDistances(Edit.CRACK)));
        assertThat(median(ownDistances(Edit.CRACK))).isGreaterThan(median(ownDistances(Edit.NONE)));
    }

    @Test
    void photosOfDifferentProductsStayApart() {
        assertThat(Collections.min(SAME_KIND_PAIRS)).as("same kind, different product").isGreaterThan(MATCH_THRESHOLD);
        assertThat(Collections.min(DIFFERENT_KIND_PAIRS)).as("different kinds").isGreaterThan(MATCH_THRESHOLD);
    }

    private static int photoCount() {
        return ProductPhotos.Kind.values().length * SEEDS.length + REFERENCE_PHOTOS.length;
    }

    private static List<Copy> copiesWhere(Predicate<Cell> filter) {
        List<Copy> copies = new ArrayList<>();
        COPIES.forEach((cell, list) -> {
            if (filter.test(cell)) {
                copies.addAll(list);
            }
        });
        return copies;
    }

    private static List<Integer> ownDistances(Edit edit) {
        return copiesWhere(cell -> cell.edit() == edit).stream().map(Copy::own).toList();
    }

    private static double fractionMatching(List<Copy> copies) {
        return (double) copies.stream().filter(copy -> copy.own() <= MATCH_THRESHOLD).count() / copies.size();
    }

    private static String report() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Synthetic photos: %d kinds x %d seeds = %d, %dx%d, quality %s (min / median / max).%n",
                ProductPhotos.Kind.values().length, SEEDS.length, ORIGINAL_QUALITIES.size(),
                ProductPhotos.WIDTH, ProductPhotos.HEIGHT, summary(ORIGINAL_QUALITIES)));
        out.append(String.format(Locale.ROOT, "Reference photos: %d natural photos from the PDQ test set, scaled to %d px wide.%n%n",
                REFERENCE_PHOTOS.length, REFERENCE_WIDTH));
        out.append("Distance (bits of 256) from each copy to its undoctored original; match means <= 31. ");
        out.append("`nearest own` = share of copies closer to their own original than to any other photo of the set.\n\n");
        out.append("| photos | edit | transform | min | median | max | match <= 31 | nearest own |\n");
        out.append("|---|---|---|---:|---:|---:|---:|---:|\n");
        COPIES.forEach((cell, copies) -> {
            List<Integer> own = copies.stream().map(Copy::own).toList();
            long nearestOwn = copies.stream().filter(copy -> copy.own() < copy.nearestOther()).count();
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.0f%% | %.0f%% |%n",
                    cell.set(), cell.edit(), cell.transform(), summary(own).replace(" / ", " | "),
                    100 * fractionMatching(copies), 100.0 * nearestOwn / copies.size()));
        });
        out.append("\nDistance between different synthetic product photos:\n\n");
        out.append("| pairs | count | min | median | max | <= 31 | <= 63 |\n|---|---:|---:|---:|---:|---:|---:|\n");
        out.append(pairRow("same kind, different product", SAME_KIND_PAIRS));
        out.append(pairRow("different kinds", DIFFERENT_KIND_PAIRS));
        LEAST_CHANGED_FRACTION.forEach((edit, fraction) -> out.append(String.format(Locale.ROOT,
                "%nLeast share of pixels changed by %s: %.1f%%", edit, fraction * 100)));
        return out.append('\n').toString();
    }

    private static String pairRow(String label, List<Integer> distances) {
        return String.format(Locale.ROOT, "| %s | %d | %s | %d | %d |%n", label, distances.size(),
                summary(distances).replace(" / ", " | "), distances.stream().filter(d -> d <= 31).count(),
                distances.stream().filter(d -> d <= 63).count());
    }

    private static int median(List<Integer> values) {
        List<Integer> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** "min / median / max"; the median of an even count is the lower middle value. */
    private static String summary(List<Integer> values) {
        return Collections.min(values) + " / " + median(values) + " / " + Collections.max(values);
    }

    private static double changedFraction(BufferedImage a, BufferedImage b) {
        long changed = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    changed++;
                }
            }
        }
        return (double) changed / ((long) a.getWidth() * a.getHeight());
    }

    private static BufferedImage resize(BufferedImage image, double factor) {
        return ProductPhotos.scaled(image, (int) Math.round(image.getWidth() * factor),
                (int) Math.round(image.getHeight() * factor));
    }

    static BufferedImage jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
            out.flush();
            return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }
}
