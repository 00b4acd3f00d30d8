package io.refundguard.images;

/**
 * An evidence file that yields no fingerprint: it is not an image we can decode, it is too large,
 * or it is not the file the platform described. The message is one line, fit for a {@code
 * fetchError}, a CLI error line or a log. No stack trace is captured: bad uploads are an expected
 * outcome, not a bug of ours.
 */
public final class UnreadableEvidenceException extends Exception {
    public UnreadableEvidenceException(String reason) {
        super(oneLine(reason), null, false, false);
    }

    /** Reasons may quote a file's bytes or a server's words, which may hold line breaks. */
    static String oneLine(String reason) {
        StringBuilder sb = new StringBuilder(reason.length());
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb.toString();
    }
}
