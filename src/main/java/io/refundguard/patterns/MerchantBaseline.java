package io.refundguard.patterns;

import java.util.List;

/**
 * A merchant's (or product's) refund-only baseline: the EWMA of distinct persons per closed bucket,
 * as it stood at the last few bucket boundaries. The past values are kept so a window is measured
 * against the baseline from before it began: otherwise a burst's own first hour would raise the
 * bar it is measured against.
 *
 * @param averages the average at each of the last boundaries, one bucket apart, the newest (at
 *     {@code closedUntil}) last; a subject without history holds just the rule's default
 * @param closedUntil start of the open bucket: every bucket before it is folded into the average
 * @param bucketsClosed how many buckets the average has folded since the subject was first seen
 */
public record MerchantBaseline(List<Double> averages, long closedUntil, int bucketsClosed) {

    /** The average now, after every closed bucket. */
    public double perBucket() {
        return averages.get(averages.size() - 1);
    }
}
