package io.refundguard.images.provenance;

/**
 * The evidence file cannot be read for provenance: not a JPEG or PNG, truncated, malformed, or
 * beyond a size bound. The message is one line saying what is wrong, fit for a dead-letter reason.
 */
public final class UnreadableImageException extends Exception {
    public UnreadableImageException(String reason) {
        super(reason);
    }

    public UnreadableImageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
