package io.refundguard.images.compare;

import io.refundguard.events.LocalFeatures;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether an evidence photo is a derivative of a listing photo, from their {@link
 * LocalFeatures}: descriptor matches (also against the mirror image of the evidence, which costs
 * a bit shuffle, see {@link MirrorPattern}), similarity transforms they agree on ({@link
 * SimilarityEstimator}), a dense comparison of the thumbnails through each ({@link
 * DenseVerifier}), and the rule of {@link CopyDecision}. Where it is a copy, {@link
 * ChangeReport} says where and how it was changed.
 *
 * <p>Stateless and deterministic, so one instance serves all threads. Most comparisons are
 * between unrelated photos; they stop after matching, when too few descriptors match.
 */
public final class CopyDetector {
    /** Inliers of a plain copy beyond which its mirror image is not worth matching. */
    static final int CONFIDENT_INLIERS = 30;
    /** A second transform is verified if it has at least a third of the first's inliers. */
    static final int SECOND_SHARE = 3;
    /** Everything the decision looked at; the study reads it to set thresholds. */
    record Evaluation(Comparison comparison, MatchQuality quality, DenseCheck dense, int matches, Candidate candidate) {}

    /** A transform to verify: from the plain or the mirrored evidence, with the blind matches it came from. */
    record Candidate(boolean mirrored, SimilarityEstimator.Estimate estimate, SimilarityEstimator.Frame evidence,
            List<Match> matches) {}

    public Comparison compare(LocalFeatures listing, LocalFeatures evidence) {
        return evaluate(listing, evidence).comparison();
    }

    Evaluation evaluate(LocalFeatures listing, LocalFeatures evidence) {
        int need = CopyDecision.MIN_INLIERS;
        Keypoints listingKeypoints = FeatureLayout.read(listing);
        Keypoints evidenceKeypoints = FeatureLayout.read(evidence);
        if (listingKeypoints.count() < need || evidenceKeypoints.count() < need) {
            return new Evaluation(Comparison.notACopy(-1, null, 0, 0, 0, "too few keypoints (listing "
                    + listingKeypoints.count() + ", evidence " + evidenceKeypoints.count() + "), need " + need), null, null, 0, null);
        }
        double listingNorm = WorkingImage.scaleFor(listing.width(), listing.height());
        double evidenceNorm = WorkingImage.scaleFor(evidence.width(), evidence.height());
        SimilarityEstimator.Frame listingFrame = SimilarityEstimator.Frame.of(listingKeypoints, listingNorm);

        int mostMatches = 0;
        Evaluation best = null;
        int bestAgreeing = -1;
        for (boolean mirrored : new boolean[] {false, true}) {
            if (best != null && best.comparison().copy() && best.quality().inliers() >= CONFIDENT_INLIERS) {
                // A plain copy with this many inliers is no mirror image: spare the second matching.
                break;
            }
            Keypoints e = mirrored ? evidenceKeypoints.mirrored(evidence.width()) : evidenceKeypoints;
            List<Match> matches = HammingMatcher.match(listingKeypoints, e);
            mostMatches = Math.max(mostMatches, matches.size());
            if (matches.size() < SimilarityEstimator.MIN_SEED) {
                continue;
            }
            SimilarityEstimator.Frame evidenceFrame = SimilarityEstimator.Frame.of(e, evidenceNorm);
            List<SimilarityEstimator.Estimate> estimates = SimilarityEstimator.estimate(listingFrame, evidenceFrame, matches);
            for (SimilarityEstimator.Estimate estimate : estimates) {
                // A second transform is worth a dense check only if it explains a fair share of
                // what the first does (a clone fill after a crop can); otherwise it is chance.
                int inliers = estimate.inliers().size();
                if (inliers < need || inliers * SECOND_SHARE < estimates.get(0).inliers().size()) {
                    continue;
                }
                Evaluation evaluation = verify(listing, evidence, listingFrame, listingNorm, evidenceNorm,
                        new Candidate(mirrored, estimate, evidenceFrame, matches), estimates);
                // A clone fill or the mirror image can explain part of a copy too: prefer a candidate
                // judged a copy, and among equals the one under which more of the listing agrees.
                int agreeing = evaluation.dense().count(DenseCheck.AGREES);
                boolean better = best == null || (evaluation.comparison().copy() && !best.comparison().copy())
                        || (evaluation.comparison().copy() == best.comparison().copy() && agreeing > bestAgreeing);
                if (better) {
                    best = evaluation;
                    bestAgreeing = agreeing;
                }
            }
        }
        if (best == null) {
            return new Evaluation(Comparison.notACopy(-1, null, 0, 0, 0,
                    "no transform with " + need + " inliers among " + mostMatches + " matches"), null, null, mostMatches, null);
        }
        return best;
    }
    private Evaluation verify(LocalFeatures listing, LocalFeatures evidence, SimilarityEstimator.Frame listingFrame,
            double listingNorm, double evidenceNorm, Candidate candidate, List<SimilarityEstimator.Estimate> estimates) {
        Affine evidenceToListing = Affine.scaling(1 / listingNorm, 1 / listingNorm)
                .after(Affine.of(candidate.estimate.transform()))
                .after(Affine.scaling(evidenceNorm, evidenceNorm));
        if (candidate.mirrored) {
            evidenceToListing = evidenceToListing.after(Affine.horizontalFlip(evidence.width()));
        }
        Transform transform = Transform.of(evidenceToListing);
        MatchQuality quality = MatchQuality.of(candidate.estimate, listingFrame, candidate.evidence);
        GreyImage listingThumb = FeatureLayout.thumbnail(listing);
        DenseCheck dense = DenseVerifier.check(listingThumb, listing.width(), listing.height(),
                FeatureLayout.thumbnail(evidence), evidence.width(), evidence.height(), evidenceToListing);
        MovedObject.Motion otherMotion = MovedObject.strongest(candidate.estimate, estimates, dense, listingFrame.keypoints(),
                listing.width(), listing.height(), listingThumb.width, listingThumb.height);
        CopyDecision.Decision decision = CopyDecision.decide(quality, dense, otherMotion);
        Comparison comparison;
        if (decision.copy()) {
            boolean[] absent = KeypointAbsence.cells(dense, listingFrame.keypoints(), candidate.estimate.inliers(),
                    evidenceToListing.inverse(), listing.width(), listing.height(), listingThumb.width, listingThumb.height,
                    evidence.width(), evidence.height());
            ChangeReport changes = ChangeReport.of(dense, absent, listing.width(), listing.height(), listingThumb.width,
                    listingThumb.height);
            comparison = new Comparison(true, decision.score(), transform, quality.inliers(), dense.overlapShare(),
                    dense.agreement(), changes.regions(), changes.changedShare(), changes.kinds(), "");
        } else {
            comparison = Comparison.notACopy(decision.score(), transform, quality.inliers(), dense.overlapShare(),
                    dense.agreement(), decision.reason());
        }
        return new Evaluation(comparison, quality, dense, candidate.matches.size(), candidate);
    }
}
