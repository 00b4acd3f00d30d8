package io.refundguard.images;

import io.refundguard.events.CatalogImage;

/** What reaches a product's listing photos: a listing record or a request's evidence. One is set. */
public record ListingInput(CatalogImage listing, ListingQuery query) {
    public static ListingInput of(CatalogImage listing) {
        return new ListingInput(listing, null);
    }

    public static ListingInput of(ListingQuery query) {
        return new ListingInput(null, query);
    }

    public String productKey() {
        return listing != null ? listing.productKey() : query.productKey();
    }

    public long timestamp() {
        return listing != null ? listing.occurredAt() : query.occurredAt();
    }

    /** Listing records of a millisecond before the requests, so a photo published then is seen. */
    public String tieBreaker() {
        return listing != null
                ? "\u0001" + listing.imageId() + "\u0000" + (listing.deleted() ? "1" : "0")
                : "\u0002" + query.tieBreaker();
    }
}
