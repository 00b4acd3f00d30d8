package io.refundguard.images.compare;

/** How a copy differs from its listing photo. */
public enum ChangeKind {
    /** The evidence has structure the listing lacks there: a painted crack, tear, stain or object. */
    CONTENT_ADDED,
    /** The listing has structure the evidence lacks there: a fill or retouch that removed detail. */
    CONTENT_REMOVED,
    /** The evidence shows only part of the listing frame. */
    CROPPED,
    /** The evidence frame holds area outside the listing: screenshot margins, status bar, a rotated photo's corners. */
    FRAMED
}
