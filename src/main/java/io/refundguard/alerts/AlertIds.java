package io.refundguard.alerts;

import io.refundguard.patterns.PatternCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic alert ids: the same pattern firing for the same subject, on the same triggering
 * event, at the same escalation, always gets the same id, so consumers can drop duplicates and a
 * replay reproduces a live run's ids.
 */
public final class AlertIds {
    private AlertIds() {}

    public static String of(PatternCode pattern, Subject subject, String triggerEventId, Severity severity, int level) {
        String material = String.join("\u0000",
                "v1", pattern.name(), subject.kind().name(), subject.key(), triggerEventId, severity.name(),
                Integer.toString(level));
        return "a-" + HexFormat.of().formatHex(sha256(material), 0, 16);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
