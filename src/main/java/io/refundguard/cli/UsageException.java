package io.refundguard.cli;

/** The user's command line is wrong; printed as one line plus the command's usage, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
