package io.refundguard.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Files made to cost the decoder as much as possible: a progressive JPEG with a thousand scans,
 * a 16-bit PNG whose raster is far larger than its file, formats that are not photos. Each is
 * made here, in the test.
 */
class DecoderHostileInputTest {
    private final BoundedImageDecoder decoder = new BoundedImageDecoder(DecodeLimits.DEFAULT);

    /** A small progressive JPEG as ImageIO writes it (libjpeg's script: 10 scans for colour). */
    static byte[] progressiveJpeg(int side) throws IOException {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, (x << 16) | (y << 8) | ((x * y) & 0xff));
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The [start, end) of each scan: its SOS segment and its entropy-coded data. */
    private static List<int[]> scans(byte[] jpeg) {
        List<int[]> scans = new ArrayList<>();
        int pos = 2;
        while ((jpeg[pos + 1] & 0xff) != 0xD9) {
            int marker = jpeg[pos + 1] & 0xff;
            int length = ((jpeg[pos + 2] & 0xff) << 8) | (jpeg[pos + 3] & 0xff);
            int next = pos + 2 + length;
            if (marker == 0xDA) {
                while (!((jpeg[next] & 0xff) == 0xFF && (jpeg[next + 1] & 0xff) != 0
                        && ((jpeg[next + 1] & 0xff) < 0xD0 || (jpeg[next + 1] & 0xff) > 0xD7))) {
                    next++;
                }
                scans.add(new int[] {pos, next});
            }
            pos = next;
        }
        return scans;
    }

    /** The JPEG with its last scan repeated: each repeat is one more full decoding pass. */
    static byte[] withExtraScans(byte[] jpeg, int copies) {
        List<int[]> scans = scans(jpeg);
        int[] last = scans.get(scans.size() - 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, last[1]);
        for (int i = 0; i < copies; i++) {
            out.write(jpeg, last[0], last[1] - last[0]);
        }
        out.write(jpeg, last[1], jpeg.length - last[1]);
        return out.toByteArray();
    }

