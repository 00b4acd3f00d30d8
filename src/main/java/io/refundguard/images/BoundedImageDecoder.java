package io.refundguard.images;

import io.refundguard.settings.Durations;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * Decodes untrusted image files with Java ImageIO (the decoder the reference hashes were made
 * with), refusing oversize files and canvases before paying for them. Only the first image of
 * a multi-image file is read and metadata is skipped, since neither feeds the hash.
 *
 * <p>What a hostile file could cost is checked before decoding: the format by its magic bytes
 * (JPEG and PNG only: every other ImageIO plugin is attack surface with no photo behind it), the
 * canvas and the decoded raster's size from the header (a larger raster is decoded subsampled),
 * and a JPEG's scan count. The decode itself runs against a deadline that its own reads check,
 * so it stops the work rather than only the wait.
 */
public final class BoundedImageDecoder {
    private final DecodeLimits limits;

    public BoundedImageDecoder(DecodeLimits limits) {
        this.limits = limits;
    }

    public DecodeLimits limits() {
        return limits;
    }

    public BufferedImage decode(Path file) throws ImageRejectedException {
        return decode(readBounded(file));
    }

    public BufferedImage decode(byte[] fileBytes) throws ImageRejectedException {
        if (fileBytes == null || fileBytes.length == 0) {
            throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT, "empty file");
        }
        requireFileSize(fileBytes.length);
        String format = format(fileBytes);
        if (format.equals("jpeg")) {
            requireScanCount(JpegScans.count(fileBytes, limits.maxJpegScans() + 1));
        }
        DeadlineStream stream = new DeadlineStream(fileBytes, System.nanoTime() + limits.timeout().toNanos());
        ImageReader reader = null;
        try (stream) {
            reader = ImageIO.getImageReadersByFormatName(format).next();
            return decodeChecked(reader, stream);
        } catch (IOException e) {
            throw new ImageRejectedException(ImageRejectedException.Reason.UNREADABLE, oneLine(e), e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    /** JPEG or PNG by the file's first bytes; nothing else is handed to a decoder. */
    private static String format(byte[] file) throws ImageRejectedException {
        if (file.length >= 3 && (file[0] & 0xff) == 0xFF && (file[1] & 0xff) == 0xD8 && (file[2] & 0xff) == 0xFF) {
            return "jpeg";
        }
        if (file.length >= PNG_SIGNATURE.length && Arrays.equals(file, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0,
                PNG_SIGNATURE.length)) {
            return "png";
        }
        StringBuilder start = new StringBuilder();
        for (int i = 0; i < Math.min(4, file.length); i++) {
            start.append(String.format(Locale.ROOT, "%02x", file[i] & 0xff));
        }
        throw new ImageRejectedException(ImageRejectedException.Reason.UNSUPPORTED_FORMAT,
                "only JPEG and PNG are decoded (the file starts with " + start + ")");
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private BufferedImage decodeChecked(ImageReader reader, DeadlineStream stream)
            throws ImageRejectedException {
        reader.setInput(stream, true, true);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try {
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            requirePixelCount(width, height);
            ImageReadParam param = reader.getDefaultReadParam();
            int step = subsampling(width, height, bytesPerPixel(reader));
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage image = reader.read(0, param);
            if (limits.rejectDecoderWarnings() && !warnings.isEmpty()) {
                throw corrupt(reader, "decoder warning: " + warnings.get(0));
            }
            return image;
        } catch (IOException | RuntimeException e) {
            if (stream.expired) {
                throw new ImageRejectedException(ImageRejectedException.Reason.DEADLINE, "decoding took longer than "
                        + Durations.format(limits.timeout()) + " (stopped after reading " + stream.position()
                        + " of " + stream.length() + " bytes)");
            }
            // ImageIO plugins signal malformed input with IIOException but also with
            // IndexOutOfBounds, IllegalArgument, NegativeArraySize and the like.
            throw corrupt(reader, oneLine(e), e);
        }
    }

    /**
     * The smallest step (1 = every pixel) at which the decoded raster fits {@code
     * maxDecodedBytes}. Photos within it decode at full size, so their hashes are the ones a
     * platform computes from the same file.
     */
    private int subsampling(int width, int height, int bytesPerPixel) {
        int step = 1;
        while ((long) ceilDiv(width, step) * ceilDiv(height, step) * bytesPerPixel > limits.maxDecodedBytes()) {
            step++;
        }
        return step;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Bytes per pixel of the raster the reader will decode into, from the header. */
    private static int bytesPerPixel(ImageReader reader) throws IOException {
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        if (!types.hasNext()) {
            return 4;
        }
        int bits = 0;
        for (int size : types.next().getSampleModel().getSampleSize()) {
            bits += size;
        }
        // Samples below a byte still take a byte each in the rasters ImageIO builds for them.
        return Math.max(1, (bits + 7) / 8);
    }

    private void requireScanCount(int scans) throws ImageRejectedException {
        if (scans > limits.maxJpegScans()) {
            throw new ImageRejectedException(ImageRejectedException.Reason.TOO_MANY_SCANS,
                    "JPEG has more than " + limits.maxJpegScans() + " scans (a progressive JPEG is decoded once"
                            + " per scan; encoders write about 10)");
        }
    }

    private byte[] readBounded(Path file) throws ImageRejectedException {
        try (InputStream in = Files.newInputStream(file)) {
            // Reads one byte past the cap so a file that grew after a size check is still caught.
            byte[] bytes = in.readNBytes((int) limits.maxFileBytes() + 1);
            requireFileSize(bytes.length);
            return bytes;
        } catch (IOException e) {
            throw new ImageRejectedException(ImageRejectedException.Reason.UNREADABLE,
                    "cannot read " + file.getFileName() + ": " + oneLine(e), e);
        }
    }

    private void requireFileSize(long bytes) throws ImageRejectedException {
        if (bytes > limits.maxFileBytes()) {
            throw new ImageRejectedException(ImageRejectedException.Reason.FILE_TOO_LARGE,
                    "file exceeds " + limits.maxFileBytes() + " bytes");
        }
    }

    private void requirePixelCount(int width, int height) throws ImageRejectedException {
        if (width <= 0 || height <= 0) {
            throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT,
                    "declared size " + width + "x" + height);
        }
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
            throw new ImageRejectedException(ImageRejectedException.Reason.TOO_MANY_PIXELS,
                    width + "x" + height + " = " + pixels + " pixels exceeds limit " + limits.maxPixels());
        }
    }

    private static ImageRejectedException corrupt(ImageReader reader, String detail) {
        return corrupt(reader, detail, null);
    }

    private static ImageRejectedException corrupt(ImageReader reader, String detail, Throwable cause) {
        return new ImageRejectedException(ImageRejectedException.Reason.CORRUPT,
                formatName(reader) + " " + detail, cause);
    }

    private static String formatName(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT);
        } catch (IOException e) {
            return "image";
        }
    }

    /**
     * The file's bytes, read by the decoder through a check of the deadline: once it has passed,
     * every read fails, and the decoder (JPEG's native one included) stops at its next read.
     */
    private static final class DeadlineStream extends ImageInputStreamImpl {
        private final byte[] bytes;
        private final long deadlineNanos;
        volatile boolean expired;

        DeadlineStream(byte[] bytes, long deadlineNanos) {
            this.bytes = bytes;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public int read() throws IOException {
            checkDeadline();
            bitOffset = 0;
            return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            checkDeadline();
            bitOffset = 0;
            if (len == 0) {
                return 0;
            }
            if (streamPos >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(len, bytes.length - streamPos);
            System.arraycopy(bytes, (int) streamPos, b, off, n);
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            return bytes.length;
        }

        long position() {
            return streamPos;
        }

        private void checkDeadline() throws IIOException {
            if (expired || System.nanoTime() - deadlineNanos > 0) {
                expired = true;
                throw new IIOException("decode deadline passed");
            }
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        return text.replaceAll("\\s+", " ").trim();
    }
}
