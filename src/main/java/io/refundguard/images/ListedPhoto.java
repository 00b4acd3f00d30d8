package io.refundguard.images;

import io.refundguard.events.LocalFeatures;

/**
 * A product's listing photo as {@link ListingPhotos} keeps it.
 *
 * @param image the photo as the index knows it
 * @param filed whether it is in the photo index (its PDQ quality reached the floor)
 * @param features its local features, or null: then only its hash is compared
 */
public record ListedPhoto(IndexedImage image, boolean filed, LocalFeatures features) {}
