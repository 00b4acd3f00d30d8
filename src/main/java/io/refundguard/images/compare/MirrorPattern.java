package io.refundguard.images.compare;

/**
 * The 128 grey-level comparisons of the binary descriptor, as 64 mirror pairs. Bit 2i compares
 * points p and q of the keypoint's oriented patch; bit 2i+1 compares their reflections across
 * the patch's orientation axis. Reflecting the photo (a horizontal flip) reflects every oriented
 * patch across that axis, so it swaps the two bits of every pair and nothing else: a mirrored
 * copy's descriptors are a fixed bit permutation of the original's, and matching a mirrored copy
 * costs one shuffle of the stored descriptors instead of a second extraction.
 *
 * <p>Coordinates are (a, b): a along the orientation (towards the intensity centroid), b
 * perpendicular to it (a quarter turn further in image coordinates, where y points down). The
 * points are drawn once by a documented generator (splitmix64, fixed seed, integer arithmetic
 * only) so another implementation can rebuild the identical pattern: see {@link #generate()}.
 */
final class MirrorPattern {
    static final int PAIRS = 64;
    static final int RADIUS = 13;
    static final long SEED = 0x5247_4D31L; // "RGM1"

    /** a1, b1, a2, b2 of pair i at [4i .. 4i+3]. */
    static final int[] POINTS = generate();

    private MirrorPattern() {}

    /**
     * Each coordinate is the sum of two uniform integers in [0, 13] minus 13 (a triangular
     * distribution on [-13, 13]: denser near the keypoint, like BRIEF's Gaussian pattern, and
     * exactly reproducible). A point outside the radius-13 disc is redrawn. A pair is redrawn
     * when its points coincide, when both lie on the axis (its mirror bit would repeat it) or
     * when they are each other's reflection (its mirror bit would only negate it).
     */
    static int[] generate() {
        long[] state = {SEED};
        int[] points = new int[PAIRS * 4];
        for (int i = 0; i < PAIRS; i++) {
            int a1;
            int b1;
            int a2;
            int b2;
            do {
                int[] p = point(state);
                int[] q = point(state);
                a1 = p[0];
                b1 = p[1];
                a2 = q[0];
                b2 = q[1];
            } while ((a1 == a2 && b1 == b2) || (b1 == 0 && b2 == 0) || (a1 == a2 && b1 == -b2));
            points[4 * i] = a1;
            points[4 * i + 1] = b1;
            points[4 * i + 2] = a2;
            points[4 * i + 3] = b2;
        }
        return points;
    }

    private static int[] point(long[] state) {
        while (true) {
            int a = coordinate(state);
            int b = coordinate(state);
            if (a * a + b * b <= RADIUS * RADIUS) {
                return new int[] {a, b};
            }
        }
    }

    private static int coordinate(long[] state) {
        int first = (int) Long.remainderUnsigned(splitmix64(state), RADIUS + 1);
        int second = (int) Long.remainderUnsigned(splitmix64(state), RADIUS + 1);
        return first + second - RADIUS;
    }

    /** Steele, Lea and Flood's splitmix64: state += golden gamma, then two xor-shift-multiplies. */
    static long splitmix64(long[] state) {
        state[0] += 0x9E37_79B9_7F4A_7C15L;
        long z = state[0];
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** The descriptor the reflected patch would give: swap the two bits of every mirror pair. */
    static long mirror(long bits) {
        return ((bits & 0x5555_5555_5555_5555L) << 1) | ((bits >>> 1) & 0x5555_5555_5555_5555L);
    }
}
