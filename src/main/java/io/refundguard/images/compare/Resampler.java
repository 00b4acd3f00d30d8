package io.refundguard.images.compare;

/**
 * Separable resampling of a grey image streamed row by row: area averaging along an axis that
 * shrinks (every source pixel counts once, so fine texture averages out instead of aliasing
 * into false corners), linear interpolation along an axis that grows. Streaming matters for a
 * 12-megapixel photo: only the (small) output and one source row are held.
 */
final class Resampler {
    /** Supplies source row {@code y} as grey floats. */
    interface RowSource {
        void read(int y, float[] row);
    }

    private Resampler() {}

    static GreyImage resize(GreyImage source, int width, int height) {
        return resample(source::readRow, source.width, source.height, width, height);
    }

    static GreyImage resample(RowSource source, int sourceWidth, int sourceHeight, int width, int height) {
        Axis across = Axis.of(sourceWidth, width);
        Axis down = Axis.of(sourceHeight, height);
        float[] out = new float[width * height];
        float[] row = new float[sourceWidth];
        float[] resampledRow = new float[width];
        for (int sy = 0; sy < sourceHeight; sy++) {
            if (down.firstTarget[sy] > down.lastTarget[sy]) {
                continue;
            }
            source.read(sy, row);
            across.apply(row, resampledRow);
            for (int ty = down.firstTarget[sy]; ty <= down.lastTarget[sy]; ty++) {
                float w = down.weight(ty, sy);
                if (w != 0f) {
                    int base = ty * width;
                    for (int x = 0; x < width; x++) {
                        out[base + x] += w * resampledRow[x];
                    }
                }
            }
        }
        return new GreyImage(width, height, out);
    }

    /**
     * Weights along one axis: target index t takes source indices start[t] .. start[t]+n-1 with
     * weights w[t][k]; firstTarget/lastTarget invert that for streaming.
     */
    private static final class Axis {
        final int[] start;
        final float[][] weights;
        final int[] firstTarget;
        final int[] lastTarget;

        private Axis(int sourceLength, int targetLength) {
            start = new int[targetLength];
            weights = new float[targetLength][];
            firstTarget = new int[sourceLength];
            lastTarget = new int[sourceLength];
            java.util.Arrays.fill(firstTarget, Integer.MAX_VALUE);
            java.util.Arrays.fill(lastTarget, -1);
        }

        static Axis of(int sourceLength, int targetLength) {
            Axis axis = new Axis(sourceLength, targetLength);
            double step = (double) sourceLength / targetLength;
            for (int t = 0; t < targetLength; t++) {
                if (step >= 1) {
                    axis.area(t, t * step, (t + 1) * step, sourceLength);
                } else {
                    axis.linear(t, (t + 0.5) * step - 0.5, sourceLength);
                }
            }
            return axis;
        }

        private void area(int t, double from, double to, int sourceLength) {
            int first = (int) Math.floor(from);
            int last = Math.min(sourceLength - 1, (int) Math.ceil(to) - 1);
            float[] w = new float[last - first + 1];
            double total = to - from;
            for (int s = first; s <= last; s++) {
                w[s - first] = (float) ((Math.min(to, s + 1) - Math.max(from, s)) / total);
            }
            set(t, first, w);
        }

        private void linear(int t, double position, int sourceLength) {
            double clamped = Math.max(0, Math.min(sourceLength - 1, position));
            int left = Math.min((int) clamped, Math.max(0, sourceLength - 2));
            float frac = (float) (clamped - left);
            if (sourceLength == 1) {
                set(t, 0, new float[] {1f});
            } else {
                set(t, left, new float[] {1f - frac, frac});
            }
        }

        private void set(int t, int first, float[] w) {
            start[t] = first;
            weights[t] = w;
            for (int k = 0; k < w.length; k++) {
                int s = first + k;
                firstTarget[s] = Math.min(firstTarget[s], t);
                lastTarget[s] = Math.max(lastTarget[s], t);
            }
        }

        float weight(int t, int s) {
            int k = s - start[t];
            return k >= 0 && k < weights[t].length ? weights[t][k] : 0f;
        }

        void apply(float[] source, float[] target) {
            for (int t = 0; t < target.length; t++) {
                float[] w = weights[t];
                int s = start[t];
                float sum = 0f;
                for (int k = 0; k < w.length; k++) {
                    sum += w[k] * source[s + k];
                }
                target[t] = sum;
            }
        }
    }
}
