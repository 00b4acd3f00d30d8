package io.refundguard.images;

import io.refundguard.events.LocalFeatures;

/**
 * A product's listing photo as {@link ListingPhotos} keeps it.
 *
 * @param image the photo as the index knows it
 * @param filed whether it is in the photo index (its PDQ quality reached the floor)
 * @param features its local features, or null: then only its hash is compared
 * @param uri the catalog record's link to the photo, or null; kept here (one per listing photo,
 *     next to ~10 KB of features) and not in the photo index, whose entries stay small
 */
public record ListedPhoto(IndexedImage image, boolean filed, LocalFeatures features, String uri) {}
