package io.refundguard.images;

import java.util.Arrays;

/**
 * The 16x16 block of DCT-II coefficients of the 64x64 downsample that PDQ keeps: frequencies
 * 1..16 along each axis. Frequency 0 (the mean brightness of a row/column) is left out because
 * it says nothing about structure and would dominate the median. Only the 16 needed basis rows
 * are computed (B = D A D^T with D 16x64), which upstream found faster than a fast full DCT.
 */
final class PdqDct {
    static final int SIZE = 16;
    private static final int N = LumaDownsampler.SIZE;
    private static final float[] BASIS = basis();

    private PdqDct() {}

    /** Returns the 16x16 coefficients, row-major: index [p * 16 + q], p the vertical frequency. */
    static float[] lowFrequencies(float[] downsample) {
        float[] partial = new float[SIZE * N];
        for (int i = 0; i < SIZE; i++) {
            for (int k = 0; k < N; k++) {
                float d = BASIS[i * N + k];
                for (int j = 0; j < N; j++) {
                    partial[i * N + j] += d * downsample[k * N + j];
                }
            }
        }
        float[] coefficients = new float[SIZE * SIZE];
        for (int i = 0; i < SIZE; i++) {
            for (int j = 0; j < SIZE; j++) {
                float sum = 0f;
                for (int k = 0; k < N; k++) {
                    sum += partial[i * N + k] * BASIS[j * N + k];
                }
                coefficients[i * SIZE + j] = sum;
            }
        }
        return coefficients;
    }

    /**
     * Bit {@code p * 16 + q} is set when that coefficient is above the median. The median is the
     * lower of the two middle values (what the reference's Torben selection returns for 256
     * values), so ties at the median read as 0.
     */
    static PdqHash toHash(float[] coefficients) {
        float median = lowerMedian(coefficients);
        long[] words = new long[4];
        for (int bit = 0; bit < coefficients.length; bit++) {
            if (coefficients[bit] > median) {
                words[bit >>> 6] |= 1L << (bit & 63);
            }
        }
        return new PdqHash(words[3], words[2], words[1], words[0]);
    }

    static float lowerMedian(float[] values) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    private static float[] basis() {
        float scale = (float) Math.sqrt(2.0 / N);
        float[] basis = new float[SIZE * N];
        for (int i = 0; i < SIZE; i++) {
            for (int j = 0; j < N; j++) {
                basis[i * N + j] = (float) (scale * Math.cos((Math.PI / 2 / N) * (i + 1) * (2 * j + 1)));
            }
        }
        return basis;
    }
}
