package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.Verdict;
import io.refundguard.alerts.VerdictAssembler;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.job.config.ConfigLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

class RuleBookTest {
    private static final RuleSet CONFIGURED = ConfigLoader.load(List.of()).rules();

    @Test
    void updatesArrivingInAnyOrderLeaveEverySubtaskWithTheSameRules() throws Exception {
        List<RuleSetUpdate> updates = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            updates.add(new RuleSetUpdate(RuleSets.withVersion(CONFIGURED, "v" + (char) ('a' + i)), 1_000L * Math.min(i, 17)));
        }
        Map<Long, String> forward = keptAfter(updates);
        List<RuleSetUpdate> reversed = new ArrayList<>(updates);
        java.util.Collections.reverse(reversed);
        assertThat(keptAfter(reversed)).isEqualTo(forward);
        // Sixteen kept, the newest by effective time; two updates for one instant: the greater version.
        assertThat(forward).hasSize(RuleBook.KEPT);
        assertThat(forward.keySet()).startsWith(2_000L).endsWith(17_000L);
        assertThat(forward.get(0L)).isNull();
        assertThat(forward.get(17_000L)).isEqualTo("vt");
        assertThat(forward.get(2_000L)).isEqualTo("vc");
    }

    private static Map<Long, String> keptAfter(List<RuleSetUpdate> updates) throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, Assessment, RuleSetUpdate, Verdict> h = RuleHarness.started(
                new VerdictAssembler(CONFIGURED, Duration.ofDays(1), StateTtl.PROCESSING_TIME), Assessment::requestKey, Types.STRING)) {
            for (RuleSetUpdate u : updates) {
                h.processBroadcastElement(u, u.effectiveFrom());
            }
            Map<Long, String> kept = new TreeMap<>();
            for (var e : h.getBroadcastState(RuleBook.UPDATES).entries()) {
                kept.put(e.getKey(), e.getValue().version());
            }
            return kept;
        }
    }
}
