package io.refundguard.images;

import java.time.Duration;

/**
 * How much an untrusted image may cost to decode. A small, highly compressed file can declare
 * an enormous canvas (a decompression bomb), so the pixel count is checked from the header
 * before any pixel is decoded; the byte cap bounds reading the file itself.
 *
 * @param maxFileBytes largest accepted encoded file
 * @param maxPixels largest accepted width x height
 * @param rejectDecoderWarnings whether a decoder warning (e.g. a JPEG that ends early and is
 *     padded with grey) rejects the image rather than hashing a half-grey picture
 * @param maxJpegScans most scans (SOS markers) a JPEG may have. A progressive JPEG is decoded
 *     once per scan, so a small file of a thousand scans costs a core for tens of seconds;
 *     encoders write 1 (baseline) or about 10 (libjpeg's progressive script: 10 for colour, 6
 *     for grey). Counted before decoding
 * @param maxDecodedBytes largest decoded raster (width x height x bytes per pixel). A larger
 *     image is decoded subsampled (every 2nd, 3rd … pixel and row) to fit: a 16-bit RGBA PNG of
 *     50 M pixels would otherwise take 400 MB of heap, while the hash needs 64 x 64 and the local
 *     features about 512 x 384
 * @param timeout how long one decode may take; the decoder's reads fail after it, which stops
 *     the decoding thread's work (not only the caller's wait)
 */
public record DecodeLimits(long maxFileBytes, long maxPixels, boolean rejectDecoderWarnings, int maxJpegScans,
        long maxDecodedBytes, Duration timeout) {
    public static final long DEFAULT_MAX_FILE_BYTES = 50L * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    public static final int DEFAULT_MAX_JPEG_SCANS = 32;
    /** A 21 M pixel JPEG (3 bytes a pixel) decodes at full size; larger ones subsampled. */
    public static final long DEFAULT_MAX_DECODED_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public static final DecodeLimits DEFAULT = new DecodeLimits(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PIXELS, true,
            DEFAULT_MAX_JPEG_SCANS, DEFAULT_MAX_DECODED_BYTES, DEFAULT_TIMEOUT);

    public DecodeLimits(long maxFileBytes, long maxPixels, boolean rejectDecoderWarnings) {
        this(maxFileBytes, maxPixels, rejectDecoderWarnings, DEFAULT_MAX_JPEG_SCANS, DEFAULT_MAX_DECODED_BYTES,
                DEFAULT_TIMEOUT);
    }

    public DecodeLimits {
        if (maxFileBytes <= 0 || maxPixels <= 0 || maxJpegScans <= 0 || maxDecodedBytes <= 0) {
            throw new IllegalArgumentException("decode limits must be positive");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("decode timeout must be positive");
        }
        if (maxFileBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxFileBytes must fit in a byte array");
        }
    }

    public DecodeLimits withMaxPixels(long pixels) {
        return new DecodeLimits(maxFileBytes, pixels, rejectDecoderWarnings, maxJpegScans, maxDecodedBytes, timeout);
    }

    public DecodeLimits withMaxFileBytes(long bytes) {
        return new DecodeLimits(bytes, maxPixels, rejectDecoderWarnings, maxJpegScans, maxDecodedBytes, timeout);
    }

    public DecodeLimits withRejectDecoderWarnings(boolean reject) {
        return new DecodeLimits(maxFileBytes, maxPixels, reject, maxJpegScans, maxDecodedBytes, timeout);
    }

    public DecodeLimits withMaxJpegScans(int scans) {
        return new DecodeLimits(maxFileBytes, maxPixels, rejectDecoderWarnings, scans, maxDecodedBytes, timeout);
    }

    public DecodeLimits withMaxDecodedBytes(long bytes) {
        return new DecodeLimits(maxFileBytes, maxPixels, rejectDecoderWarnings, maxJpegScans, bytes, timeout);
    }

    public DecodeLimits withTimeout(Duration newTimeout) {
        return new DecodeLimits(maxFileBytes, maxPixels, rejectDecoderWarnings, maxJpegScans, maxDecodedBytes,
                newTimeout);
    }
}
