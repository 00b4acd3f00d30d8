package io.refundguard.images.compare;

/**
 * Cell-by-cell result of laying the evidence thumbnail over the listing thumbnail
 * ({@link DenseVerifier}).
 *
 * @param cols cells across the listing thumbnail
 * @param rows cells down
 * @param edgesX cell boundaries in listing-thumbnail pixels, cols + 1 values
 * @param edgesY cell boundaries, rows + 1 values
 * @param state per cell, row-major: OUTSIDE, AGREES, DIFFERS or FRAME
 * @param texture per cell: mean gradient of the listing (grey levels/pixel)
 * @param aligned per cell: RMS grey-level difference as registered
 * @param peaks per cell: pixels differing by more than {@link DenseVerifier#PEAK} x the tolerance
 * @param overlapShare share of the listing frame inside the evidence frame
 * @param framedShare share of the evidence frame outside the listing frame
 * @param warp the registered thumbnails the cells were cut from
 */
record DenseCheck(int cols, int rows, int[] edgesX, int[] edgesY, byte[] state, float[] texture, float[] aligned,
        byte[] peaks, double overlapShare, double framedShare, ThumbnailWarp warp) {
    /** Not compared: outside the evidence frame, or too near a border. */
    static final byte OUTSIDE = 0;
    static final byte AGREES = 1;
    static final byte DIFFERS = 2;
    /** Inside the evidence frame but covered by what frames the shown part: a page, a fill. */
    static final byte FRAME = 3;

    Cell cell(int c) {
        int cx = c % cols;
        int cy = c / cols;
        return new Cell(edgesX[cx], edgesX[cx + 1], edgesY[cy], edgesY[cy + 1]);
    }

    int count(byte wanted) {
        int n = 0;
        for (byte s : state) {
            if (s == wanted) {
                n++;
            }
        }
        return n;
    }

    /** Cells with texture in the given state. */
    int textured(byte wanted) {
        int n = 0;
        for (int c = 0; c < state.length; c++) {
            if (state[c] == wanted && texture[c] >= DenseVerifier.TEXTURED) {
                n++;
            }
        }
        return n;
    }

    /** Share of the compared textured cells that agree. */
    double agreement() {
        int agree = textured(AGREES);
        int compared = agree + textured(DIFFERS);
        return compared == 0 ? 0 : (double) agree / compared;
    }
}
