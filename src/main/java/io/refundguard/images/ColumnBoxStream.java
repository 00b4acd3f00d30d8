package io.refundguard.images;

/**
 * The box filter along columns, fed one row at a time. Keeping a ring of only the rows still
 * inside the window means a 50-megapixel photo never needs a full-size float copy, and walking
 * rows keeps memory access sequential. Per column the float operations are those of {@link
 * BoxFilter#filterLine}, so results match a column-at-a-time filter bit for bit.
 */
final class ColumnBoxStream {
    /** Receives each filtered row once, in order; the array is reused after the call. */
    interface RowSink {
        void accept(int rowIndex, float[] row);
    }

    private final int rows;
    private final int cols;
    private final BoxWindow window;
    private final RowSink sink;
    private final float[][] ring;
    private final float[] sums;
    private final float[] out;
    private int pushed;

    ColumnBoxStream(int rows, int cols, BoxWindow window, RowSink sink) {
        this.rows = rows;
        this.cols = cols;
        this.window = window;
        this.sink = sink;
        // Rows from the one leaving the window up to the one entering it.
        this.ring = new float[window.left() + window.right() + 2][cols];
        this.sums = new float[cols];
        this.out = new float[cols];
    }

    void push(float[] row) {
        System.arraycopy(row, 0, ring[pushed % ring.length], 0, cols);
        addRow(row);
        int ready = pushed - window.right();
        pushed++;
        if (ready >= 0) {
            emit(ready);
        }
    }

    /** Emits the trailing rows whose window runs past the bottom edge. */
    void finish() {
        if (pushed != rows) {
            throw new IllegalStateException("pushed " + pushed + " of " + rows + " rows");
        }
        for (int index = Math.max(rows - window.right(), 0); index < rows; index++) {
            emit(index);
        }
    }

    private void addRow(float[] row) {
        for (int c = 0; c < cols; c++) {
            sums[c] += row[c];
        }
    }

    private void emit(int index) {
        int leaving = index - window.left() - 1;
        if (leaving >= 0) {
            float[] old = ring[leaving % ring.length];
            for (int c = 0; c < cols; c++) {
                sums[c] -= old[c];
            }
        }
        int count = window.count(index, rows);
        for (int c = 0; c < cols; c++) {
            out[c] = sums[c] / count;
        }
        sink.accept(index, out);
    }
}