    @Test
    void scansAreCountedAsEncodersWriteThem() throws Exception {
        byte[] progressive = progressiveJpeg(64);

        assertThat(JpegScans.count(progressive, 1000)).isEqualTo(10);
        assertThat(JpegScans.count(BoundedImageDecoderTest.encode(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB),
                "jpg"), 1000)).isEqualTo(1);
        assertThat(JpegScans.count(withExtraScans(progressive, 990), 1000)).isEqualTo(1000);
        assertThat(decoder.decode(progressive).getWidth()).isEqualTo(64);
    }

    @Test
    void aJpegWithAThousandScansIsRefusedBeforeDecoding() throws Exception {
        byte[] bomb = withExtraScans(progressiveJpeg(64), 990);

        ImageRejectedException e = catchThrowableOfType(ImageRejectedException.class, () -> decoder.decode(bomb));

        assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.TOO_MANY_SCANS);
        assertThat(e.getMessage()).startsWith("TOO_MANY_SCANS: JPEG has more than 32 scans");
    }

    @Test
    void theDeadlineStopsTheDecodeItselfNotOnlyTheWait() throws Exception {
        // Scans allowed, so only the deadline can stop it: 3,000 passes over 256 x 256 pixels take
        // seconds; 50 ms is spent long before the decoder has read the file.
        byte[] slow = withExtraScans(progressiveJpeg(256), 3000);
        BoundedImageDecoder impatient = new BoundedImageDecoder(
                DecodeLimits.DEFAULT.withMaxJpegScans(100_000).withTimeout(Duration.ofMillis(50)));

        ImageRejectedException e = catchThrowableOfType(ImageRejectedException.class, () -> impatient.decode(slow));

        assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.DEADLINE);
        java.util.regex.Matcher read = java.util.regex.Pattern.compile("stopped after reading (\\d+) of (\\d+) bytes")
                .matcher(e.getMessage());
        assertThat(read.find()).as(e.getMessage()).isTrue();
        assertThat(Long.parseLong(read.group(1))).as("bytes the decoder read before it stopped")
                .isLessThan(Long.parseLong(read.group(2)) / 2);
    }

    @Test
    void onlyJpegAndPngAreDecoded() throws Exception {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (String format : List.of("bmp", "gif", "tiff", "wbmp")) {
            BufferedImage source = format.equals("wbmp") ? new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_BINARY) : image;
            byte[] file = BoundedImageDecoderTest.encode(source, format);

            ImageRejectedException e = catchThrowableOfType(ImageRejectedException.class, () -> decoder.decode(file));

            assertThat(e.reason()).as(format).isEqualTo(ImageRejectedException.Reason.UNSUPPORTED_FORMAT);
            assertThat(e.getMessage()).startsWith("UNSUPPORTED_FORMAT: only JPEG and PNG are decoded (the file starts with ");
        }
    }

    /** A 16-bit RGBA PNG of {@code side} x {@code side} black pixels, written row by row. */
    static byte[] sixteenBitRgbaPng(int side) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream header = new DataOutputStream(ihdr);
        header.writeInt(side);
        header.writeInt(side);
        header.write(new byte[] {16, 6, 0, 0, 0}); // 16 bits, RGBA, deflate, filter 0, no interlace
        chunk(png, "IHDR", ihdr.toByteArray());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] row = new byte[1 + side * 8];
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(idat)) {
            for (int y = 0; y < side; y++) {
                deflate.write(row);
            }
        }
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        out.writeInt(data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void aSixteenBitPngFarLargerDecodedThanItsFileIsDecodedSubsampledWithinTheBudget() throws Exception {
        // 3,000 x 3,000 x 8 bytes = 72 MB decoded from a file of some 70 KB; the budget here is 8 MiB.
        long budget = 8L * 1024 * 1024;
        byte[] bomb = sixteenBitRgbaPng(3000);
        assertThat(bomb.length).isLessThan(200_000);
        BoundedImageDecoder bounded = new BoundedImageDecoder(DecodeLimits.DEFAULT.withMaxDecodedBytes(budget));

        BufferedImage image = bounded.decode(bomb);

        DataBuffer raster = image.getRaster().getDataBuffer();
        long rasterBytes = (long) raster.getSize() * raster.getNumBanks() * DataBuffer.getDataTypeSize(raster.getDataType()) / 8;
        assertThat(rasterBytes).isLessThanOrEqualTo(budget);
        assertThat(image.getWidth()).isEqualTo(1000); // every 3rd pixel: 1000 x 1000 x 8 bytes
        assertThat(image.getHeight()).isEqualTo(1000);
    }

    @Test
    void photosWithinTheBudgetDecodeAtFullSize() throws Exception {
        byte[] png = BoundedImageDecoderTest.encode(new BufferedImage(1200, 900, BufferedImage.TYPE_INT_ARGB), "png");

        assertThat(decoder.decode(png).getWidth()).isEqualTo(1200);
        assertThat(new BoundedImageDecoder(DecodeLimits.DEFAULT.withMaxDecodedBytes(1200 * 900 * 4 - 1)).decode(png)
                .getWidth()).isEqualTo(600);
    }

    @Test
    void theDecodeQueueIsBoundedAndAPhotoBeyondItGetsAClearReason() throws Exception {
        EnrichmentSettings settings = EnrichmentSettings.defaults().withDecodeQueue(1);
        try (PhotoFetcher fetcher = new PhotoFetcher(settings, "test")) {
            ExecutorService pool = fetcher.cpuPool();
            CountDownLatch release = new CountDownLatch(1);
            List<CompletableFuture<Void>> busy = new ArrayList<>();
            int threads = Math.min(settings.concurrency(), Runtime.getRuntime().availableProcessors());
            // Every decoding thread busy and the one queue place taken.
            for (int i = 0; i < threads + 1; i++) {
                busy.add(CompletableFuture.runAsync(() -> awaitQuietly(release), pool));
            }

            try {
                CompletableFuture<byte[]> refused = CompletableFuture.completedFuture(new byte[0])
                        .thenApplyAsync(bytes -> bytes, pool);

                // Refused at once, not queued behind the busy threads.
                assertThat(refused).isCompletedExceptionally();
                assertThat(fetcher.describe(PhotoFetcher.unwrap(refused)))
                        .isEqualTo("decode queue full (1 photos waiting): not fingerprinted");
            } finally {
                release.countDown();
            }
            CompletableFuture.allOf(busy.toArray(CompletableFuture[]::new)).join();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
