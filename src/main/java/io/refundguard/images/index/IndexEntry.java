package io.refundguard.images.index;

import io.refundguard.images.IndexedImage;

/**
 * A change to the photo index, routed by {@link #photoId} to the one subtask that files the photo.
 *
 * @param remove the photo stops being valid at {@code at} (a listing replaced or deleted, an
 *     erased person's evidence); otherwise it is filed, valid from its own event time
 * @param image the photo as filed: its key and hash identify what to remove
 * @param at event time of the change, epoch millis: the photo's own time when filed
 */
public record IndexEntry(long photoId, boolean remove, IndexedImage image, long at) {
    public static IndexEntry filing(IndexedImage image) {
        return new IndexEntry(PhotoIds.of(image.imageKey()), false, image, image.occurredAt());
    }

    public static IndexEntry removing(IndexedImage filed, long at) {
        return new IndexEntry(PhotoIds.of(filed.imageKey()), true, filed, at);
    }
}
