package io.refundguard.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The sample replay folder plus a second case on the README example's person: one request shared
 * with the first case, one more on jd and one more on tb, and a verdict of an earlier request that
 * triggered no case.
 */
final class TimelineFolder {
    static final String PERSON = "3fc21afb18b3c47f422a83bf71e5fe48978393fcfd4153b51a70eb8fad56b750";
    /** AMOUNT_TIER on the same person as {@link ReplayFolder#REPEAT}, the newest case. */
    static final String SECOND = "a-00000000000000000000000000000c3f";

    private TimelineFolder() {}

    static ReplayFolder folder() {
        ReplayFolder folder = ReplayFolder.sample();
        folder.alert(SECOND, "AMOUNT_TIER", "HIGH", "IDENTITY", PERSON,
                List.of(new ReplayFolder.Request("tb", "T-8835", "tb_u_7781", "699.00", "2026-11-20T10:15:30.123+08:00"),
                        new ReplayFolder.Request("jd", "J-5600", "jd_88120934", "1500.00", "2026-11-25T09:00:00.000+08:00"),
                        new ReplayFolder.Request("tb", "T-8900", "tb_u_7781", "520.00", "2026-11-28T18:30:00.000+08:00")),
                "LARGE", Map.of("requestCount", 3), "2026-11-22.1", 90);
        ObjectNode early = ReplayFolder.MAPPER.createObjectNode();
        early.put("platform", "tb").put("requestId", "T-8810").put("riskScore", 15).put("recommendedAction", "ALLOW");
        early.putArray("reasons");
        early.putArray("alertIds");
        // Verdicts come in request order: T-8810's was written long before any alert listed it.
        folder.lines().get("verdicts").add(0, early.toString());
        folder.lines().get("verdicts.tb").add(0, early.toString());
        ObjectNode unrelated = early.deepCopy().put("requestId", "T-0001");
        folder.lines().get("verdicts").add(0, unrelated.toString());
        return folder;
    }

    static Path write(Path dir) throws IOException {
        folder().write(dir);
        return dir;
    }
}
