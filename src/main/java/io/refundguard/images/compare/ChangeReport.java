package io.refundguard.images.compare;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Where and how a copy was changed, from its dense comparison: boxes in listing pixels, the
 * share of the listing frame they cover, and the kinds of change.
 *
 * <p>Each group of changed cells ({@link ChangeRegions}) is judged: content added when the
 * evidence is not just the listing with detail removed (it differs from the listing smoothed by
 * more than {@value #ADDED_DIFFERENCE} grey levels RMS: paint, a stain's colour, a flap, an
 * object); content removed when the evidence lost detail (its gradient is lower by {@value
 * #REMOVED_GRADIENT} grey levels/pixel, or the listing's keypoints vanished there) over at least
 * {@value #MIN_REMOVED_CELLS} cells. A group that is neither is resampling blur, not an edit, and
 * is not reported.
 *
 * @param regions changed boxes, listing pixels
 * @param changedShare share of the listing frame covered by the reported groups' cells
 * @param kinds kinds of change
 */
record ChangeReport(List<ChangedRegion> regions, double changedShare, Set<ChangeKind> kinds) {
    /** Evidence-frame share outside the listing above which the evidence counts as framed. */
    static final double FRAMED_SHARE = 0.03;
    /** Listing-frame share missing from the evidence above which it counts as cropped. */
    static final double CROPPED_SHARE = 0.03;
    /**
     * Measured: painted groups (cracks, stains, tears, objects) reach 12-75; groups that only
     * lost detail to a screenshot's resampling stay at 3-8.
     */
    static final double ADDED_DIFFERENCE = 12.0;
    static final double REMOVED_GRADIENT = 2.0;
    /** Blur (sigma, thumbnail pixels) standing for "the listing with its detail removed". */
    static final double SMOOTHING = 1.5;
    /** A screenshot's blur loses detail too, in ones and twos of cells. */
    static final int MIN_REMOVED_CELLS = 3;

    static ChangeReport of(DenseCheck dense, boolean[] absent, int listingWidth, int listingHeight, int thumbWidth,
            int thumbHeight) {
        List<ChangeRegions.Group> groups = ChangeRegions.find(dense, absent, listingWidth, listingHeight, thumbWidth, thumbHeight);
        ThumbnailWarp warp = dense.warp();
        float[] smoothListing = groups.isEmpty() ? null
                : Filters.gaussian(new GreyImage(warp.width, warp.height, warp.listing), SMOOTHING).pixels;
        float[] listingGradient = groups.isEmpty() ? null : DenseVerifier.gradient(warp.listing, warp.width, warp.height);
        float[] evidenceGradient = groups.isEmpty() ? null : DenseVerifier.gradient(warp.evidence, warp.width, warp.height);
        List<ChangedRegion> regions = new ArrayList<>();
        Set<ChangeKind> kinds = EnumSet.noneOf(ChangeKind.class);
        int changedPixels = 0;
        for (ChangeRegions.Group group : groups) {
            double added = 0;
            double removed = 0;
            int compared = 0;
            int differing = 0;
            int vanished = 0;
            for (int c : group.cells()) {
                boolean differs = dense.state()[c] == DenseCheck.DIFFERS;
                if (differs || dense.peaks()[c] >= ChangeRegions.MIN_PEAKS) {
                    Cell cell = dense.cell(c);
                    added += cell.rms(smoothListing, warp.evidence, warp.usable, warp.width);
                    compared++;
                    if (differs) {
                        removed += cell.mean(listingGradient, warp.usable, warp.width)
                                - cell.mean(evidenceGradient, warp.usable, warp.width);
                        differing++;
                    }
                }
                vanished += absent[c] ? 1 : 0;
            }
            // Cells that only have a few far-off pixels (a thin crack) count as added, never as removed:
            // a screenshot's resampling leaves such pixels along every sharp edge.
            boolean isAdded = compared > 0 && added / compared >= ADDED_DIFFERENCE;
            boolean isRemoved = differing + vanished >= MIN_REMOVED_CELLS
                    && (vanished > 0 || (differing > 0 && removed / differing >= REMOVED_GRADIENT));
            if (!isAdded && !isRemoved) {
                continue;
            }
            kinds.add(isAdded ? ChangeKind.CONTENT_ADDED : ChangeKind.CONTENT_REMOVED);
            if (isAdded && isRemoved) {
                kinds.add(ChangeKind.CONTENT_REMOVED);
            }
            regions.add(group.box());
            for (int c : group.cells()) {
                int cx = c % dense.cols();
                int cy = c / dense.cols();
                changedPixels += (dense.edgesX()[cx + 1] - dense.edgesX()[cx]) * (dense.edgesY()[cy + 1] - dense.edgesY()[cy]);
            }
        }
        boolean frameCovers = dense.count(DenseCheck.FRAME) > 0;
        if (1 - dense.overlapShare() > CROPPED_SHARE || frameCovers) {
            kinds.add(ChangeKind.CROPPED);
        }
        if (dense.framedShare() > FRAMED_SHARE || frameCovers) {
            kinds.add(ChangeKind.FRAMED);
        }
        return new ChangeReport(regions, (double) changedPixels / (thumbWidth * thumbHeight), kinds);
    }
}
