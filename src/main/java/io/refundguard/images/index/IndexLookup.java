package io.refundguard.images.index;

import io.refundguard.images.IndexedImage;

/**
 * A photo to compare with the whole index. Sent to every subtask, each of which answers for the
 * photos it holds.
 *
 * @param requestKey the refund request waiting for the answers; null for a listing photo, whose
 *     answers nobody waits for and which are sent only when something matched
 */
public record IndexLookup(String requestKey, IndexedImage image) {}
