package io.refundguard.images.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the similarity transforms that keypoint matches agree on, in two steps.
 *
 * <p>Proposal: RANSAC-style but exhaustive, so deterministic. Every pair of the strongest
 * descriptor matches proposes a transform; one is only tried when both matches agree with its
 * rotation (keypoint orientations) and scale (keypoint sizes), which discards most wrong pairs
 * before counting; the proposal with the best MSAC score wins.
 *
 * <p>Guided matching: with a transform in hand, every evidence keypoint is compared with the
 * listing keypoints that land within {@value #TOLERANCE} pixels of where it should be, with a
 * looser descriptor threshold than blind matching needs. When the listing fills only a third of
 * a phone screenshot, blind matching with the ratio test keeps about half of the true pairs;
 * guided matching recovers most of the rest. Least squares on the result refines the transform;
 * the refined one guides once more.
 *
 * <p>A second proposal is drawn from the matches the first does not explain, because a "clone"
 * fill copies part of the photo elsewhere: when a crop has removed much of the rest, the clone's
 * translation can gather more matches than the true transform. The dense check decides.
 *
 * <p>Positions are in each photo's normalised frame ({@link WorkingImage#scaleFor}), where
 * {@value #TOLERANCE} pixels is about 0.6% of the frame width.
 */
final class SimilarityEstimator {
    /** Pairs are drawn from this many strongest matches: 40 choose 2 = 780 proposals at most. */
    static final int PROPOSERS = 40;
    /** A proposal whose MSAC score reaches this share of all matches ends the search. */
    static final double GOOD_ENOUGH = 0.5;
    /** A proposal needs this many consistent matches before guided matching is worth it. */
    static final int MIN_SEED = 4;
    /** Inlier radius, normalised pixels: keypoints of a copy land within ~1 pixel. */
    static final double TOLERANCE = 3.0;
    /**
     * Descriptor distance accepted in guided matching, of 128 bits. Unrelated patches differ in
     * 64 +- 5.7 bits, so 45 is 3.4 standard deviations from chance (1 in 2,500), and a candidate
     * must also sit within {@value #TOLERANCE} pixels with the right orientation and size; true
     * pairs of a copy shown at half size differ by up to ~35.
     */
    static final int GUIDED_MAX_DISTANCE = 45;
    /** Orientations of a true match agree with the transform's rotation to within this. */
    static final double ANGLE_TOLERANCE = Math.toRadians(30);
    /** Keypoint sizes come from pyramid levels sqrt(2) apart; allow one level of slack each way. */
    static final double SIZE_SLACK = 2.1;
    private static final double LOG_SIZE_SLACK = Math.log(SIZE_SLACK);
    static final double MIN_SCALE = 0.25;
    static final double MAX_SCALE = 4.0;
    private static final int GUIDED_ROUNDS = 2;
    private static final int HYPOTHESES = 2;

    /**
     * @param transform evidence normalised frame to listing normalised frame
     * @param inliers the matches it explains
     */
    record Estimate(Similarity transform, List<Match> inliers) {}

    private SimilarityEstimator() {}

    /** Up to two estimates, most inliers first. */
    static List<Estimate> estimate(Frame listing, Frame evidence, List<Match> matches) {
        List<Estimate> estimates = new ArrayList<>();
        List<Match> remaining = matches;
        for (int h = 0; h < HYPOTHESES && remaining.size() >= MIN_SEED; h++) {
            Similarity proposal = propose(listing, evidence, remaining);
            if (proposal == null) {
                break;
            }
            List<Match> seed = inliers(proposal, listing, evidence, remaining);
            if (seed.size() < MIN_SEED) {
                break;
            }
            estimates.add(guide(proposal, listing, evidence));
            java.util.Set<Match> explained = new java.util.HashSet<>(seed);
            List<Match> rest = new ArrayList<>();
            for (Match m : remaining) {
                if (!explained.contains(m)) {
                    rest.add(m);
                }
            }
            remaining = rest;
        }
        estimates.sort((a, b) -> Integer.compare(b.inliers().size(), a.inliers().size()));
        return estimates;
    }

    private static Similarity propose(Frame listing, Frame evidence, List<Match> matches) {
        MatchArrays m = new MatchArrays(listing, evidence, matches);
        int proposers = Math.min(PROPOSERS, matches.size());
        Similarity best = null;
        double bestScore = 0;
        for (int i = 0; i < proposers; i++) {
            for (int j = i + 1; j < proposers; j++) {
                // Two true matches turn and scale the same way: skip pairs whose keypoints disagree.
                if (Math.abs(wrap(m.turn[i] - m.turn[j])) > 2 * ANGLE_TOLERANCE
                        || Math.abs(m.logScale[i] - m.logScale[j]) > 2 * LOG_SIZE_SLACK) {
                    continue;
                }
                Similarity s = Similarity.fromTwo(m.ex[i], m.ey[i], m.ex[j], m.ey[j], m.lx[i], m.ly[i], m.lx[j], m.ly[j]);
                if (s == null || !plausible(s) || !m.consistent(i, s) || !m.consistent(j, s)) {
                    continue;
                }
                double score = m.score(s);
                if (score > bestScore) {
                    best = s;
                    bestScore = score;
                    if (bestScore >= GOOD_ENOUGH * matches.size()) {
                        // Explains most matches: a copy; guided matching and least squares refine it.
                        return best;
                    }
                }
            }
        }
        return best;
    }

    /** Per-match positions, turn (listing angle - evidence angle) and log size ratio, for fast scoring. */
    private static final class MatchArrays {
        final float[] ex;
        final float[] ey;
        final float[] lx;
        final float[] ly;
        final double[] turn;
        final double[] logScale;

        MatchArrays(Frame listing, Frame evidence, List<Match> matches) {
            int n = matches.size();
            ex = new float[n];
            ey = new float[n];
            lx = new float[n];
            ly = new float[n];
            turn = new double[n];
            logScale = new double[n];
            for (int k = 0; k < n; k++) {
                Match m = matches.get(k);
                ex[k] = evidence.x[m.evidence()];
                ey[k] = evidence.y[m.evidence()];
                lx[k] = listing.x[m.listing()];
                ly[k] = listing.y[m.listing()];
                turn[k] = listing.angle[m.listing()] - evidence.angle[m.evidence()];
                logScale[k] = Math.log(listing.size[m.listing()] / evidence.size[m.evidence()]);
            }
        }

        boolean consistent(int k, Similarity s) {
            return Math.abs(wrap(turn[k] - s.rotation())) <= ANGLE_TOLERANCE
                    && Math.abs(logScale[k] - Math.log(s.scale())) <= LOG_SIZE_SLACK;
        }

        /** MSAC: each inlier counts 1 - (residual / tolerance)^2. */
        double score(Similarity s) {
            double rotation = s.rotation();
            double logScale = Math.log(s.scale());
            double score = 0;
            double t2 = TOLERANCE * TOLERANCE;
            for (int k = 0; k < ex.length; k++) {
                double dx = s.mapX(ex[k], ey[k]) - lx[k];
                double dy = s.mapY(ex[k], ey[k]) - ly[k];
                double r2 = dx * dx + dy * dy;
                if (r2 <= t2 && Math.abs(wrap(turn[k] - rotation)) <= ANGLE_TOLERANCE
                        && Math.abs(this.logScale[k] - logScale) <= LOG_SIZE_SLACK) {
                    score += 1 - r2 / t2;
                }
            }
            return score;
        }
    }

    /** An angle difference folded into (-pi, pi]. */
    static double wrap(double angle) {
        double a = angle % (2 * Math.PI);
        if (a > Math.PI) {
            a -= 2 * Math.PI;
        } else if (a <= -Math.PI) {
            a += 2 * Math.PI;
        }
        return a;
    }

    private static Estimate guide(Similarity start, Frame listing, Frame evidence) {
        Similarity s = start;
        List<Match> guided = guidedMatches(s, listing, evidence);
        for (int round = 0; round < GUIDED_ROUNDS && guided.size() >= 3; round++) {
            Similarity refined = fit(guided, listing, evidence);
            if (refined == null || !plausible(refined)) {
                break;
            }
            List<Match> next = guidedMatches(refined, listing, evidence);
            if (next.size() < guided.size()) {
                break;
            }
            s = refined;
            guided = next;
        }
        return new Estimate(s, guided);
    }

    /** For each evidence keypoint, the nearest-in-descriptor listing keypoint where s puts it; one-to-one. */
    static List<Match> guidedMatches(Similarity s, Frame listing, Frame evidence) {
        int[] bestEvidence = new int[listing.x.length];
        int[] bestDistance = new int[listing.x.length];
        java.util.Arrays.fill(bestEvidence, -1);
        double rotation = s.rotation();
        double logScale = Math.log(s.scale());
        double t2 = TOLERANCE * TOLERANCE;
        int[] around = new int[10];
        for (int e = 0; e < evidence.x.length; e++) {
            double px = s.mapX(evidence.x[e], evidence.y[e]);
            double py = s.mapY(evidence.x[e], evidence.y[e]);
            int best = -1;
            int bestD = GUIDED_MAX_DISTANCE + 1;
            PointGrid grid = listing.grid();
            int[] members = grid.members();
            int[] cells = grid.cellsNear(px, py, around);
            for (int k = 0; k < cells[0]; k++) {
                for (int m = grid.start(cells[k + 1]); m < grid.start(cells[k + 1] + 1); m++) {
                int l = members[m];
                double dx = listing.x[l] - px;
                double dy = listing.y[l] - py;
                if (dx * dx + dy * dy > t2 || Math.abs(wrap(listing.angle[l] - evidence.angle[e] - rotation)) > ANGLE_TOLERANCE
                        || Math.abs(Math.log(listing.size[l] / evidence.size[e]) - logScale) > LOG_SIZE_SLACK) {
                    continue;
                }
                int d = evidence.keypoints.distance(e, listing.keypoints, l);
                if (d < bestD) {
                    bestD = d;
                    best = l;
                }
                }
            }
            if (best >= 0 && (bestEvidence[best] < 0 || bestD < bestDistance[best])) {
                bestEvidence[best] = e;
                bestDistance[best] = bestD;
            }
        }
        List<Match> out = new ArrayList<>();
        for (int l = 0; l < listing.x.length; l++) {
            if (bestEvidence[l] >= 0) {
                out.add(new Match(l, bestEvidence[l], bestDistance[l]));
            }
        }
        return out;
    }

    private static Similarity fit(List<Match> matches, Frame listing, Frame evidence) {
        int n = matches.size();
        float[] ex = new float[n];
        float[] ey = new float[n];
        float[] lx = new float[n];
        float[] ly = new float[n];
        List<Integer> indices = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Match m = matches.get(k);
            ex[k] = evidence.x[m.evidence()];
            ey[k] = evidence.y[m.evidence()];
            lx[k] = listing.x[m.listing()];
            ly[k] = listing.y[m.listing()];
            indices.add(k);
        }
        return Similarity.leastSquares(ex, ey, lx, ly, indices);
    }

    private static List<Match> inliers(Similarity s, Frame listing, Frame evidence, List<Match> matches) {
        List<Match> out = new ArrayList<>();
        for (Match m : matches) {
            if (residual(s, m, listing, evidence) <= TOLERANCE && consistent(s, m.listing(), m.evidence(), listing, evidence)) {
                out.add(m);
            }
        }
        return out;
    }

    static boolean plausible(Similarity s) {
        double scale = s.scale();
        return scale >= MIN_SCALE && scale <= MAX_SCALE;
    }

    static double residual(Similarity s, Match m, Frame listing, Frame evidence) {
        double x = evidence.x[m.evidence()];
        double y = evidence.y[m.evidence()];
        double dx = s.mapX(x, y) - listing.x[m.listing()];
        double dy = s.mapY(x, y) - listing.y[m.listing()];
        return Math.sqrt(dx * dx + dy * dy);
    }

    private static boolean consistent(Similarity s, int l, int e, Frame listing, Frame evidence) {
        return Math.abs(wrap(listing.angle[l] - evidence.angle[e] - s.rotation())) <= ANGLE_TOLERANCE
                && Math.abs(Math.log(listing.size[l] / (evidence.size[e] * s.scale()))) <= LOG_SIZE_SLACK;
    }

    /** Keypoints with positions and sizes in a normalised frame, angles in radians. */
    record Frame(Keypoints keypoints, float[] x, float[] y, float[] size, float[] angle, PointGrid grid) {
        static Frame of(Keypoints keypoints, double normalise) {
            int n = keypoints.count();
            float[] x = new float[n];
            float[] y = new float[n];
            float[] size = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) (keypoints.x()[i] * normalise);
                y[i] = (float) (keypoints.y()[i] * normalise);
                size[i] = (float) (keypoints.size()[i] * normalise);
            }
            return new Frame(keypoints, x, y, size, keypoints.angle(), new PointGrid(x, y, 4 * TOLERANCE));
        }
    }
}
