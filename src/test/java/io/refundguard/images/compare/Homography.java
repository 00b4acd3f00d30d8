package io.refundguard.images.compare;

/**
 * Test helper: the projective map taking the unit square's corners (0,0), (1,0), (1,1), (0,1)
 * to four points, i.e. how a flat printed face looks from a camera at an angle.
 */
final class Homography {
    private final double[] h;

    private Homography(double[] h) {
        this.h = h;
    }

    /** Corners as x0, y0, x1, y1, x2, y2, x3, y3 for (0,0), (1,0), (1,1), (0,1). */
    static Homography unitSquareTo(double[] c) {
        // Heckbert's closed form for square-to-quadrilateral.
        double x0 = c[0], y0 = c[1], x1 = c[2], y1 = c[3], x2 = c[4], y2 = c[5], x3 = c[6], y3 = c[7];
        double sx = x0 - x1 + x2 - x3;
        double sy = y0 - y1 + y2 - y3;
        double dx1 = x1 - x2;
        double dx2 = x3 - x2;
        double dy1 = y1 - y2;
        double dy2 = y3 - y2;
        double det = dx1 * dy2 - dx2 * dy1;
        double g = (sx * dy2 - dx2 * sy) / det;
        double hh = (dx1 * sy - sx * dy1) / det;
        return new Homography(new double[] {x1 - x0 + g * x1, x3 - x0 + hh * x3, x0, y1 - y0 + g * y1, y3 - y0 + hh * y3, y0,
            g, hh, 1});
    }

    double[] map(double u, double v) {
        double w = h[6] * u + h[7] * v + h[8];
        return new double[] {(h[0] * u + h[1] * v + h[2]) / w, (h[3] * u + h[4] * v + h[5]) / w};
    }

    Homography inverse() {
        double a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7], i = h[8];
        double[] inv = {e * i - f * hh, c * hh - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f,
            d * hh - e * g, b * g - a * hh, a * e - b * d};
        return new Homography(inv);
    }
}
