package io.refundguard.images;

/** Where an indexed photo came from; decides which stored photos it may be compared with. */
public enum ImageOrigin {
    /** A photo a buyer attached to a refund request. */
    EVIDENCE,
    /** A merchant's own listing photo. */
    CATALOG
}
