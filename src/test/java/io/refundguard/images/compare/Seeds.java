package io.refundguard.images.compare;

/**
 * Test helper: one well-mixed seed from two numbers. java.util.Random's first outputs for
 * neighbouring seeds are alike (seeds 1, 2, 3 gave three purple products), so seeds are hashed
 * through splitmix64's finaliser first.
 */
final class Seeds {
    private Seeds() {}

    static long mix(long a, long b) {
        long z = a * 0x9E37_79B9_7F4A_7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
