package io.refundguard.images.provenance;

/**
 * The evidence file cannot be read for provenance: not a JPEG or PNG, truncated, malformed, or
 * beyond a size bound. The message is one line saying what is wrong, fit for a dead-letter reason.
 */
public final class UnreadableImageException extends Exception {
    public UnreadableImageException(String reason) {
        super(oneLine(reason));
    }

    public UnreadableImageException(String reason, Throwable cause) {
        super(oneLine(reason), cause);
    }

    /**
     * Reasons quote the file (chunk keywords, library messages about its bytes), and a hostile
     * file's bytes include line breaks that would split one log or dead-letter line into many.
     */
    private static String oneLine(String reason) {
        StringBuilder sb = new StringBuilder(reason.length());
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb.toString();
    }
}
