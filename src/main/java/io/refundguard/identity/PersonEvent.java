package io.refundguard.identity;

import io.refundguard.events.RefundEvent;
import io.refundguard.images.ImageFindings;
import io.refundguard.images.LateCatalogMatch;

/**
 * Something on its way to the person it concerns: one of their events, or a listing photo
 * published after one of their requests that matches its evidence.
 *
 * @param findings what the image indexes found for a request's evidence; null when the request
 *     had no indexable evidence, or for other events
 * @param lateCatalogMatch set instead of {@code event}
 */
public record PersonEvent(String personKey, RefundEvent event, ImageFindings findings, LateCatalogMatch lateCatalogMatch) {

    public PersonEvent(String personKey, RefundEvent event) {
        this(personKey, event, null, null);
    }

    public PersonEvent withFindings(ImageFindings newFindings) {
        return new PersonEvent(personKey, event, newFindings, lateCatalogMatch);
    }

    public long timestamp() {
        return event != null ? event.occurredAt() : lateCatalogMatch.listing().occurredAt();
    }

    /** Unique per element of one person: the event id, or the pair a late match is about. */
    public String tieBreaker() {
        return event != null
                ? event.eventId()
                : "~catalog\u0000" + lateCatalogMatch.listing().imageKey() + "\u0000" + lateCatalogMatch.evidenceImageKey();
    }
}
