package io.refundguard.cli.simulate;

import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Random fingerprints: a uniformly random 256-bit PDQ hash (quality 50-100) and a random SHA-256.
 * Two independent random PDQ hashes lie about 128 bits apart (standard deviation 8), so a photo
 * matches nothing within the 31-bit radius unless the traffic model made it from another one.
 * Real photos of products cluster more than this; random hashes are the near-duplicate index's
 * easiest case.
 */
public final class RandomPhotos implements PhotoSource {
    private static final HexFormat HEX = HexFormat.of();
    private final long seed;

    public RandomPhotos(long seed) {
        this.seed = seed;
    }

    @Override
    public Photo original(long photoId) {
        SplittableRandom random = randomFor(photoId);
        long[] pdq = {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
        return new Photo(sha256(random), pdq, 50 + random.nextInt(51));
    }

    @Override
    public Photo edited(Photo of, int bits, long photoId) {
        if (bits < 0 || bits > 256) {
            throw new IllegalArgumentException("bits must be 0..256, got " + bits);
        }
        SplittableRandom random = randomFor(photoId);
        long[] pdq = of.pdq().clone();
        // Flip `bits` distinct positions: a partial Fisher-Yates shuffle of the 256 positions.
        int[] positions = new int[256];
        for (int i = 0; i < 256; i++) {
            positions[i] = i;
        }
        for (int i = 0; i < bits; i++) {
            int j = i + random.nextInt(256 - i);
            int position = positions[j];
            positions[j] = positions[i];
            pdq[position >>> 6] ^= 1L << (position & 63);
        }
        int quality = Math.max(50, Math.min(100, of.pdqQuality() - 5 + random.nextInt(11)));
        return new Photo(sha256(random), pdq, quality);
    }

    private SplittableRandom randomFor(long photoId) {
        // SplittableRandom mixes its seed, so neighbouring ids give unrelated streams.
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + photoId);
    }

    private static String sha256(SplittableRandom random) {
        StringBuilder hex = new StringBuilder(64);
        for (int i = 0; i < 4; i++) {
            hex.append(HEX.toHexDigits(random.nextLong()));
        }
        return hex.toString();
    }
}
