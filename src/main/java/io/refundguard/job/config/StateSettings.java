package io.refundguard.job.config;

import io.refundguard.settings.Check;
import java.io.Serializable;
import java.time.Duration;

/** Lifetimes of the state that is not part of a pattern's window. */
public record StateSettings(
        Duration dedupeTtl,
        Duration requestLinkTtl,
        Duration orphanTimeout,
        Duration verdictTtl,
        Duration heldVerdictTtl,
        Duration personHistoryTtl,
        int maxRequestsPerPerson,
        int maxWaitingPerRequest)
        implements Serializable {
    public StateSettings {
        Check.positive("personHistoryTtl", personHistoryTtl);
        Check.positive("dedupeTtl", dedupeTtl);
        Check.positive("requestLinkTtl", requestLinkTtl);
        Check.positive("orphanTimeout", orphanTimeout);
        Check.positive("verdictTtl", verdictTtl);
        Check.positive("heldVerdictTtl", heldVerdictTtl);
        Check.atLeast("maxRequestsPerPerson", maxRequestsPerPerson, 1);
        Check.atLeast("maxWaitingPerRequest", maxWaitingPerRequest, 1);
    }
}
