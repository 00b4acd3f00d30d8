package io.refundguard.job;

import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.job.config.TopicSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every topic the job reads or writes, for creating them before the job starts. */
public final class Topics {
    /**
     * How the refund-events topics are created: the broker stamps each record with its append
     * time. The future-skew guard measures {@code occurredAt} against the record's timestamp; with
     * the producer's CreateTime a publisher could forge that timestamp, move the watermark ahead and
     * fire every cleanup timer early.
     */
    public static final Map<String, String> REFUND_EVENTS_CONFIG = Map.of("message.timestamp.type", "LogAppendTime");

    private Topics() {}

    /**
     * @param platforms platforms whose view topics to include ({@code refund-alerts.<platform>},
     *     {@code refund-verdicts.<platform>}), besides the member platforms ({@code input.platforms})
     */
    public static List<String> all(RefundGuardConfig config, Collection<String> platforms) {
        TopicSettings t = config.topics();
        Set<String> topics = new LinkedHashSet<>(refundEvents(config));
        topics.addAll(List.of(t.catalogImages(), t.control(), t.alerts(), t.verdicts(), t.deadLetters()));
        if (t.platformViews()) {
            Set<String> viewed = new LinkedHashSet<>(config.input().platforms());
            viewed.addAll(platforms);
            for (String platform : viewed) {
                topics.add(t.alerts() + "." + platform);
                topics.add(t.verdicts() + "." + platform);
            }
        }
        return new ArrayList<>(topics);
    }

    /**
     * The refund-events topics the job reads: {@code refund-events}, or with {@code
     * input.perPlatformTopics} one {@code refund-events.<platform>} per member platform.
     */
    public static List<String> refundEvents(RefundGuardConfig config) {
        String base = config.topics().refundEvents();
        if (!config.input().perPlatformTopics()) {
            return List.of(base);
        }
        return config.input().platforms().stream().map(platform -> base + "." + platform).toList();
    }

    /** Topic configs to create topics with, by topic; topics not named get the broker's defaults. */
    public static Map<String, Map<String, String>> configs(RefundGuardConfig config) {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        refundEvents(config).forEach(topic -> configs.put(topic, REFUND_EVENTS_CONFIG));
        return configs;
    }
}
