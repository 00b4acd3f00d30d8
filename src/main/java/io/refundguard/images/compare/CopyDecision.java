package io.refundguard.images.compare;

/**
 * The copy / not-a-copy rule, from the keypoint geometry ({@link MatchQuality}) and the dense
 * comparison ({@link DenseCheck}). Both measure "same pixels", in two ways that fail on
 * different copies, so the rule trades one against the other:
 *
 * <ul>
 *   <li>at least {@value #MIN_INLIERS} keypoints agree on the transform, and at least
 *       {@value #LOOSE_MIN_INLIERS} when they are not exact (median residual above
 *       {@value #EXACT_RESIDUAL});</li>
 *   <li>the share of the textured overlap that agrees cell by cell is at least
 *       {@value #AGREEMENT_PER_RESIDUAL} x (median keypoint residual - {@value #EXACT_RESIDUAL});</li>
 *   <li>what differs is not the listing's own content moved ({@link MovedObject}).</li>
 * </ul>
 *
 * <p>A copy that was not resampled puts its keypoints exactly where the listing's are (median
 * residual under 0.05 level pixels), however much of it was painted over; it needs no dense
 * support. Resampling (rotation, resizing, a screenshot) loosens the keypoints to at most
 * 0.6 level pixels, but leaves the untouched cells agreeing. Another photo of the same product
 * loosens them to at least 0.42 (parallax, perspective, a different lens), and where its
 * keypoints are that tight, a printed face agrees but its surroundings do not. Measured margins
 * are in docs/copy-detection.md.
 *
 * <p>Loose keypoints leave the proof to the dense check, and a thumbnail agrees by chance over
 * part of another view of the same object: the other side of a motorcycle shown small in a
 * screenshot agreed on 52% of its cells with 13 loose inliers. Copies keep 14 or more unless
 * they are exact: in the study, 7 of 3,600 copies fall short, all screenshots with a second edit
 * (torn, cracked, stained or filled), 3 of which the dense check missed anyway.
 */
final class CopyDecision {
    static final int MIN_INLIERS = 8;
    /** Inliers needed when they are loose: a handful of loose keypoints proves nothing fine-grained. */
    static final int LOOSE_MIN_INLIERS = 14;
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

    static Decision decide(MatchQuality quality, DenseCheck dense, MovedObject.Motion otherMotion) {
        int need = quality.medianResidual() > EXACT_RESIDUAL ? LOOSE_MIN_INLIERS : MIN_INLIERS;
        if (quality.inliers() < need) {
            return new Decision(false, (quality.inliers() - need) / (double) need,
                    String.format("%d inliers at median residual %.2f level pixels, need %d", quality.inliers(),
                            quality.medianResidual(), need));
        }
        double required = requiredAgreement(quality.medianResidual());
        double score = dense.agreement() - required;
        if (score >= 0 && otherMotion.explainsChanges(quality.inliers())) {
            // Negative, and lower the more of the listing's changed part moved as one.
            return new Decision(false, -(double) otherMotion.onChanged() / quality.inliers(), String.format(
                    "%d keypoints where the evidence differs moved together under another transform: another shot "
                            + "of a moved object, not an edit", otherMotion.onChanged()));
        }
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
