package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaseBookTest {
    @TempDir
    Path dir;

    @Test
    void aLineThatIsNotAnAlertIsSkippedAndNamedAndTheRestIsServed() throws Exception {
        Path replay = ReplayFolder.writeSample(dir.resolve("replay"));
        Files.writeString(replay.resolve("alerts.jsonl"), "not json\n{\"alertId\":\"a-1\"}\n", StandardOpenOption.APPEND);
        CaseBook book = CaseBook.load(replay);
        Viewer admin = new Viewer("admin", Viewer.Role.OPERATOR, null);
        assertThat(book.cases(admin)).hasSize(3);
        assertThat(book.problems()).hasSize(2);
        assertThat(book.problems().get(0)).startsWith("alerts.jsonl line 4:");
        assertThat(book.problems().get(1)).startsWith("alerts.jsonl line 5:").contains("\"pattern\"");
        assertThat(book.platforms()).containsExactly("jd", "pdd", "tb");
    }

    @Test
    void anAnalystOfAPlatformWithoutAViewSeesNoCases() throws Exception {
        CaseBook book = CaseBook.load(ReplayFolder.writeSample(dir.resolve("replay")));
        Viewer dy = new Viewer("dy", Viewer.Role.ANALYST, "dy");
        assertThat(book.cases(dy)).isEmpty();
        assertThat(book.find(dy, ReplayFolder.REPEAT)).isEmpty();
    }
}
