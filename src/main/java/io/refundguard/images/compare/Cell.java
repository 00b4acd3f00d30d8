package io.refundguard.images.compare;

/** A rectangle of a thumbnail grid, [x0, x1) x [y0, y1), and sums over its masked pixels. */
record Cell(int x0, int x1, int y0, int y1) {
    int area() {
        return (x1 - x0) * (y1 - y0);
    }

    int count(boolean[] mask, int w) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                n += mask[y * w + x] ? 1 : 0;
            }
        }
        return n;
    }

    int countBoth(boolean[] a, boolean[] b, int w) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                n += a[y * w + x] && b[y * w + x] ? 1 : 0;
            }
        }
        return n;
    }

    int countBeyond(float[] a, float[] b, boolean[] mask, int w, float limit) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int i = y * w + x;
                n += mask[i] && Math.abs(a[i] - b[i]) > limit ? 1 : 0;
            }
        }
        return n;
    }

    float mean(float[] values, boolean[] mask, int w) {
        double sum = 0;
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (mask[y * w + x]) {
                    sum += values[y * w + x];
                    n++;
                }
            }
        }
        return n == 0 ? 0 : (float) (sum / n);
    }

    float rms(float[] a, float[] b, boolean[] mask, int w) {
        double sum = 0;
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int i = y * w + x;
                if (mask[i]) {
                    double d = a[i] - b[i];
                    sum += d * d;
                    n++;
                }
            }
        }
        return n == 0 ? 0 : (float) Math.sqrt(sum / n);
    }
}
