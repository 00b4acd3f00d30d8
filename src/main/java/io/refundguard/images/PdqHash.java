package io.refundguard.images;

import java.util.Locale;

/**
 * A 256-bit PDQ perceptual hash as four longs. Hex text is the reference's: 64 lower-case hex
 * characters with the 16-bit word holding bits 240-255 first, i.e. the text is the big-endian
 * rendering of the 256-bit number. {@code w0} holds bits 192-255, {@code w3} bits 0-63.
 */
public record PdqHash(long w0, long w1, long w2, long w3) {
    public static final int BITS = 256;

    public static PdqHash fromHex(String hex) {
        if (hex == null || hex.length() != 64) {
            throw new IllegalArgumentException("a PDQ hash is 64 hex characters");
        }
        return new PdqHash(
                Long.parseUnsignedLong(hex.substring(0, 16), 16),
                Long.parseUnsignedLong(hex.substring(16, 32), 16),
                Long.parseUnsignedLong(hex.substring(32, 48), 16),
                Long.parseUnsignedLong(hex.substring(48, 64), 16));
    }

    public String toHex() {
        return String.format(Locale.ROOT, "%016x%016x%016x%016x", w0, w1, w2, w3);
    }

    public int distance(PdqHash other) {
        return Long.bitCount(w0 ^ other.w0)
                + Long.bitCount(w1 ^ other.w1)
                + Long.bitCount(w2 ^ other.w2)
                + Long.bitCount(w3 ^ other.w3);
    }

    /** Bit {@code i} (0 = least significant of the 256-bit number). */
    public boolean bit(int i) {
        return (word(3 - (i >>> 6)) >>> (i & 63) & 1L) != 0;
    }

    /**
     * The 16-bit word {@code index} (0..15), word 0 holding bits 0-15. Multi-index hashing keys
     * the near-duplicate index by these.
     */
    public int word16(int index) {
        long word = word(3 - (index >>> 2));
        return (int) (word >>> ((index & 3) * 16)) & 0xFFFF;
    }

    /** A copy with bit {@code i} flipped; tests and doctored-photo fixtures use it. */
    public PdqHash flip(int i) {
        long mask = 1L << (i & 63);
        return switch (3 - (i >>> 6)) {
            case 0 -> new PdqHash(w0 ^ mask, w1, w2, w3);
            case 1 -> new PdqHash(w0, w1 ^ mask, w2, w3);
            case 2 -> new PdqHash(w0, w1, w2 ^ mask, w3);
            default -> new PdqHash(w0, w1, w2, w3 ^ mask);
        };
    }

    private long word(int index) {
        return switch (index) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            default -> w3;
        };
    }

    @Override
    public String toString() {
        return toHex();
    }
}
