package io.refundguard.images.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * Differing cells (and cells whose keypoints vanished) to boxes: 8-connected groups become one
 * box each, in listing pixels. A group of a single, barely differing cell is dropped as a speck
 * (resampling around a very sharp edge can push one cell over).
 */
final class ChangeRegions {
    /** A lone differing cell is kept only if it differs by this many times the tolerance. */
    static final double LONE_CELL_EXCESS = 1.5;
    /** Pixels far beyond tolerance that make an agreeing cell part of a change (a thin crack). */
    static final int MIN_PEAKS = 3;

    record Group(ChangedRegion box, List<Integer> cells) {}

    private ChangeRegions() {}

    /**
     * @param absent cells where listing keypoints vanished ({@link KeypointAbsence}), changed too
     */
    static List<Group> find(DenseCheck check, boolean[] absent, int listingWidth, int listingHeight, int thumbWidth,
            int thumbHeight) {
        int cols = check.cols();
        int rows = check.rows();
        boolean[] seen = new boolean[cols * rows];
        List<Group> groups = new ArrayList<>();
        for (int start = 0; start < cols * rows; start++) {
            if (seen[start] || !changed(check, absent, start)) {
                continue;
            }
            java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
            queue.add(start);
            seen[start] = true;
            List<Integer> cells = Flood.fill(queue, seen, cols, rows, n -> changed(check, absent, n));
            int only = cells.get(0);
            if (cells.size() == 1 && (check.state()[only] != DenseCheck.DIFFERS || check.aligned()[only]
                    < LONE_CELL_EXCESS * (DenseVerifier.TOLERANCE_BASE + DenseVerifier.TOLERANCE_SLOPE * check.texture()[only]))) {
                continue;
            }
            groups.add(new Group(box(check, cells, listingWidth, listingHeight, thumbWidth, thumbHeight), cells));
        }
        return groups;
    }

    private static boolean changed(DenseCheck check, boolean[] absent, int cell) {
        byte state = check.state()[cell];
        return state == DenseCheck.DIFFERS || absent[cell]
                || (state == DenseCheck.AGREES && check.peaks()[cell] >= MIN_PEAKS);
    }

    private static ChangedRegion box(DenseCheck check, List<Integer> cells, int listingWidth, int listingHeight,
            int thumbWidth, int thumbHeight) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = 0;
        int maxY = 0;
        for (int c : cells) {
            int cx = c % check.cols();
            int cy = c / check.cols();
            minX = Math.min(minX, check.edgesX()[cx]);
            maxX = Math.max(maxX, check.edgesX()[cx + 1]);
            minY = Math.min(minY, check.edgesY()[cy]);
            maxY = Math.max(maxY, check.edgesY()[cy + 1]);
        }
        int x0 = (int) Math.floor((double) minX * listingWidth / thumbWidth);
        int x1 = (int) Math.ceil((double) maxX * listingWidth / thumbWidth);
        int y0 = (int) Math.floor((double) minY * listingHeight / thumbHeight);
        int y1 = (int) Math.ceil((double) maxY * listingHeight / thumbHeight);
        x1 = Math.min(listingWidth, Math.max(x1, x0 + 1));
        y1 = Math.min(listingHeight, Math.max(y1, y0 + 1));
        return new ChangedRegion(x0, y0, x1 - x0, y1 - y0);
    }
}
