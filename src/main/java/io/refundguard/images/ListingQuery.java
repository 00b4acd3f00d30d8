package io.refundguard.images;

import io.refundguard.events.LocalFeatures;
import java.util.List;

/**
 * A request's evidence photos that carry local features, on their way to the listing photos of the
 * product the request names (keyed by {@code productKey}).
 *
 * @param tieBreaker orders requests of one product within a millisecond (the event id)
 */
public record ListingQuery(String requestKey, String productKey, long occurredAt, String tieBreaker,
        List<Photo> photos) {

    /** One evidence photo: as the indexes know it, and its features. */
    public record Photo(IndexedImage image, LocalFeatures features) {}
}
