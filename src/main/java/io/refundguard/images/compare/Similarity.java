package io.refundguard.images.compare;

import java.util.List;

/**
 * A similarity transform (rotation, uniform scale, translation): x' = a x - b y + tx,
 * y' = b x + a y + ty. Copies of a photo differ from it by a similarity (crop = translation,
 * resize = scale, a straightened or tilted re-save = rotation, a screenshot = scale and
 * translation), never by perspective, so a similarity is the right model: it has fewer degrees
 * of freedom for an honest photo of the same object to fit by chance.
 */
record Similarity(double a, double b, double tx, double ty) {
    double mapX(double x, double y) {
        return a * x - b * y + tx;
    }

    double mapY(double x, double y) {
        return b * x + a * y + ty;
    }

    double scale() {
        return Math.sqrt(a * a + b * b);
    }

    double rotation() {
        return Math.atan2(b, a);
    }

    /** The similarity taking (x1, y1) to (u1, v1) and (x2, y2) to (u2, v2); null if the points coincide. */
    static Similarity fromTwo(double x1, double y1, double x2, double y2, double u1, double v1, double u2, double v2) {
        double dx = x2 - x1;
        double dy = y2 - y1;
        double du = u2 - u1;
        double dv = v2 - v1;
        double norm = dx * dx + dy * dy;
        if (norm < 1e-9) {
            return null;
        }
        double a = (dx * du + dy * dv) / norm;
        double b = (dx * dv - dy * du) / norm;
        return new Similarity(a, b, u1 - (a * x1 - b * y1), v1 - (b * x1 + a * y1));
    }

    /** Least-squares similarity taking points (x, y)[i] to (u, v)[i] for the listed indices. */
    static Similarity leastSquares(float[] x, float[] y, float[] u, float[] v, List<Integer> indices) {
        int n = indices.size();
        double mx = 0;
        double my = 0;
        double mu = 0;
        double mv = 0;
        for (int i : indices) {
            mx += x[i];
            my += y[i];
            mu += u[i];
            mv += v[i];
        }
        mx /= n;
        my /= n;
        mu /= n;
        mv /= n;
        double sxx = 0;
        double num = 0;
        double cross = 0;
        for (int i : indices) {
            double px = x[i] - mx;
            double py = y[i] - my;
            double qu = u[i] - mu;
            double qv = v[i] - mv;
            sxx += px * px + py * py;
            num += px * qu + py * qv;
            cross += px * qv - py * qu;
        }
        if (sxx < 1e-9) {
            return null;
        }
        double a = num / sxx;
        double b = cross / sxx;
        return new Similarity(a, b, mu - (a * mx - b * my), mv - (b * mx + a * my));
    }
}
