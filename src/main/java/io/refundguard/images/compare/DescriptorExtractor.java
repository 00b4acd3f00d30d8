package io.refundguard.images.compare;

/**
 * Orientation and 128-bit binary descriptor of a keypoint (ORB's recipe: orientation from the
 * intensity centroid of a disc, then grey-level comparisons of point pairs rotated to that
 * orientation). The pattern is rotated by the exact angle and sampled bilinearly on a smoothed
 * copy of the level, so a copy rotated by a few degrees gives nearly the same bits; a quantised
 * rotation would flip many bits at every angle step.
 */
final class DescriptorExtractor {
    /** Radius of the orientation disc; the pattern (radius 13) plus bilinear reach fits inside. */
    static final int PATCH_RADIUS = 15;
    /** Smoothing before comparing single samples: BRIEF's remedy for noise-flipped bits. */
    static final double SMOOTHING_SIGMA = 2.0;

    private final GreyImage level;
    private final GreyImage smooth;

    DescriptorExtractor(GreyImage level) {
        this.level = level;
        this.smooth = Filters.gaussian(level, SMOOTHING_SIGMA);
    }

    /** Angle (radians, image coordinates) from the keypoint to its patch's intensity centroid. */
    double orientation(float x, float y) {
        int cx = Math.round(x);
        int cy = Math.round(y);
        double m10 = 0;
        double m01 = 0;
        for (int dy = -PATCH_RADIUS; dy <= PATCH_RADIUS; dy++) {
            int span = (int) Math.sqrt(PATCH_RADIUS * PATCH_RADIUS - dy * dy);
            int row = (cy + dy) * smooth.width;
            for (int dx = -span; dx <= span; dx++) {
                float v = smooth.pixels[row + cx + dx];
                m10 += dx * v;
                m01 += dy * v;
            }
        }
        return Math.atan2(m01, m10);
    }

    /** Two longs, bit k of the descriptor at bit k%64 of long k/64. */
    long[] describe(float x, float y, double angle) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        int[] p = MirrorPattern.POINTS;
        long[] bits = new long[Keypoints.LONGS];
        for (int i = 0; i < MirrorPattern.PAIRS; i++) {
            int a1 = p[4 * i];
            int b1 = p[4 * i + 1];
            int a2 = p[4 * i + 2];
            int b2 = p[4 * i + 3];
            boolean direct = sample(x, y, cos, sin, a1, b1) < sample(x, y, cos, sin, a2, b2);
            boolean reflected = sample(x, y, cos, sin, a1, -b1) < sample(x, y, cos, sin, a2, -b2);
            int bit = 2 * i;
            if (direct) {
                bits[bit >>> 6] |= 1L << (bit & 63);
            }
            if (reflected) {
                bits[(bit + 1) >>> 6] |= 1L << ((bit + 1) & 63);
            }
        }
        return bits;
    }

    /** The smoothed level at keypoint + a * u + b * v, u = (cos, sin), v = (-sin, cos). */
    private float sample(float x, float y, double cos, double sin, int a, int b) {
        return smooth.bilinear((float) (x + a * cos - b * sin), (float) (y + a * sin + b * cos));
    }

    GreyImage level() {
        return level;
    }
}
