package io.refundguard.images;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Single-thread PDQ throughput (images per second per core) by image size: hash of an already
 * decoded image, ImageIO decode alone, and decode + hash from JPEG bytes. A plain harness: warm
 * up, then several timed rounds, reporting the median round. Throughput is counted against the
 * benchmark thread's CPU time, because on a shared machine wall-clock time measures the other
 * tenants' load more than this code; wall-clock rates are printed as a second table. Run with
 * {@code java -cp target/classes:target/test-classes:$(cat target/test.classpath)
 * io.refundguard.images.PdqHasherBenchmark [roundSeconds]}.
 */
public final class PdqHasherBenchmark {
    private static final int[][] SIZES = {{640, 480}, {1280, 960}, {2048, 1536}, {4032, 3024}};
    private static final int ROUNDS = 5;
    private static final float JPEG_QUALITY = 0.9f;
    private static final String HEADER = "| image | JPEG q90 bytes | hash only | hash + 8 dihedral "
            + "| decode only | decode + hash | decode + hash (ms/img) |";
    private static final String RULE = "|---|---:|---:|---:|---:|---:|---:|";

    private interface Operation {
        long run() throws Exception;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static long sink;

    public static void main(String[] args) throws Exception {
        double roundSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.5;
        PdqHasher hasher = new PdqHasher();
        BoundedImageDecoder decoder = new BoundedImageDecoder(DecodeLimits.DEFAULT);
        System.out.printf(Locale.ROOT, "java %s, %d available processors, %d rounds of %.1f CPU-s each, median round%n%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), ROUNDS, roundSeconds);
        List<String> wallRows = new ArrayList<>();
        System.out.println("Images per CPU-second of the benchmark thread (= per core):");
        System.out.println();
        System.out.println(HEADER);
        System.out.println(RULE);
        for (int[] size : SIZES) {
            byte[] jpeg = jpeg(photo(size[0], size[1]));
            BufferedImage decoded = decoder.decode(jpeg);
            Rate hashOnly = rate(() -> hasher.hash(decoded).hash().w0(), roundSeconds);
            Rate dihedral = rate(() -> hasher.hashDihedral(decoded).hash(PdqDihedral.ROTATE_180).w1(), roundSeconds);
            Rate decodeOnly = rate(() -> decoder.decode(jpeg).getRGB(0, 0), roundSeconds);
            Rate decodeAndHash = rate(() -> hasher.hash(jpeg).hash().w2(), roundSeconds);
            String label = String.format(Locale.ROOT, "| %dx%d (%.1f MP) | %,d", size[0], size[1],
                    size[0] * size[1] / 1e6, jpeg.length);
            System.out.println(row(label, hashOnly.perCpuSecond(), dihedral.perCpuSecond(),
                    decodeOnly.perCpuSecond(), decodeAndHash.perCpuSecond()));
            wallRows.add(row(label, hashOnly.perWallSecond(), dihedral.perWallSecond(),
                    decodeOnly.perWallSecond(), decodeAndHash.perWallSecond()));
        }
        System.out.println();
        System.out.println("Images per wall-clock second (depends on the machine's other load):");
        System.out.println();
        System.out.println(HEADER);
        System.out.println(RULE);
        wallRows.forEach(System.out::println);
        System.out.println();
        System.out.println("(sink " + sink + ")");
    }

    private static String row(String label, double hash, double dihedral, double decode, double decodeAndHash) {
        return String.format(Locale.ROOT, "%s | %,.1f | %,.1f | %,.1f | %,.1f | %.1f |",
                label, hash, dihedral, decode, decodeAndHash, 1000 / decodeAndHash);
    }

    /** Median operations per second over the timed rounds, per CPU second and per wall second. */
    private record Rate(double perCpuSecond, double perWallSecond) {}

    private record Round(double perCpuSecond, double perWallSecond) {}

    /** Rates of the timed rounds, after one untimed warm-up round. */
    private static Rate rate(Operation operation, double roundSeconds) throws Exception {
        timedRound(operation, roundSeconds);
        List<Round> rounds = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            rounds.add(timedRound(operation, roundSeconds));
        }
        return new Rate(median(rounds.stream().mapToDouble(Round::perCpuSecond).toArray()),
                median(rounds.stream().mapToDouble(Round::perWallSecond).toArray()));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Runs until the thread has used the budget of CPU time. */
    private static Round timedRound(Operation operation, double roundSeconds) throws Exception {
        long budget = (long) (roundSeconds * 1e9);
        long wallStart = System.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long cpu;
        int count = 0;
        do {
            sink += operation.run();
            count++;
            cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
        } while (cpu < budget);
        long wall = System.nanoTime() - wallStart;
        return new Round(count / (cpu / 1e9), count / (wall / 1e9));
    }

    /** A listing photo scaled to size, with fresh sensor noise so the JPEG is not unnaturally smooth. */
    private static BufferedImage photo(int width, int height) {
        BufferedImage base = ProductPhotos.photo(ProductPhotos.Kind.BOX, 1);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(base, 0, 0, width, height, null);
        g.dispose();
        Random random = new Random(width);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            out.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                row[x] = noisy(row[x], (int) Math.round(random.nextGaussian() * 3));
            }
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        return out;
    }

    private static int noisy(int rgb, int n) {
        int r = Math.max(0, Math.min(255, ((rgb >> 16) & 0xff) + n));
        int g = Math.max(0, Math.min(255, ((rgb >> 8) & 0xff) + n));
        int b = Math.max(0, Math.min(255, (rgb & 0xff) + n));
        return (r << 16) | (g << 8) | b;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
            out.flush();
            return bytes.toByteArray();
        } finally {
            writer.dispose();
        }
    }

    private PdqHasherBenchmark() {}
}
