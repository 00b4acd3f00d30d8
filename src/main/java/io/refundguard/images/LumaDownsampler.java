package io.refundguard.images;

import java.awt.image.BufferedImage;

/**
 * Luma, two-pass box ("Jarosz") blur and decimation to 64x64, streamed row by row. The blur
 * is the reference's row, column, row, column order; after the second row pass only the 64
 * sampled columns are carried on, since column filtering never mixes columns. Per sample the
 * float arithmetic is the reference's, so the 64x64 output equals the reference's.
 */
final class LumaDownsampler {
    static final int SIZE = 64;

    private LumaDownsampler() {}

    /** Returns the 64x64 downsample, row-major. */
    static float[] downsample(BufferedImage image) {
        int rows = image.getHeight();
        int cols = image.getWidth();
        BoxWindow alongRow = BoxWindow.forDimension(cols);
        BoxWindow alongCol = BoxWindow.forDimension(rows);
        int[] sampleRows = samplePositions(rows);
        int[] sampleCols = samplePositions(cols);

        float[] result = new float[SIZE * SIZE];
        ColumnBoxStream secondColumnPass = new ColumnBoxStream(rows, SIZE, alongCol,
                new SampledRowCollector(sampleRows, result));
        ColumnBoxStream firstColumnPass = new ColumnBoxStream(rows, cols, alongCol,
                new SecondRowPass(cols, alongRow, sampleCols, secondColumnPass));

        LumaRows luma = new LumaRows(image);
        float[] lumaRow = new float[cols];
        float[] blurredRow = new float[cols];
        for (int y = 0; y < rows; y++) {
            luma.read(y, lumaRow);
            BoxFilter.filterLine(lumaRow, blurredRow, cols, alongRow);
            firstColumnPass.push(blurredRow);
        }
        firstColumnPass.finish();
        secondColumnPass.finish();
        return result;
    }

    /** Source index of each of the 64 output samples: cell centres, not corners. */
    static int[] samplePositions(int dimension) {
        int[] positions = new int[SIZE];
        for (int i = 0; i < SIZE; i++) {
            positions[i] = (int) (((i + 0.5) * dimension) / SIZE);
        }
        return positions;
    }

    /** Row pass two on a full row, then keeps only the columns decimation will sample. */
    private static final class SecondRowPass implements ColumnBoxStream.RowSink {
        private final int cols;
        private final BoxWindow window;
        private final int[] sampleCols;
        private final ColumnBoxStream next;
        private final float[] blurred;
        private final float[] sampled = new float[SIZE];

        SecondRowPass(int cols, BoxWindow window, int[] sampleCols, ColumnBoxStream next) {
            this.cols = cols;
            this.window = window;
            this.sampleCols = sampleCols;
            this.next = next;
            this.blurred = new float[cols];
        }

        @Override
        public void accept(int rowIndex, float[] row) {
            BoxFilter.filterLine(row, blurred, cols, window);
            for (int j = 0; j < SIZE; j++) {
                sampled[j] = blurred[sampleCols[j]];
            }
            next.push(sampled);
        }
    }

    /** Copies each sampled row into the output; images under 64 rows sample a row twice. */
    private static final class SampledRowCollector implements ColumnBoxStream.RowSink {
        private final int[] sampleRows;
        private final float[] result;
        private int nextOutputRow;

        SampledRowCollector(int[] sampleRows, float[] result) {
            this.sampleRows = sampleRows;
            this.result = result;
        }

        @Override
        public void accept(int rowIndex, float[] row) {
            while (nextOutputRow < SIZE && sampleRows[nextOutputRow] == rowIndex) {
                System.arraycopy(row, 0, result, nextOutputRow * SIZE, SIZE);
                nextOutputRow++;
            }
        }
    }
}
