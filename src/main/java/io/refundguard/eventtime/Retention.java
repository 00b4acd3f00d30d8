package io.refundguard.eventtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.state.MapState;

/**
 * Expiry of keyed history in event time, and removal after an erasure, shared by the functions that
 * keep a window of requests.
 */
public final class Retention {
    private static final long DAY = Duration.ofDays(1).toMillis();

    private Retention() {}

    /** When an entry of {@code occurredAt} expires, rounded up to a day so a busy key has at most
     * one cleanup timer per day. */
    public static long cleanupTime(long occurredAt, Duration retention) {
        long due = occurredAt + retention.toMillis();
        return (due / DAY + 1) * DAY;
    }

    /** Removes the entries whose cleanup time has come; returns whether none is left. */
    public static <V> boolean expire(MapState<String, V> entries, long timestamp, ToLongFunction<V> cleanupTimeOf)
            throws Exception {
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, V> entry : entries.entries()) {
            if (cleanupTimeOf.applyAsLong(entry.getValue()) <= timestamp) {
                expired.add(entry.getKey());
            }
        }
        for (String key : expired) {
            entries.remove(key);
        }
        return entries.isEmpty();
    }

    /**
     * Removes an erased person's request from a window of requests; returns whether none is left,
     * when the caller also deletes the key's cleanup timer (while others remain, it is theirs too).
     */
    public static <V> boolean retract(MapState<String, V> entries, String requestKey) throws Exception {
        entries.remove(requestKey);
        return entries.isEmpty();
    }
}
