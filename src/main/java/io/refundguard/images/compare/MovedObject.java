package io.refundguard.images.compare;

import java.util.List;

/**
 * Whether what the evidence changed is the listing's own content, moved: a second shot of a
 * product in the same studio shares the backdrop's pixels (the same room, seen from nearly the
 * same place), so under the backdrop's transform the photo agrees like a copy whose middle was
 * painted over. What tells it apart is where the "painted" part went: the product is still
 * there, moved, and its keypoints match the listing's under a second transform of their own,
 * landing where the first transform finds the listing changed.
 *
 * <p>A clone fill ("generative" inpainting that copies a patch) also yields a second transform,
 * but from the fill to its source, which is left in place: its listing keypoints land where the
 * copy agrees, or it explains a small share of what the first transform does. Measured on the
 * study's copies at strengths 0.5 and 1 (1,560 of them), a clone's second transform puts at most 81% of its listing keypoints on changed
 * cells and, where it puts 50% or more there, carries at most 35% as many inliers as the first;
 * the two same-studio phone shots that passed as copies put 95% and 100% there, with 58% and
 * 52% of the first's inliers.
 */
final class MovedObject {
    /** Share of the second transform's listing keypoints that must lie on changed cells. */
    static final double ON_CHANGED = 0.85;
    /** Inliers on changed cells, as a share of the first transform's inliers. */
    static final double OF_FIRST = 0.4;

    /**
     * @param inliers inliers of the strongest other motion
     * @param onChanged how many of them lie on cells that differ under the decided transform
     */
    record Motion(int inliers, int onChanged) {
        static final Motion NONE = new Motion(0, 0);

        /** The changed part is the listing's content moved, not an edit. */
        boolean explainsChanges(int firstInliers) {
            return inliers >= CopyDecision.MIN_INLIERS && onChanged >= ON_CHANGED * inliers
                    && onChanged >= OF_FIRST * firstInliers;
        }
    }

    private MovedObject() {}

    /**
     * The strongest of the other transforms, and where its listing keypoints lie on the dense
     * grid of the transform being decided.
     */
    static Motion strongest(SimilarityEstimator.Estimate decided, List<SimilarityEstimator.Estimate> all, DenseCheck dense,
            Keypoints listing, int listingWidth, int listingHeight, int thumbWidth, int thumbHeight) {
        Motion best = Motion.NONE;
        for (SimilarityEstimator.Estimate other : all) {
            if (other == decided || other.inliers().size() <= best.inliers()) {
                continue;
            }
            int onChanged = 0;
            for (Match m : other.inliers()) {
                int c = KeypointAbsence.cellOf(dense, listing.x()[m.listing()], listing.y()[m.listing()], listingWidth,
                        listingHeight, thumbWidth, thumbHeight);
                if (dense.state()[c] == DenseCheck.DIFFERS) {
                    onChanged++;
                }
            }
            best = new Motion(other.inliers().size(), onChanged);
        }
        return best;
    }
}
