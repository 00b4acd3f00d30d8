package io.refundguard.images.index;

/**
 * A lookup waiting for the watermark, with the key groups it still has to be answered for. A
 * subtask answers for its own key groups; after a restore at another parallelism a lookup that
 * was waiting in several old subtasks is answered, by each new one, for exactly the key groups
 * that no old subtask had answered, so the gather's coverage count still adds up.
 */
public record PendingLookup(IndexLookup lookup, int firstKeyGroup, int lastKeyGroup) {
    boolean owes(int keyGroup) {
        return keyGroup >= firstKeyGroup && keyGroup <= lastKeyGroup;
    }

    /** The part of this lookup's key groups that {@code [first, last]} owns, or null. */
    PendingLookup within(int first, int last) {
        int from = Math.max(first, firstKeyGroup);
        int to = Math.min(last, lastKeyGroup);
        return from > to ? null : new PendingLookup(lookup, from, to);
    }
}
