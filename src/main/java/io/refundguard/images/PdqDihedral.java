package io.refundguard.images;

/**
 * The eight rotations and mirror images of a picture. Each is computed from the original's DCT
 * coefficients instead of re-hashing transformed pixels: reversing an axis multiplies frequency
 * k along it by (-1)^k, and transposing swaps the two frequency indices. Stored index p holds
 * frequency p + 1, so reversal negates the even indices.
 */
public enum PdqDihedral {
    ORIGINAL(false, false, false),
    /** Rotated a quarter turn clockwise. */
    ROTATE_90_CW(true, false, true),
    ROTATE_180(false, true, true),
    /** Rotated a quarter turn counter-clockwise. */
    ROTATE_90_CCW(true, true, false),
    /** Mirrored left to right. */
    MIRROR_HORIZONTAL(false, false, true),
    /** Mirrored top to bottom. */
    MIRROR_VERTICAL(false, true, false),
    /** Flipped about the main diagonal (top-left to bottom-right). */
    TRANSPOSE(true, false, false),
    /** Flipped about the anti-diagonal (top-right to bottom-left). */
    TRANSVERSE(true, true, true);

    // The transform as: optionally transpose, then optionally reverse rows and/or columns.
    private final boolean transpose;
    private final boolean reverseRows;
    private final boolean reverseCols;

    PdqDihedral(boolean transpose, boolean reverseRows, boolean reverseCols) {
        this.transpose = transpose;
        this.reverseRows = reverseRows;
        this.reverseCols = reverseCols;
    }

    float[] transformCoefficients(float[] coefficients) {
        int size = PdqDct.SIZE;
        float[] out = new float[size * size];
        for (int p = 0; p < size; p++) {
            for (int q = 0; q < size; q++) {
                int source = transpose ? q * size + p : p * size + q;
                out[p * size + q] = negates(p, q) ? -coefficients[source] : coefficients[source];
            }
        }
        return out;
    }

    private boolean negates(int p, int q) {
        boolean byRow = reverseRows && (p & 1) == 0;
        boolean byCol = reverseCols && (q & 1) == 0;
        return byRow ^ byCol;
    }
}
