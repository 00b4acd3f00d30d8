package io.refundguard.images.compare;

import java.util.Arrays;

/**
 * Points bucketed in square cells of a given radius, so "which points lie within r of here"
 * looks at 9 cells instead of every point: guided matching asks it for every evidence keypoint.
 */
final class PointGrid {
    private final double cell;
    private final int minX;
    private final int minY;
    private final int cols;
    private final int rows;
    private final int[] start;
    private final int[] members;

    PointGrid(float[] x, float[] y, double radius) {
        cell = radius;
        int n = x.length;
        int lowX = Integer.MAX_VALUE;
        int lowY = Integer.MAX_VALUE;
        int highX = Integer.MIN_VALUE;
        int highY = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            lowX = Math.min(lowX, cellOf(x[i]));
            lowY = Math.min(lowY, cellOf(y[i]));
            highX = Math.max(highX, cellOf(x[i]));
            highY = Math.max(highY, cellOf(y[i]));
        }
        minX = n == 0 ? 0 : lowX;
        minY = n == 0 ? 0 : lowY;
        cols = n == 0 ? 1 : highX - lowX + 1;
        rows = n == 0 ? 1 : highY - lowY + 1;
        int[] counts = new int[cols * rows + 1];
        for (int i = 0; i < n; i++) {
            counts[index(x[i], y[i]) + 1]++;
        }
        for (int c = 0; c < cols * rows; c++) {
            counts[c + 1] += counts[c];
        }
        start = counts.clone();
        members = new int[n];
        int[] fill = Arrays.copyOf(counts, counts.length);
        for (int i = 0; i < n; i++) {
            members[fill[index(x[i], y[i])]++] = i;
        }
    }

    /**
     * The cells around (x, y): out[0] is how many, out[1..] their indices; the points of cell c
     * are members()[start(c) .. start(c + 1) - 1]. Together a superset of the points within the
     * radius. No allocation: guided matching asks for every evidence keypoint.
     */
    int[] cellsNear(double x, double y, int[] out) {
        int cx = cellOf(x) - minX;
        int cy = cellOf(y) - minY;
        int n = 0;
        for (int gy = Math.max(0, cy - 1); gy <= Math.min(rows - 1, cy + 1); gy++) {
            for (int gx = Math.max(0, cx - 1); gx <= Math.min(cols - 1, cx + 1); gx++) {
                out[++n] = gy * cols + gx;
            }
        }
        out[0] = n;
        return out;
    }

    int start(int cell) {
        return start[cell];
    }

    int[] members() {
        return members;
    }

    private int cellOf(double v) {
        return (int) Math.floor(v / cell);
    }

    private int index(double x, double y) {
        return (cellOf(y) - minY) * cols + (cellOf(x) - minX);
    }
}
