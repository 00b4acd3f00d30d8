package io.refundguard.images;

/**
 * The reference's image-domain quality: the sum of significant neighbour gradients on the
 * 64x64 downsample, scaled so a well-textured photo reaches 100. Each difference is truncated
 * to whole percent of full scale first, so flat areas with faint noise add nothing.
 */
final class PdqQuality {
    static final int MAX = 100;
    private static final int GRADIENT_SUM_PER_POINT = 90;

    private PdqQuality() {}

    static int of(float[] downsample) {
        int size = LumaDownsampler.SIZE;
        int gradientSum = 0;
        for (int i = 0; i < size - 1; i++) {
            for (int j = 0; j < size; j++) {
                gradientSum += percentStep(downsample[i * size + j], downsample[(i + 1) * size + j]);
            }
        }
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size - 1; j++) {
                gradientSum += percentStep(downsample[i * size + j], downsample[i * size + j + 1]);
            }
        }
        return Math.min(gradientSum / GRADIENT_SUM_PER_POINT, MAX);
    }

    private static int percentStep(float u, float v) {
        return Math.abs((int) (((u - v) * 100) / 255));
    }
}
