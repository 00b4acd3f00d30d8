package io.refundguard.job.config;

import io.refundguard.settings.Check;
import java.io.Serializable;
import java.util.List;

/** The embedded single-machine setup of {@code jobs/refundguard local}. */
public record LocalSettings(String varDir, int brokerPort, int webUiPort, int topicPartitions, List<String> platforms)
        implements Serializable {
    public LocalSettings {
        Check.notBlank("varDir", varDir);
        Check.atLeast("brokerPort", brokerPort, 0);
        Check.atLeast("webUiPort", webUiPort, 0);
        Check.atLeast("topicPartitions", topicPartitions, 1);
        platforms = List.copyOf(Check.present("platforms", platforms));
    }
}
