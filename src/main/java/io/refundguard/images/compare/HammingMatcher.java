package io.refundguard.images.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Nearest-neighbour matching of binary descriptors by Hamming distance, keeping a match only
 * when it is clearly the best (Lowe's ratio test) and one-to-one. Repetitive content (bricks,
 * gravel, a row of coins) has many near-equal candidates and so yields few matches, which is
 * what we want: such matches would not pin down a transform.
 */
final class HammingMatcher {
    /** Of 128 bits; unrelated patches differ in 64 +- 6, so 40 is four standard deviations from chance. */
    static final int MAX_DISTANCE = 40;
    static final double RATIO = 0.85;

    private HammingMatcher() {}

    static List<Match> match(Keypoints listing, Keypoints evidence) {
        int[] bestForListing = new int[listing.count()];
        int[] bestDistance = new int[listing.count()];
        java.util.Arrays.fill(bestForListing, -1);
        java.util.Arrays.fill(bestDistance, Integer.MAX_VALUE);
        long[] ld = listing.descriptors();
        long[] ed = evidence.descriptors();
        int listingCount = listing.count();
        for (int e = 0; e < evidence.count(); e++) {
            int best = -1;
            int d1 = Integer.MAX_VALUE;
            int d2 = Integer.MAX_VALUE;
            long e0 = ed[2 * e];
            long e1 = ed[2 * e + 1];
            for (int l = 0; l < listingCount; l++) {
                int d = Long.bitCount(e0 ^ ld[2 * l]) + Long.bitCount(e1 ^ ld[2 * l + 1]);
                if (d < d1) {
                    d2 = d1;
                    d1 = d;
                    best = l;
                } else if (d < d2) {
                    d2 = d;
                }
            }
            if (best >= 0 && d1 <= MAX_DISTANCE && d1 <= RATIO * d2 && d1 < bestDistance[best]) {
                bestDistance[best] = d1;
                bestForListing[best] = e;
            }
        }
        List<Match> matches = new ArrayList<>();
        for (int l = 0; l < listing.count(); l++) {
            if (bestForListing[l] >= 0) {
                matches.add(new Match(l, bestForListing[l], bestDistance[l]));
            }
        }
        matches.sort(Comparator.comparingInt(Match::distance).thenComparingInt(Match::listing));
        return matches;
    }
}
