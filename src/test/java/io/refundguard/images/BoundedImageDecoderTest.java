package io.refundguard.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Untrusted files: every bad input ends in a one-line rejection, quickly, never a hang or OOM. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BoundedImageDecoderTest {
    private final BoundedImageDecoder decoder = new BoundedImageDecoder(DecodeLimits.DEFAULT);

    @Test
    void decodesAnOrdinaryJpegAndPng() throws Exception {
        BufferedImage photo = ProductPhotos.photo(ProductPhotos.Kind.MUG, 1);

        assertThat(decoder.decode(encode(photo, "jpg")).getWidth()).isEqualTo(ProductPhotos.WIDTH);
        assertThat(decoder.decode(encode(photo, "png")).getHeight()).isEqualTo(ProductPhotos.HEIGHT);
    }

    @Test
    void refusesMorePixelsThanTheLimit() throws Exception {
        byte[] png = encode(new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB), "png");
        BoundedImageDecoder strict = new BoundedImageDecoder(DecodeLimits.DEFAULT.withMaxPixels(29_999));

        ImageRejectedException e = rejection(() -> strict.decode(png));

        assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.TOO_MANY_PIXELS);
        assertThat(e.getMessage()).contains("200x150").doesNotContain("\n");
        assertThat(new BoundedImageDecoder(DecodeLimits.DEFAULT.withMaxPixels(30_000)).decode(png).getWidth())
                .isEqualTo(200);
    }

    @Test
    void pngDecompressionBombIsRefusedFromItsHeader() throws Exception {
        byte[] bomb = withPngSize(encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png"), 100_000, 100_000);

        ImageRejectedException e = rejection(() -> decoder.decode(bomb));

        assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.TOO_MANY_PIXELS);
        assertThat(e.getMessage()).contains("100000x100000");
    }

    @Test
    void jpegDeclaringAHugeCanvasIsRefusedFromItsHeader() throws Exception {
        byte[] bomb = withJpegSize(encode(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "jpg"), 60_000, 60_000);

        ImageRejectedException e = rejection(() -> decoder.decode(bomb));

        assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.TOO_MANY_PIXELS);
        assertThat(e.getMessage()).contains("60000x60000");
    }

    @Test
    void refusesFilesOverTheByteCap(@TempDir Path dir) throws Exception {
        byte[] jpeg = encode(ProductPhotos.photo(ProductPhotos.Kind.BOX, 1), "jpg");
        Path file = Files.write(dir.resolve("big.jpg"), jpeg);
        BoundedImageDecoder small = new BoundedImageDecoder(DecodeLimits.DEFAULT.withMaxFileBytes(jpeg.length - 1));

        assertThat(rejection(() -> small.decode(jpeg)).reason()).isEqualTo(ImageRejectedException.Reason.FILE_TOO_LARGE);
        assertThat(rejection(() -> small.decode(file)).reason()).isEqualTo(ImageRejectedException.Reason.FILE_TOO_LARGE);
        assertThat(new BoundedImageDecoder(DecodeLimits.DEFAULT.withMaxFileBytes(jpeg.length)).decode(file)).isNotNull();
    }

    @Test
    void garbageIsAnUnsupportedFormat() {
        byte[] garbage = new byte[4096];
        new Random(1).nextBytes(garbage);

        ImageRejectedException e = rejection(() -> decoder.decode(garbage));

        assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.UNSUPPORTED_FORMAT);
    }

    @Test
    void emptyInputIsCorrupt() {
        assertThat(rejection(() -> decoder.decode(new byte[0])).reason()).isEqualTo(ImageRejectedException.Reason.CORRUPT);
    }

    @Test
    void truncatedJpegIsRejectedRatherThanHashedHalfGrey() throws Exception {
        byte[] jpeg = Files.readAllBytes(PdqReferenceData.image("dih/bridge-1-original.jpg"));
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);

        ImageRejectedException e = rejection(() -> decoder.decode(truncated));

        assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.CORRUPT);
        assertThat(e.getMessage()).startsWith("CORRUPT: JPEG").doesNotContain("\n");
    }

    @Test
    void truncatedJpegDecodesWhenDecoderWarningsAreTolerated() throws Exception {
        byte[] jpeg = Files.readAllBytes(PdqReferenceData.image("dih/bridge-1-original.jpg"));
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
        BoundedImageDecoder lenient = new BoundedImageDecoder(DecodeLimits.DEFAULT.withRejectDecoderWarnings(false));

        assertThat(lenient.decode(truncated).getWidth()).isEqualTo(ImageIO.read(PdqReferenceData.image("dih/bridge-1-original.jpg").toFile()).getWidth());
    }

    @Test
    void truncatedPngIsCorrupt() throws Exception {
        byte[] png = encode(ProductPhotos.photo(ProductPhotos.Kind.SHOE, 1), "png");

        ImageRejectedException e = rejection(() -> decoder.decode(Arrays.copyOf(png, png.length / 3)));

        assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.CORRUPT);
        assertThat(e.getMessage()).startsWith("CORRUPT: PNG");
    }

    @Test
    void headerOnlyJpegIsCorrupt() throws Exception {
        byte[] jpeg = encode(ProductPhotos.photo(ProductPhotos.Kind.BOX, 2), "jpg");

        assertThat(rejection(() -> decoder.decode(Arrays.copyOf(jpeg, 40))).reason())
                .isEqualTo(ImageRejectedException.Reason.CORRUPT);
    }

    @Test
    void corruptedScanDataNeverHangs() throws Exception {
        byte[] jpeg = encode(ProductPhotos.photo(ProductPhotos.Kind.PHONE, 3), "jpg");
        Random random = new Random(11);
        for (int trial = 0; trial < 30; trial++) {
            byte[] damaged = jpeg.clone();
            for (int i = 0; i < 40; i++) {
                damaged[600 + random.nextInt(damaged.length - 600)] = (byte) random.nextInt();
            }
            try {
                decoder.decode(damaged);
            } catch (ImageRejectedException e) {
                assertThat(e.getMessage()).doesNotContain("\n");
            }
        }
    }

    @Test
    void missingFileIsUnreadable(@TempDir Path dir) {
        ImageRejectedException e = rejection(() -> decoder.decode(dir.resolve("nope.jpg")));

        assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.UNREADABLE);
        assertThat(e.getMessage()).contains("nope.jpg");
    }

    @Test
    void rejectionsCarryNoStackTrace() {
        ImageRejectedException e = rejection(() -> decoder.decode(new byte[] {1, 2, 3}));

        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void hasherRejectsThroughTheSameLimits() throws Exception {
        byte[] png = encode(new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB), "png");
        PdqHasher hasher = new PdqHasher(DecodeLimits.DEFAULT.withMaxPixels(9_999));

        assertThat(rejection(() -> hasher.hash(png)).reason()).isEqualTo(ImageRejectedException.Reason.TOO_MANY_PIXELS);
        assertThat(rejection(() -> hasher.hashDihedral(png)).reason()).isEqualTo(ImageRejectedException.Reason.TOO_MANY_PIXELS);
    }

    private interface Decode {
        Object run() throws ImageRejectedException;
    }

    private static ImageRejectedException rejection(Decode decode) {
        return catchThrowableOfType(ImageRejectedException.class, decode::run);
    }

    static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites the IHDR width/height and its CRC, leaving the 1x1 pixel data as it is. */
    private static byte[] withPngSize(byte[] png, int width, int height) {
        byte[] out = png.clone();
        ByteBuffer buffer = ByteBuffer.wrap(out);
        int ihdrData = 8 + 4 + 4; // signature, chunk length, chunk type
        buffer.putInt(ihdrData, width);
        buffer.putInt(ihdrData + 4, height);
        CRC32 crc = new CRC32();
        crc.update(out, 8 + 4, 4 + 13);
        buffer.putInt(ihdrData + 13, (int) crc.getValue());
        return out;
    }

    /** Rewrites the frame header (SOF0) dimensions. */
    private static byte[] withJpegSize(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 9 < out.length; i++) {
            if ((out[i] & 0xff) == 0xFF && (out[i + 1] & 0xff) == 0xC0) {
                ByteBuffer buffer = ByteBuffer.wrap(out);
                buffer.putShort(i + 5, (short) height);
                buffer.putShort(i + 7, (short) width);
                return out;
            }
        }
        throw new IllegalStateException("no SOF0 marker");
    }
}
