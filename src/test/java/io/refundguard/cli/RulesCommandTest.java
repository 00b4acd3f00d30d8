package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.alerts.OutputJson;
import io.refundguard.events.RawRecord;
import io.refundguard.events.TestEvents;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.ControlRecords;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.job.config.RuleSetLimits;
import io.refundguard.patterns.DecodedRuleSetUpdate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rules} writes the record a live update needs; {@code replay --control} applies it as a live job would. */
class RulesCommandTest {
    private static final RefundGuardConfig CONFIG = ConfigLoader.load(List.of());

    @TempDir
    Path dir;

    private static String rules(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("rules"));
        argv.addAll(List.of(args));
        int code = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void anAllowListFileBecomesTheRuleSetsPhotoAllowList() throws Exception {
        Path list = dir.resolve("allowed.jsonl");
        String pdq = TestEvents.hash("stock-photo");
        String sha = TestEvents.hash("sample-file");
        Files.writeString(list, "{\"hash\": \"pdq:" + pdq + "\", \"note\": \"stock bottle\"}\n\n"
                + "{\"hash\": \"sha256:" + sha.toUpperCase() + "\", \"note\": \"tb sample\"}\n");
        String record = rules("--version", "2026-12-02.1", "--allow-list", list.toString());

        DecodedRuleSetUpdate decoded = new ControlRecords(CONFIG.input(),
                new RuleSetLimits(CONFIG.rules(), CONFIG.state().personHistoryTtl()))
                .decode(new RawRecord("detector-control", 0, 0, 0, null, record.getBytes(StandardCharsets.UTF_8)));
        assertThat(decoded.rejected()).isNull();
        var allowList = decoded.update().rules().photoAllowList();
        assertThat(allowList.photos()).extracting(p -> p.hash()).containsExactly("pdq:" + pdq, "sha256:" + sha);
        var matcher = allowList.matcher();
        assertThat(matcher.allows(null, io.refundguard.images.PdqHash.fromHex(pdq).flip(3).flip(200))).isTrue();
        assertThat(matcher.allows(sha, null)).isTrue();
        assertThat(matcher.allows(TestEvents.hash("other"), io.refundguard.images.PdqHash.fromHex(TestEvents.hash("x"))))
                .isFalse();
    }

    @Test
    void aBadAllowListLineIsTheUsersMistakeNamedByItsNumber() throws Exception {
        Path list = dir.resolve("bad.jsonl");
        Files.writeString(list, "{\"hash\": \"pdq:" + TestEvents.hash("a") + "\"}\n{\"hash\": \"md5:abc\"}\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("rules", "--version", "v", "--allow-list", list.toString()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 2").contains("pdq:").doesNotContain("\tat ");
    }

    @Test
    void printsOneControlRecordWithTheOverridesThatTheDetectorAccepts() {
        String record = rules("--version", "2026-12-01.1", "--effective-from", "2026-12-01T00:00:00+08:00",
                "--set", "rules.repeatRefunder.minRequests=3");
        assertThat(record.lines()).hasSize(1);

        DecodedRuleSetUpdate decoded = new ControlRecords(CONFIG.input(),
                new RuleSetLimits(CONFIG.rules(), CONFIG.state().personHistoryTtl()))
                .decode(new RawRecord("detector-control", 0, 0, 0, null, record.getBytes(StandardCharsets.UTF_8)));
        assertThat(decoded.rejected()).isNull();
        assertThat(decoded.update().version()).isEqualTo("2026-12-01.1");
        assertThat(decoded.update().rules().repeatRefunder().minRequests()).isEqualTo(3);
        assertThat(decoded.update().rules().amountTier()).isEqualTo(CONFIG.rules().amountTier());
        assertThat(decoded.update().effectiveFrom())
                .isEqualTo(java.time.OffsetDateTime.parse("2026-12-01T00:00:00+08:00").toInstant().toEpochMilli());
    }

    @Test
    void replayWithTheControlFileDecidesAsTheLiveJobWouldAndWithoutItAsConfigured() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(TestEvents.request(i % 2 == 0 ? "tb" : "jd", "R" + i).person("serial")
                    .after(Duration.ofDays(11 + i)).json());
        }
        Path eventsFile = Files.write(dir.resolve("events.jsonl"), events, StandardCharsets.UTF_8);
        Path control = Files.writeString(dir.resolve("rules.jsonl"), rules("--version", "three",
                "--effective-from", TestEvents.at(Duration.ofDays(10)), "--set", "rules.repeatRefunder.minRequests=3")
                + "\n{not a rule set}\n");

        ReplayCommand.replay(CONFIG, eventsFile, null, control, dir.resolve("with"), 2);
        ReplayCommand.replay(CONFIG, eventsFile, null, null, dir.resolve("without"), 2);

        List<JsonNode> with = lines(dir.resolve("with/alerts.jsonl"));
        assertThat(with).singleElement().satisfies(a -> {
            assertThat(a.get("pattern").asText()).isEqualTo("REPEAT_REFUNDER");
            assertThat(a.get("ruleSetVersion").asText()).isEqualTo("three");
        });
        assertThat(lines(dir.resolve("without/alerts.jsonl"))).as("four requests needed as configured").isEmpty();
        assertThat(lines(dir.resolve("with/dlq.jsonl"))).singleElement()
                .satisfies(d -> assertThat(d.get("reason").asText()).startsWith("not valid JSON"));
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                nodes.add(OutputJson.mapper().readTree(line));
            }
        }
        return nodes;
    }
}
