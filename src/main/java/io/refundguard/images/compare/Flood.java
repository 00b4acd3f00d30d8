package io.refundguard.images.compare;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Flood fill over the dense check's grid of cells (row-major, {@code cols} x {@code rows}),
 * 8-connected: a painted crack or a screenshot's page touches its neighbours diagonally too.
 */
final class Flood {
    private Flood() {}

    /**
     * Spreads from the queued cells (already marked) to every cell connected to them through
     * cells that {@code joins} accepts, marking each; returns the cells in the order reached.
     */
    static List<Integer> fill(ArrayDeque<Integer> queue, boolean[] marked, int cols, int rows, IntPredicate joins) {
        List<Integer> reached = new ArrayList<>();
        while (!queue.isEmpty()) {
            int c = queue.poll();
            reached.add(c);
            int cx = c % cols;
            int cy = c / cols;
            for (int ny = Math.max(0, cy - 1); ny <= Math.min(rows - 1, cy + 1); ny++) {
                for (int nx = Math.max(0, cx - 1); nx <= Math.min(cols - 1, cx + 1); nx++) {
                    int n = ny * cols + nx;
                    if (!marked[n] && joins.test(n)) {
                        marked[n] = true;
                        queue.add(n);
                    }
                }
            }
        }
        return reached;
    }
}
