package io.refundguard.job;

import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.job.config.TopicSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Every topic the job reads or writes, for creating them before the job starts. */
public final class Topics {
    private Topics() {}

    /**
     * @param platforms platforms whose view topics to include ({@code refund-alerts.<platform>},
     *     {@code refund-verdicts.<platform>})
     */
    public static List<String> all(RefundGuardConfig config, Collection<String> platforms) {
        TopicSettings t = config.topics();
        List<String> topics = new ArrayList<>(List.of(
                t.refundEvents(), t.catalogImages(), t.control(), t.alerts(), t.verdicts(), t.deadLetters()));
        if (t.platformViews()) {
            for (String platform : platforms) {
                topics.add(t.alerts() + "." + platform);
                topics.add(t.verdicts() + "." + platform);
            }
        }
        return topics;
    }
}
