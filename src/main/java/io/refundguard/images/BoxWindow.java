package io.refundguard.images;

/**
 * Extent of PDQ's 1-D box filter around an output sample: {@code left} samples before it and
 * {@code right} after it, clipped at the edges. The reference sizes the full window as
 * ceil(dimension / 128) so that two passes along each axis (a tent filter) cover one of the 64
 * output cells; an even window leans one sample to the right.
 */
record BoxWindow(int left, int right) {
    private static final int WINDOW_SIZE_DIVISOR = 128;

    static BoxWindow forDimension(int dimension) {
        int full = (dimension + WINDOW_SIZE_DIVISOR - 1) / WINDOW_SIZE_DIVISOR;
        int rightInclusive = (full + 2) / 2;
        return new BoxWindow(full - rightInclusive, rightInclusive - 1);
    }

    /** Samples averaged for output {@code index} of a line of {@code length} samples. */
    int count(int index, int length) {
        int first = Math.max(index - left, 0);
        int last = Math.min(index + right, length - 1);
        return last - first + 1;
    }
}
