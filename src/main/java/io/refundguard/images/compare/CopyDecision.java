package io.refundguard.images.compare;

/**
 * The copy / not-a-copy rule, from the keypoint geometry ({@link MatchQuality}) and the dense
 * comparison ({@link DenseCheck}). Both measure "same pixels", in two ways that fail on
 * different copies, so the rule trades one against the other:
 *
 * <ul>
 *   <li>at least {@value #MIN_INLIERS} keypoints agree on the transform;</li>
 *   <li>the share of the textured overlap that agrees cell by cell is at least
 *       {@value #AGREEMENT_PER_RESIDUAL} x (median keypoint residual - {@value #EXACT_RESIDUAL}).</li>
 * </ul>
 *
 * <p>A copy that was not resampled puts its keypoints exactly where the listing's are (median
 * residual under 0.05 level pixels), however much of it was painted over; it needs no dense
 * support. Resampling (rotation, resizing, a screenshot) loosens the keypoints to at most
 * 0.6 level pixels, but leaves the untouched cells agreeing. Another photo of the same product
 * loosens them to at least 0.42 (parallax, perspective, a different lens), and where its
 * keypoints are that tight, a printed face agrees but its surroundings do not. Measured margins
 * are in docs/copy-detection.md.
 */
final class CopyDecision {
    static final int MIN_INLIERS = 8;
    /** Median residual (level pixels) up to which keypoints alone prove a copy. */
    static final double EXACT_RESIDUAL = 0.2;
    /** Agreement required per level pixel of median residual beyond {@link #EXACT_RESIDUAL}. */
    static final double AGREEMENT_PER_RESIDUAL = 2.0;

    /**
     * @param score for a transform found: agreement minus the agreement required (>= 0 for a copy);
     *     for too few inliers: (inliers - {@value #MIN_INLIERS}) / {@value #MIN_INLIERS}, negative
     */
    record Decision(boolean copy, double score, String reason) {}

    private CopyDecision() {}

    static double requiredAgreement(double medianResidual) {
        return Math.max(0, AGREEMENT_PER_RESIDUAL * (medianResidual - EXACT_RESIDUAL));
    }

    static Decision decide(MatchQuality quality, DenseCheck dense) {
        if (quality.inliers() < MIN_INLIERS) {
            return new Decision(false, (quality.inliers() - MIN_INLIERS) / (double) MIN_INLIERS,
                    String.format("%d inliers, need %d", quality.inliers(), MIN_INLIERS));
        }
        double required = requiredAgreement(quality.medianResidual());
        double score = dense.agreement() - required;
        if (score >= 0) {
            return new Decision(true, score, "");
        }
        String reason = required > 1
                ? String.format("%d inliers but loose (median residual %.2f level pixels): not the same pixels",
                        quality.inliers(), quality.medianResidual())
                : String.format("%d inliers at median residual %.2f level pixels need %.0f%% of the overlap to agree, %.0f%% does",
                        quality.inliers(), quality.medianResidual(), 100 * required, 100 * dense.agreement());
        return new Decision(false, score, reason);
    }
}
