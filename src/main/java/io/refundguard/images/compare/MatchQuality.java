package io.refundguard.images.compare;

import java.util.Arrays;
import java.util.List;

/**
 * How precisely the inlier keypoints agree with the transform, in units of their own
 * localisation precision. A keypoint found at pyramid level k is located to a fraction of a
 * level-k pixel, so a residual is divided by the level scale of the coarser keypoint of the
 * pair (the listing's, or the evidence's seen through the transform). A copy's keypoints land
 * at a small fraction of that; another photo of the same object is off by the parallax or
 * perspective that a similarity cannot model.
 *
 * @param inliers number of inlier matches
 * @param medianResidual median of residual / level scale over the inliers ("level pixels")
 */
record MatchQuality(int inliers, double medianResidual) {
    /** Patch diameter at a keypoint's own level: size / this = the level scale, normalised pixels. */
    private static final double LEVEL_PATCH = 2 * DescriptorExtractor.PATCH_RADIUS + 1;

    static MatchQuality of(SimilarityEstimator.Estimate estimate, SimilarityEstimator.Frame listing,
            SimilarityEstimator.Frame evidence) {
        List<Match> inliers = estimate.inliers();
        if (inliers.isEmpty()) {
            return new MatchQuality(0, Double.POSITIVE_INFINITY);
        }
        Similarity s = estimate.transform();
        double[] relative = new double[inliers.size()];
        for (int k = 0; k < inliers.size(); k++) {
            Match m = inliers.get(k);
            double sigma = Math.max(listing.size()[m.listing()], evidence.size()[m.evidence()] * s.scale()) / LEVEL_PATCH;
            relative[k] = SimilarityEstimator.residual(s, m, listing, evidence) / sigma;
        }
        Arrays.sort(relative);
        return new MatchQuality(inliers.size(), relative[relative.length / 2]);
    }
}
