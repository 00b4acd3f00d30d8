package io.refundguard.events;

/**
 * The implicit metadata label of GB 45438-2025 as the platform found it in the file.
 *
 * @param label "1" generated, "2" possibly generated, "3" suspected generated
 */
public record AigcLabel(
        String label,
        String contentProducer,
        String produceId,
        String contentPropagator,
        String propagateId) {}
