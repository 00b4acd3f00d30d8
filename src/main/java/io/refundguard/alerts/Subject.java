package io.refundguard.alerts;

/** What an alert is about. {@code key} never holds a platform-local id except a fallback person key. */
public record Subject(SubjectKind kind, String key) {
    public String topicKey() {
        return kind + ":" + key;
    }
}
