package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quality report and {@code refundguard evaluate}: decisions first, then labels. */
class QualityTest {
    @TempDir
    Path dir;

    @Test
    void evaluatePrintsPrecisionPerPatternAndRuleSetVersionAndAlertsPerDay() throws Exception {
        Path replay = ReplayFolder.writeSample(dir.resolve("replay"));
        // The repeat refunder is planted fraud (by subject), the AI case by request; nothing labels
        // the reuse case, so a complete ground truth calls it a false alarm.
        Path labels = Files.write(dir.resolve("labels.jsonl"), List.of(
                "{\"truth\":\"FRAUD\",\"pattern\":\"REPEAT_REFUNDER\",\"subject\":{\"kind\":\"IDENTITY\",\"key\":"
                        + "\"3fc21afb18b3c47f422a83bf71e5fe48978393fcfd4153b51a70eb8fad56b750\"},\"requests\":[],\"what\":\"x\"}",
                "{\"truth\":\"FRAUD\",\"pattern\":\"AI_GENERATED_EVIDENCE\",\"subject\":{\"kind\":\"REQUEST\"},"
                        + "\"requests\":[\"jd:J-7001\"],\"what\":\"x\"}",
                "{\"truth\":\"HONEST\",\"pattern\":\"IMAGE_REUSE\",\"subject\":{\"kind\":\"IDENTITY\",\"key\":\"x\"},\"requests\":[]}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(withCommand("evaluate", "--from", replay.toString(), "--labels", labels.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(report).containsPattern("AI_GENERATED_EVIDENCE\\s+2026-11-22\\.1\\s+1\\s+1\\s+0\\s+0\\s+1\\.000")
                .containsPattern("IMAGE_REUSE\\s+2026-11-01\\.1\\s+1\\s+0\\s+1\\s+0\\s+0\\.000")
                .containsPattern("REPEAT_REFUNDER\\s+2026-11-22\\.1\\s+1\\s+1\\s+0\\s+0\\s+1\\.000")
                .containsPattern("all\\s+3\\s+2\\s+1\\s+0\\s+0\\.667")
                .contains("3 days with alerts")
                .containsPattern("2026-11-20\\s+1");
    }

    @Test
    void aReviewersDecisionOverridesTheLabelsAndUndecidedCasesWithoutLabelsStayOpen() throws Exception {
        Path replay = ReplayFolder.writeSample(dir.resolve("replay"));
        CaseBook book = CaseBook.load(replay);
        Viewer admin = new Viewer("admin", Viewer.Role.OPERATOR, null);
        Path outcomes = dir.resolve("outcomes.jsonl");
        DecisionLog log = DecisionLog.open(outcomes, DecisionLog.journalOf(outcomes), ConsoleApiTest.CLOCK);
        CaseRow repeat = book.find(admin, ReplayFolder.REPEAT).orElseThrow();
        log.decide(admin, repeat.alertId(), CaseJson.parse(repeat.line()), Disposition.LEGITIMATE, "");

        Quality.Report report = new Quality(null).report(book.cases(admin), log.latestByAlert());
        assertThat(report.total().cases()).isEqualTo(3);
        assertThat(report.total().cleared()).isEqualTo(1);
        assertThat(report.total().open()).isEqualTo(2);
        assertThat(report.total().precisionText()).isEqualTo("0.000");
        assertThat(report.lines()).filteredOn(l -> l.pattern().equals("AI_GENERATED_EVIDENCE"))
                .singleElement().satisfies(l -> assertThat(l.precision()).isEmpty());
    }

    @Test
    void evaluateRefusesAFolderThatIsNotAReplayOutputInOneLine() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(withCommand("evaluate", "--from", dir.toString()), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no alerts.jsonl").doesNotContain("Exception");
    }

    private static List<String> withCommand(String command, String... args) {
        List<String> all = new java.util.ArrayList<>();
        all.add(command);
        all.addAll(List.of(args));
        return all;
    }
}
