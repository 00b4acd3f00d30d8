package io.refundguard.images.compare;

/**
 * A 2x3 matrix: x' = m00 x + m01 y + m02, y' = m10 x + m11 y + m12, in pixel coordinates
 * where pixel (i, j) has its centre at (i, j). Holds the evidence-to-listing mapping once the
 * mirror flip and the two photos' normalisations are folded in.
 */
record Affine(double m00, double m01, double m02, double m10, double m11, double m12) {
    static Affine scaling(double sx, double sy) {
        return new Affine(sx, 0, 0, 0, sy, 0);
    }

    /** x -> width - 1 - x. */
    static Affine horizontalFlip(int width) {
        return new Affine(-1, 0, width - 1, 0, 1, 0);
    }

    static Affine of(Similarity s) {
        return new Affine(s.a(), -s.b(), s.tx(), s.b(), s.a(), s.ty());
    }

    double mapX(double x, double y) {
        return m00 * x + m01 * y + m02;
    }

    double mapY(double x, double y) {
        return m10 * x + m11 * y + m12;
    }

    /** This after {@code first}: p -> this(first(p)). */
    Affine after(Affine first) {
        return new Affine(m00 * first.m00 + m01 * first.m10, m00 * first.m01 + m01 * first.m11,
                m00 * first.m02 + m01 * first.m12 + m02, m10 * first.m00 + m11 * first.m10,
                m10 * first.m01 + m11 * first.m11, m10 * first.m02 + m11 * first.m12 + m12);
    }

    double determinant() {
        return m00 * m11 - m01 * m10;
    }

    Affine inverse() {
        double det = determinant();
        double i00 = m11 / det;
        double i01 = -m01 / det;
        double i10 = -m10 / det;
        double i11 = m00 / det;
        return new Affine(i00, i01, -(i00 * m02 + i01 * m12), i10, i11, -(i10 * m02 + i11 * m12));
    }

    double[] toArray() {
        return new double[] {m00, m01, m02, m10, m11, m12};
    }
}
