package io.refundguard.events;

/**
 * Local features from the wire that break the version-1 layout. Unchecked, because the record's
 * own constructor throws it (so no invalid instance exists, however it was built); a decoder
 * that reads untrusted events catches it and turns it into a rejected record naming the field.
 */
public final class InvalidLocalFeaturesException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    public InvalidLocalFeaturesException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
        this.reason = message;
    }

    /** The offending sub-field: version, width, height, keypoints, thumbnailWidth, thumbnailHeight or thumbnail. */
    public String field() {
        return field;
    }

    /** What was wrong, without the field name. */
    public String reason() {
        return reason;
    }
}
