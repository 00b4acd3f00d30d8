package io.refundguard.images;

/**
 * A PDQ hash with its quality, 0..100. Below {@link #MIN_MATCHABLE_QUALITY} the picture is too
 * featureless (flat, tiny, blank) for its hash to mean anything and should not be matched.
 */
public record PdqResult(PdqHash hash, int quality) {
    public static final int MIN_MATCHABLE_QUALITY = 50;

    public PdqResult {
        if (hash == null) {
            throw new IllegalArgumentException("hash is required");
        }
        if (quality < 0 || quality > PdqQuality.MAX) {
            throw new IllegalArgumentException("quality must be 0..100, was " + quality);
        }
    }

    public boolean matchable() {
        return quality >= MIN_MATCHABLE_QUALITY;
    }
}
