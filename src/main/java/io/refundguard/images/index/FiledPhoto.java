package io.refundguard.images.index;

import io.refundguard.images.IndexedImage;

/**
 * A photo as keyed state keeps it: the durable copy the in-memory index is rebuilt from.
 *
 * @param until event time from which the photo no longer matches; {@link Long#MAX_VALUE} while valid
 */
public record FiledPhoto(IndexedImage image, long until) {}
