package io.refundguard.console;

import java.io.IOException;
import java.util.List;

/** Where a decision's {@code REFUND_OUTCOME} events go: a file offline, {@code refund-events} live. */
public interface OutcomeSink extends AutoCloseable {
    /**
     * @param eventId the event's id, derived from case, request and verdict
     * @param json the contract event, one line
     */
    record Outcome(String eventId, String platform, String requestId, String json) {}

    /** The events were not (all) delivered; nothing was recorded, and a retry sends the same ids. */
    final class DeliveryException extends IOException {
        public DeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Delivers all of them or throws: the decision is recorded only after this returns. */
    void publish(List<Outcome> outcomes) throws IOException;

    @Override
    default void close() {}
}
