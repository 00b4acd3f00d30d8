package io.refundguard.images.compare;

import java.util.List;

/**
 * Cells of the dense grid where the listing had keypoints the evidence should have shown but
 * none of them matched. A fill that smooths a region over ("generative" inpainting) leaves it
 * looking plausible at thumbnail size, but its corners are gone; where a copy's keypoints
 * otherwise come back, a cell of vanished ones marks the fill. Used only to locate changes, not
 * to decide whether the evidence is a copy.
 */
final class KeypointAbsence {
    /** A cell speaks only with this many listing keypoints the evidence could show. */
    static final int MIN_EXPECTED = 3;
    /** And only when this share of such keypoints matched in the cells that agree. */
    static final double MIN_REPEATABILITY = 0.5;

    private KeypointAbsence() {}

    /**
     * @param listing listing keypoints, original pixels
     * @param inliers the matches that agree with the transform
     * @param toEvidence listing pixels to evidence pixels
     */
    static boolean[] cells(DenseCheck dense, Keypoints listing, List<Match> inliers, Affine toEvidence, int listingWidth,
            int listingHeight, int thumbWidth, int thumbHeight, int evidenceWidth, int evidenceHeight) {
        int cells = dense.cols() * dense.rows();
        int[] expected = new int[cells];
        int[] found = new int[cells];
        boolean[] matched = new boolean[listing.count()];
        for (Match m : inliers) {
            matched[m.listing()] = true;
        }
        double scale = Math.sqrt(Math.abs(toEvidence.determinant()));
        double evidenceWorking = WorkingImage.scaleFor(evidenceWidth, evidenceHeight);
        double smallest = 2 * DescriptorExtractor.PATCH_RADIUS + 1;
        double largest = smallest * Math.pow(Pyramid.STEP, Pyramid.LEVELS - 1);
        for (int i = 0; i < listing.count(); i++) {
            double ex = toEvidence.mapX(listing.x()[i], listing.y()[i]);
            double ey = toEvidence.mapY(listing.x()[i], listing.y()[i]);
            double margin = listing.size()[i] * scale / 2;
            if (ex < margin || ey < margin || ex > evidenceWidth - margin || ey > evidenceHeight - margin) {
                continue;
            }
            // The patch's size in the evidence's working image must be one its pyramid detects.
            double size = listing.size()[i] * scale * evidenceWorking;
            if (size < smallest / Pyramid.STEP || size > largest * Pyramid.STEP) {
                continue;
            }
            int c = cellOf(dense, listing.x()[i], listing.y()[i], listingWidth, listingHeight, thumbWidth, thumbHeight);
            expected[c]++;
            found[c] += matched[i] ? 1 : 0;
        }
        int agreeingExpected = 0;
        int agreeingFound = 0;
        for (int c = 0; c < cells; c++) {
            if (dense.state()[c] == DenseCheck.AGREES) {
                agreeingExpected += expected[c];
                agreeingFound += found[c];
            }
        }
        boolean[] absent = new boolean[cells];
        if (agreeingExpected == 0 || agreeingFound < MIN_REPEATABILITY * agreeingExpected) {
            return absent;
        }
        for (int c = 0; c < cells; c++) {
            absent[c] = expected[c] >= MIN_EXPECTED && found[c] == 0
                    && (dense.state()[c] == DenseCheck.AGREES || dense.state()[c] == DenseCheck.DIFFERS);
        }
        return absent;
    }

    static int cellOf(DenseCheck dense, double x, double y, int listingWidth, int listingHeight, int thumbWidth,
            int thumbHeight) {
        double tx = (x + 0.5) * thumbWidth / listingWidth;
        double ty = (y + 0.5) * thumbHeight / listingHeight;
        int cx = 0;
        while (cx < dense.cols() - 1 && tx >= dense.edgesX()[cx + 1]) {
            cx++;
        }
        int cy = 0;
        while (cy < dense.rows() - 1 && ty >= dense.edgesY()[cy + 1]) {
            cy++;
        }
        return cy * dense.cols() + cx;
    }
}
