package io.refundguard.cli;

/** The user's command line is wrong: printed as one line plus the command's synopsis, exit code 2. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
