package io.refundguard.job.config;

import io.refundguard.settings.Check;
import java.io.Serializable;

/** Topic names; the contract gives the defaults, deployments may rename. */
public record TopicSettings(
        String refundEvents,
        String catalogImages,
        String control,
        String alerts,
        String verdicts,
        String deadLetters,
        boolean platformViews)
        implements Serializable {
    public TopicSettings {
        Check.notBlank("refundEvents", refundEvents);
        Check.notBlank("catalogImages", catalogImages);
        Check.notBlank("control", control);
        Check.notBlank("alerts", alerts);
        Check.notBlank("verdicts", verdicts);
        Check.notBlank("deadLetters", deadLetters);
    }
}
