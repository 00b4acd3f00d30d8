package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.events.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RefundGuardJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    Path dir;

    @Test
    void serialRefunderAcrossPlatformsIsFlaggedAndEveryRequestGetsAVerdict() throws Exception {
        List<String> lines = new ArrayList<>();
        String[] platforms = {"tb", "jd", "pdd", "tb", "jd"};
        for (int i = 0; i < platforms.length; i++) {
            lines.add(TestEvents.request(platforms[i], "R" + i).person("serial").after(Duration.ofDays(i)).json());
        }
        lines.add("{not json");
        var out = JobHarness.run(JobHarness.config(), 2, dir, lines);

        List<JsonNode> alerts = JobHarness.of(out, OutputKind.ALERT, null);
        assertThat(alerts).extracting(a -> a.get("pattern").asText()).containsOnly("REPEAT_REFUNDER");
        assertThat(JobHarness.of(out, OutputKind.VERDICT, null)).hasSize(5);
        assertThat(JobHarness.of(out, OutputKind.DEAD_LETTER, null)).hasSize(1);
    }
}
