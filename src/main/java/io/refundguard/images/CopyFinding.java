package io.refundguard.images;

import io.refundguard.images.compare.ChangeKind;
import io.refundguard.images.compare.ChangedRegion;
import io.refundguard.images.compare.Comparison;
import java.util.ArrayList;
import java.util.List;

/**
 * What the local comparison found when an evidence photo is a copy of a listing photo: how the
 * listing sits in the evidence and where it was changed, in the listing photo's own pixels. Kept
 * flat (ints, doubles, lists) because it travels to the alert and may wait in state.
 *
 * @param changedRegions boxes in the listing photo's pixel coordinates where the evidence differs
 * @param changedShare share of the listing frame the changed regions cover, 0..1
 * @param changes the kinds of change the evidence shows ({@link ChangeKind} names), e.g.
 *     CONTENT_ADDED, CROPPED
 * @param scale the listing's size in the evidence relative to its own (0.5: a screenshot at half size)
 * @param rotationDegrees counter-clockwise turn as seen on screen
 * @param inliers keypoint matches agreeing with the transform
 * @param agreement share of the compared thumbnail cells where the two photos agree
 * @param listingUri the listing photo's link as its catalog record gave it, or null: for the
 *     reviewer's console, which fetches and shows the photo with the regions outlined
 */
public record CopyFinding(
        int listingWidth,
        int listingHeight,
        List<Box> changedRegions,
        double changedShare,
        List<String> changes,
        double scale,
        double rotationDegrees,
        boolean mirrored,
        int inliers,
        double agreement,
        String listingUri) {

    public CopyFinding(int listingWidth, int listingHeight, List<Box> changedRegions, double changedShare,
            List<String> changes, double scale, double rotationDegrees, boolean mirrored, int inliers, double agreement) {
        this(listingWidth, listingHeight, changedRegions, changedShare, changes, scale, rotationDegrees, mirrored,
                inliers, agreement, null);
    }

    /** A box in the listing photo's pixels. */
    public record Box(int x, int y, int width, int height) {}

    public static CopyFinding of(Comparison comparison, int listingWidth, int listingHeight, String listingUri) {
        List<Box> boxes = new ArrayList<>();
        for (ChangedRegion region : comparison.changedRegions()) {
            boxes.add(new Box(region.x(), region.y(), region.width(), region.height()));
        }
        List<String> changes = comparison.kinds().stream().map(Enum::name).sorted().toList();
        return new CopyFinding(listingWidth, listingHeight, List.copyOf(boxes), round(comparison.changedShare()),
                changes, round(comparison.transform().scale()), round(comparison.transform().rotationDegrees()),
                comparison.transform().mirrored(), comparison.inliers(), round(comparison.agreement()), listingUri);
    }

    /** Four decimals: enough for a reviewer, and the same text on every JVM. */
    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
