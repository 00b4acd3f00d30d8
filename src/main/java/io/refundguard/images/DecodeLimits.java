package io.refundguard.images;

/**
 * How much an untrusted image may cost to decode. A small, highly compressed file can declare
 * an enormous canvas (a decompression bomb), so the pixel count is checked from the header
 * before any pixel is decoded; the byte cap bounds reading the file itself.
 *
 * @param maxFileBytes largest accepted encoded file
 * @param maxPixels largest accepted width x height
 * @param rejectDecoderWarnings whether a decoder warning (e.g. a JPEG that ends early and is
 *     padded with grey) rejects the image rather than hashing a half-grey picture
 */
public record DecodeLimits(long maxFileBytes, long maxPixels, boolean rejectDecoderWarnings) {
    public static final long DEFAULT_MAX_FILE_BYTES = 50L * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    public static final DecodeLimits DEFAULT =
            new DecodeLimits(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PIXELS, true);

    public DecodeLimits {
        if (maxFileBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("decode limits must be positive");
        }
        if (maxFileBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxFileBytes must fit in a byte array");
        }
    }

    public DecodeLimits withMaxPixels(long pixels) {
        return new DecodeLimits(maxFileBytes, pixels, rejectDecoderWarnings);
    }

    public DecodeLimits withMaxFileBytes(long bytes) {
        return new DecodeLimits(bytes, maxPixels, rejectDecoderWarnings);
    }

    public DecodeLimits withRejectDecoderWarnings(boolean reject) {
        return new DecodeLimits(maxFileBytes, maxPixels, reject);
    }
}
