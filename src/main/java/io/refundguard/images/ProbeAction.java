package io.refundguard.images;

/** What a probe does at the slot key it was routed to. */
public enum ProbeAction {
    /** At one of the image's own 16 slot keys: compare with what is filed there, then file it. */
    STORE_AND_MATCH,
    /** At one of the neighbour keys: compare only, since the image is not filed under them. */
    MATCH,
    /** A catalog tombstone at one of the image's own slot keys: unfile it. */
    DELETE
}
