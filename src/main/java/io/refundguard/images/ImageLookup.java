package io.refundguard.images;

import io.refundguard.identity.PersonEvent;

/** A request waiting for its evidence lookups, and how many index results it must wait for. */
public record ImageLookup(PersonEvent request, int expectedResults) {
    public String requestKey() {
        return request.event().requestKey();
    }
}
