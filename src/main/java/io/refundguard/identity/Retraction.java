package io.refundguard.identity;

/**
 * Marks a {@link PersonEvent} as the removal of one request's traces after the person asked to be
 * erased (PIPL art. 47): every keyed operator that filed something under the request's keys removes
 * it instead of filing. The retraction travels the same fan-outs as the request did, so it reaches
 * exactly the keys the request reached, without any operator scanning its state.
 *
 * @param erasedAt event time of the IDENTITY_ERASED, epoch millis; orders the retraction after the
 *     person's earlier events and before their later ones in every event-time ordered operator
 * @param requestKey {@code platform:requestId} of the request whose traces go
 * @param clusterKey the shared-image cluster the request joined, for the retraction addressed to
 *     the cluster operator; null on the others
 */
public record Retraction(long erasedAt, String requestKey, String clusterKey) {}
