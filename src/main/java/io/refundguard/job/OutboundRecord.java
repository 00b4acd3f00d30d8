package io.refundguard.job;

/**
 * A serialised output record on its way to a sink. One type for every output lets one
 * transactional Kafka sink write all topics atomically per checkpoint.
 *
 * @param platform null for the operator's full topic, else the platform whose view this is
 */
public record OutboundRecord(OutputKind kind, String platform, String key, byte[] value) {}
