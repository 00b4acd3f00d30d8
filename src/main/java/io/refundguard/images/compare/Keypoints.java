package io.refundguard.images.compare;

/**
 * Keypoints unpacked for matching: positions in the photo's own pixels, sizes, angles and
 * descriptors as parallel arrays (one object per photo, not one per keypoint, because matching
 * runs for every evidence x listing pair).
 *
 * @param x column, original pixels
 * @param y row, original pixels
 * @param size patch diameter, original pixels
 * @param angle orientation, radians, image coordinates (y down)
 * @param descriptors {@value #LONGS} longs per keypoint
 */
record Keypoints(float[] x, float[] y, float[] size, float[] angle, long[] descriptors) {
    /** 128-bit descriptors. */
    static final int LONGS = 2;

    int count() {
        return x.length;
    }

    int distance(int i, Keypoints other, int j) {
        long[] a = descriptors;
        long[] b = other.descriptors;
        int p = LONGS * i;
        int q = LONGS * j;
        return Long.bitCount(a[p] ^ b[q]) + Long.bitCount(a[p + 1] ^ b[q + 1]);
    }

    /**
     * The keypoints a horizontally flipped photo of {@code width} pixels would have: x reflected,
     * angle reflected (pi - angle), mirror bit pairs swapped (see {@link MirrorPattern}).
     */
    Keypoints mirrored(int width) {
        int n = count();
        float[] mx = new float[n];
        float[] ma = new float[n];
        long[] md = new long[descriptors.length];
        for (int i = 0; i < n; i++) {
            mx[i] = width - 1 - x[i];
            ma[i] = (float) (Math.PI - angle[i]);
        }
        for (int k = 0; k < md.length; k++) {
            md[k] = MirrorPattern.mirror(descriptors[k]);
        }
        return new Keypoints(mx, y.clone(), size.clone(), ma, md);
    }
}
