package io.refundguard.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes untrusted image files with Java ImageIO (the decoder the reference hashes were made
 * with), refusing oversize files and canvases before paying for them. Only the first image of
 * a multi-image file is read and metadata is skipped, since neither feeds the hash.
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
        // An in-memory stream: ImageIO's default may spill to a temp file per decode.
        try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(fileBytes))) {
            ImageReader reader = readerFor(stream);
            try {
                return decodeChecked(reader, stream);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ImageRejectedException(ImageRejectedException.Reason.UNREADABLE, oneLine(e), e);
        } catch (RuntimeException e) {
            // Format sniffing runs every plugin's header check on hostile bytes.
            throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT, oneLine(e), e);
        }
    }

    private BufferedImage decodeChecked(ImageReader reader, ImageInputStream stream)
            throws ImageRejectedException {
        reader.setInput(stream, true, true);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try {
            requirePixelCount(reader.getWidth(0), reader.getHeight(0));
            BufferedImage image = reader.read(0);
            if (limits.rejectDecoderWarnings() && !warnings.isEmpty()) {
                throw corrupt(reader, "decoder warning: " + warnings.get(0));
            }
            return image;
        } catch (IOException | RuntimeException e) {
            // ImageIO plugins signal malformed input with IIOException but also with
            // IndexOutOfBounds, IllegalArgument, NegativeArraySize and the like.
            throw corrupt(reader, oneLine(e), e);
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

    private static ImageReader readerFor(ImageInputStream stream) throws ImageRejectedException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
        if (!readers.hasNext()) {
            throw new ImageRejectedException(ImageRejectedException.Reason.UNSUPPORTED_FORMAT,
                    "no ImageIO reader recognises this file");
        }
        return readers.next();
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

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        return text.replaceAll("\\s+", " ").trim();
    }
}
