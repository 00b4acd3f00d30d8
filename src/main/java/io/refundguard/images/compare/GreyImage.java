package io.refundguard.images.compare;

/**
 * A grey image as floats (0-255), row-major. Mutable only while it is being built; the
 * extractor and the verifier treat a finished one as read-only.
 */
final class GreyImage {
    final int width;
    final int height;
    final float[] pixels;

    GreyImage(int width, int height) {
        this(width, height, new float[width * height]);
    }

    GreyImage(int width, int height, float[] pixels) {
        if (width <= 0 || height <= 0 || pixels.length != width * height) {
            throw new IllegalArgumentException("bad grey image " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    float get(int x, int y) {
        return pixels[y * width + x];
    }

    /** Bilinear sample; the caller keeps (x, y) inside [0, width-1] x [0, height-1]. */
    float bilinear(float x, float y) {
        int x0 = Math.min((int) x, width - 2 < 0 ? 0 : width - 2);
        int y0 = Math.min((int) y, height - 2 < 0 ? 0 : height - 2);
        float fx = x - x0;
        float fy = y - y0;
        int i = y0 * width + x0;
        int right = width > 1 ? 1 : 0;
        int down = height > 1 ? width : 0;
        float top = pixels[i] + fx * (pixels[i + right] - pixels[i]);
        float bottom = pixels[i + down] + fx * (pixels[i + down + right] - pixels[i + down]);
        return top + fy * (bottom - top);
    }

    /** Reads row {@code y} into {@code row}; lets an image feed the streaming {@link Resampler}. */
    void readRow(int y, float[] row) {
        System.arraycopy(pixels, y * width, row, 0, width);
    }
}
