package io.refundguard.events;

/** Keys built from contract identifiers, written once so every operator agrees on them. */
public final class RequestKeys {
    private RequestKeys() {}

    public static String of(String platform, String requestId) {
        return platform + ":" + requestId;
    }
}
