package io.refundguard.identity;

import io.refundguard.events.EventType;
import io.refundguard.events.RefundEvent;
import io.refundguard.images.ImageFindings;
import io.refundguard.images.LateCatalogMatch;

/**
 * Something on its way to the person it concerns: one of their events, a listing photo published
 * after one of their requests that matches its evidence, or the retraction of one of their requests
 * after they were erased.
 *
 * @param findings what the image indexes found for a request's evidence; null when the request
 *     had no indexable evidence, or for other events
 * @param lateCatalogMatch set instead of {@code event}
 * @param retraction set when this removes what {@code event}, a REFUND_REQUESTED, left behind; then
 *     {@code event} is that request (or null for the retraction sent to the shared-image cluster)
 */
public record PersonEvent(
        String personKey, RefundEvent event, ImageFindings findings, LateCatalogMatch lateCatalogMatch, Retraction retraction) {

    public PersonEvent(String personKey, RefundEvent event) {
        this(personKey, event, null, null, null);
    }

    public PersonEvent(String personKey, RefundEvent event, ImageFindings findings, LateCatalogMatch lateCatalogMatch) {
        this(personKey, event, findings, lateCatalogMatch, null);
    }

    /** Removes the traces of {@code request} as of {@code erasedAt}, along the request's own routes. */
    public static PersonEvent retracting(String personKey, RefundEvent request, long erasedAt) {
        return new PersonEvent(personKey, request, null, null, new Retraction(erasedAt, request.requestKey(), null));
    }

    /** Removes a request from the shared-image cluster it joined. */
    public static PersonEvent retractingFromCluster(String personKey, String requestKey, String clusterKey, long erasedAt) {
        return new PersonEvent(personKey, null, null, null, new Retraction(erasedAt, requestKey, clusterKey));
    }

    public boolean isRetraction() {
        return retraction != null;
    }

    public PersonEvent withFindings(ImageFindings newFindings) {
        return new PersonEvent(personKey, event, newFindings, lateCatalogMatch, retraction);
    }

    public long timestamp() {
        if (retraction != null) {
            return retraction.erasedAt();
        }
        return event != null ? event.occurredAt() : lateCatalogMatch.listing().occurredAt();
    }

    /**
     * Unique per element of one key, and ordering a millisecond's elements by kind first: events,
     * then late listing matches, then retractions (after the requests they retract), then erasures
     * (after everything the ledger retracts with them, since it takes requests up to and including
     * the erasure's time). The kind is a leading control character, which no id may contain, so no
     * event id, however it is spelled, sorts across kinds.
     */
    public String tieBreaker() {
        if (retraction != null) {
            return "\u0003" + retraction.requestKey();
        }
        if (event == null) {
            return "\u0002" + lateCatalogMatch.listing().imageKey() + "\u0000" + lateCatalogMatch.evidenceImageKey();
        }
        return (event.type() == EventType.IDENTITY_ERASED ? "\u0004" : "\u0001") + event.eventId();
    }
}
