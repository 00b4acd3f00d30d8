package io.refundguard.console;

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

    record Session(String token, Viewer viewer, String csrf, Instant lastSeen) {
        boolean csrfMatches(String candidate) {
            return candidate != null && MessageDigest.isEqual(csrf.getBytes(), candidate.getBytes());
        }
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
