package io.refundguard.images;

/**
 * Running-mean box filter along one line. The order of float additions and subtractions is
 * the reference's (add the entering sample, then drop the leaving one), so the blurred values,
 * and with them the hash bits near the median, come out identical to the reference. The line is
 * walked in three stretches so the long middle one, where the window is full, has no branches.
 */
final class BoxFilter {
    private BoxFilter() {}

    static void filterLine(float[] src, float[] dst, int length, BoxWindow window) {
        int left = window.left();
        int right = window.right();
        float sum = 0f;
        for (int k = 0; k < right; k++) {
            sum += src[k];
        }
        int out = 0;
        for (; out < length && out <= left; out++) {
            if (out + right < length) {
                sum += src[out + right];
            }
            dst[out] = sum / window.count(out, length);
        }
        int full = left + right + 1;
        for (; out < length - right; out++) {
            sum += src[out + right];
            sum -= src[out - left - 1];
            dst[out] = sum / full;
        }
        for (; out < length; out++) {
            sum -= src[out - left - 1];
            dst[out] = sum / window.count(out, length);
        }
    }
}
