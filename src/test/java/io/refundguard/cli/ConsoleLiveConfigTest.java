package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refundguard.console.LiveConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's live mode reads the job's configuration keys, with --set overrides. */
class ConsoleLiveConfigTest {
    @Test
    void topicsKafkaAndPlatformsComeFromTheConfiguration() {
        LiveConfig config = ConsoleLiveConfig.load(null, List.of("topics.alerts=alerts-test",
                "kafka.bootstrapServers=127.0.0.1:19092", "input.perPlatformTopics=true"));
        assertThat(config.alerts()).isEqualTo("alerts-test");
        assertThat(config.verdicts()).isEqualTo("refund-verdicts");
        assertThat(config.refundEvents()).isEqualTo("refund-events");
        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(config.perPlatformEventTopics()).isTrue();
        assertThat(config.platforms()).containsExactly("tb", "jd", "pdd", "dy");
    }

    @Test
    void aConfigurationMistakeIsAnArgumentErrorNamingTheKey() {
        assertThatThrownBy(() -> ConsoleLiveConfig.load(null, List.of("topics.alertz=x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("configuration: ")
                .hasMessageContaining("alertz");
    }
}
