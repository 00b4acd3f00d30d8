package io.refundguard.images.compare;

/** Small separable filters on grey images; edges are clamped (replicated). */
final class Filters {
    private Filters() {}

    static GreyImage gaussian(GreyImage image, double sigma) {
        if (sigma <= 0.05) {
            return image;
        }
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] kernel = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        return separable(image, kernel);
    }

    /** The [1 2 1] / 4 kernel across and down: a Gaussian of sigma 0.71 at a third of the cost. */
    static GreyImage binomial(GreyImage image) {
        int w = image.width;
        int h = image.height;
        float[] p = image.pixels;
        float[] tmp = new float[w * h];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                tmp[row + x] = 0.25f * (p[row + Math.max(0, x - 1)] + 2 * p[row + x] + p[row + Math.min(w - 1, x + 1)]);
            }
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            int up = Math.max(0, y - 1) * w;
            int row = y * w;
            int down = Math.min(h - 1, y + 1) * w;
            for (int x = 0; x < w; x++) {
                out[row + x] = 0.25f * (tmp[up + x] + 2 * tmp[row + x] + tmp[down + x]);
            }
        }
        return new GreyImage(w, h, out);
    }

    /** Mean over a (2r+1) x (2r+1) window, by running sums: constant cost per pixel whatever r. */
    static GreyImage box(GreyImage image, int radius) {
        int w = image.width;
        int h = image.height;
        float[] tmp = new float[w * h];
        float[] out = new float[w * h];
        float[] line = new float[Math.max(w, h)];
        float[] result = new float[Math.max(w, h)];
        for (int y = 0; y < h; y++) {
            System.arraycopy(image.pixels, y * w, line, 0, w);
            runningMean(line, w, radius, result);
            System.arraycopy(result, 0, tmp, y * w, w);
        }
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                line[y] = tmp[y * w + x];
            }
            runningMean(line, h, radius, result);
            for (int y = 0; y < h; y++) {
                out[y * w + x] = result[y];
            }
        }
        return new GreyImage(w, h, out);
    }

    private static void runningMean(float[] line, int n, int r, float[] out) {
        double sum = 0;
        for (int k = -r; k <= r; k++) {
            sum += line[Math.max(0, Math.min(n - 1, k))];
        }
        float norm = 1f / (2 * r + 1);
        for (int i = 0; i < n; i++) {
            out[i] = (float) (sum * norm);
            sum += line[Math.min(n - 1, i + r + 1)] - line[Math.max(0, i - r)];
        }
    }

    static GreyImage separable(GreyImage image, float[] kernel) {
        int w = image.width;
        int h = image.height;
        float[] tmp = new float[w * h];
        float[] line = new float[Math.max(w, h)];
        float[] out = new float[w * h];
        float[] src = image.pixels;
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, y * w, line, 0, w);
            convolve(line, w, kernel, tmp, y * w, 1);
        }
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                line[y] = tmp[y * w + x];
            }
            convolve(line, h, kernel, out, x, w);
        }
        return new GreyImage(w, h, out);
    }

    /** One line; clamped reads only near its ends, so the long middle runs without bounds checks. */
    private static void convolve(float[] line, int n, float[] kernel, float[] out, int offset, int stride) {
        int r = kernel.length / 2;
        for (int i = 0; i < n; i++) {
            float s = 0;
            if (i >= r && i + r < n) {
                for (int k = 0, j = i - r; k < kernel.length; k++, j++) {
                    s += kernel[k] * line[j];
                }
            } else {
                for (int k = -r; k <= r; k++) {
                    int j = i + k < 0 ? 0 : (i + k >= n ? n - 1 : i + k);
                    s += kernel[k + r] * line[j];
                }
            }
            out[offset + i * stride] = s;
        }
    }
}
