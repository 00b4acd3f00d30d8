package io.refundguard.images;

/**
 * Running-mean box filter along one line. The order of float additions and subtractions is
 * the reference's (add the entering sample, then drop the leaving one), so the blurred values,
 * and with them the hash bits near the median, come out identical to the reference.
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
        for (int out = 0; out < length; out++) {
            int entering = out + right;
            if (entering < length) {
                sum += src[entering];
            }
            int leaving = out - left - 1;
            if (leaving >= 0) {
                sum -= src[leaving];
            }
            dst[out] = sum / window.count(out, length);
        }
    }
}
