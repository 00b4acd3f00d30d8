package io.refundguard.images;

/**
 * An image that was not decoded, with a one-line reason fit for a dead-letter record. No stack
 * trace is captured: rejections are an expected outcome for untrusted input, not a bug, and a
 * flood of bad uploads should not cost a stack walk each.
 */
public final class ImageRejectedException extends Exception {
    public enum Reason {
        FILE_TOO_LARGE,
        TOO_MANY_PIXELS,
        UNSUPPORTED_FORMAT,
        TOO_MANY_SCANS,
        DEADLINE,
        CORRUPT,
        UNREADABLE
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ImageRejectedException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
