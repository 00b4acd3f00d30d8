package io.refundguard.images.compare;

import java.util.List;
import java.util.Set;

/**
 * Verdict of {@link CopyDetector#compare}: is the evidence a copy of the listing photo, and if
 * so how it sits on it and where it was changed.
 *
 * @param copy whether the evidence is a derivative of the listing photo
 * @param score how far the decisive measure is above (positive) or below (negative) its
 *     threshold; see {@link CopyDetector}
 * @param transform how the evidence sits on the listing; null when no consistent geometry was found
 * @param inliers keypoint matches that agree with the transform
 * @param overlapShare share of the listing frame visible in the evidence (0 without a transform)
 * @param agreement share of the compared thumbnail cells where the two agree
 * @param changedRegions boxes in listing pixels where the evidence differs (empty unless a copy)
 * @param changedShare share of the listing frame covered by changed cells
 * @param kinds kinds of change (empty unless a copy)
 * @param reason why it is not a copy; empty for a copy
 */
public record Comparison(boolean copy, double score, Transform transform, int inliers, double overlapShare,
        double agreement, List<ChangedRegion> changedRegions, double changedShare, Set<ChangeKind> kinds,
        String reason) {
    public Comparison {
        changedRegions = List.copyOf(changedRegions);
        kinds = Set.copyOf(kinds);
    }

    static Comparison notACopy(double score, Transform transform, int inliers, double overlapShare, double agreement,
            String reason) {
        return new Comparison(false, score, transform, inliers, overlapShare, agreement, List.of(), 0, Set.of(), reason);
    }
}
