package io.refundguard.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions: a random token in an HttpOnly, SameSite=Strict cookie names the user, and each
 * session has its own CSRF token that every form carries. In memory: a restart signs everyone out,
 * which costs a login and nothing else.
 */
final class Sessions {
    static final String COOKIE = "rg_session";
    static final Duration IDLE = Duration.ofHours(8);
    /** The login form's CSRF cookie: the form must be sent within this time after it was shown. */
    static final String LOGIN_COOKIE = "rg_login";
    static final Duration LOGIN_FORM_LIFETIME = Duration.ofHours(1);

    record Session(String token, Viewer viewer, String csrf, Instant lastSeen) {
        boolean csrfMatches(String candidate) {
            return sameToken(csrf, candidate);
        }
    }

    /** Constant-time: how long the comparison takes says nothing about how much of a guess was right. */
    static boolean sameToken(String expected, String candidate) {
        return expected != null && candidate != null && !expected.isEmpty()
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh token for the login form (before there is a session to keep one in). */
    String loginToken() {
        return randomToken();
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    Session open(Viewer viewer) {
        Session session = new Session(randomToken(), viewer, randomToken(), clock.instant());
        byToken.put(session.token(), session);
        return session;
    }

    Optional<Session> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Session session = byToken.get(token);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (session.lastSeen().plus(IDLE).isBefore(now)) {
            byToken.remove(token);
            return Optional.empty();
        }
        Session touched = new Session(session.token(), session.viewer(), session.csrf(), now);
        byToken.put(token, touched);
        return Optional.of(touched);
    }

    void close(String token) {
        if (token != null) {
            byToken.remove(token);
        }
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
