package io.refundguard.images;

import java.awt.image.BufferedImage;

/**
 * Test oracle: the blur and decimation done the plain way, on full-size float buffers, one
 * column at a time, with explicit window arithmetic instead of the streamed running sums.
 */
final class FullBufferDownsample {
    private FullBufferDownsample() {}

    static float[] of(BufferedImage image) {
        int rows = image.getHeight();
        int cols = image.getWidth();
        float[] a = new float[rows * cols];
        float[] b = new float[rows * cols];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                int rgb = image.getRGB(x, y);
                a[y * cols + x] = 0.299f * ((rgb >> 16) & 0xff) + 0.587f * ((rgb >> 8) & 0xff) + 0.114f * (rgb & 0xff);
            }
        }
        int fullAlongRow = (cols + 127) / 128;
        int fullAlongCol = (rows + 127) / 128;
        for (int pass = 0; pass < 2; pass++) {
            for (int y = 0; y < rows; y++) {
                box(a, y * cols, 1, cols, fullAlongRow, b);
            }
            for (int x = 0; x < cols; x++) {
                box(b, x, cols, rows, fullAlongCol, a);
            }
        }
        float[] out = new float[64 * 64];
        for (int i = 0; i < 64; i++) {
            int y = (int) (((i + 0.5) * rows) / 64);
            for (int j = 0; j < 64; j++) {
                int x = (int) (((j + 0.5) * cols) / 64);
                out[i * 64 + j] = a[y * cols + x];
            }
        }
        return out;
    }

    /** Running mean over [i - (full - half), i + half - 1] with half = (full + 2) / 2. */
    private static void box(float[] in, int start, int stride, int length, int full, float[] out) {
        int half = (full + 2) / 2;
        int before = full - half;
        int after = half - 1;
        float sum = 0f;
        int inWindow = 0;
        for (int k = 0; k < after; k++) {
            sum += in[start + k * stride];
            inWindow++;
        }
        for (int i = 0; i < length; i++) {
            if (i + after < length) {
                sum += in[start + (i + after) * stride];
                inWindow++;
            }
            if (i - before - 1 >= 0) {
                sum -= in[start + (i - before - 1) * stride];
                inWindow--;
            }
            out[start + i * stride] = sum / inWindow;
        }
    }
}
