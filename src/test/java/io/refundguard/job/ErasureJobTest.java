package io.refundguard.job;

import static io.refundguard.events.TestEvents.hash;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.TestEvents;
import io.refundguard.images.PdqHash;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.local.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PIPL erasure, end to end on a real broker and RocksDB: Erin shares a device ring and a photo with
 * others; after her IDENTITY_ERASED, nothing about her may remain in any operator's state, and the
 * alerts that later members of her ring and her photo's cluster raise must not list her.
 *
 * <p>"Nothing remains" is checked on the bytes of canonical savepoints, which hold every operator's
 * keyed state, timers and buffers, with strings serialised as plain bytes: one taken before the
 * erasure must contain her identifiers (so the check can fail), one after it must not. Event ids are
 * opaque, as the contract has them: the dedupe state keeps event ids (only) for
 * {@code state.dedupeTtl}.
 */
class ErasureJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String ERIN = hash("person:erin");
    private static final String ERIN_ACCOUNT = "acct-erin-7";
    private static final String ERIN_PAYMENT = hash("payment:pay-erin");
    private static final String ERIN_FILE = hash("file:erin-photo");
    private static final PdqHash PHOTO = randomHash(7);

    @TempDir
    Path dir;

    private int eventSeq;

    @Test
    void afterAnErasureNoStateMentionsThePersonAndLaterAlertsDoNotListThem() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            RefundGuardConfig config = ConfigLoader.load(List.of(
                    "kafka.bootstrapServers=" + broker.bootstrapServers(),
                    "flink.checkpointInterval=1s",
                    "flink.stateBackend=rocksdb",
                    "eventTime.wallClockFallback=0s",
                    KafkaTestIo.CATALOG_IDLE_AFTER,
                    // Five persons make the ring CRITICAL: with Erin still counted, four would do.
                    "rules.sharedAttributeRing.criticalPersons=5"));
            broker.createTopics(Topics.all(config, List.of("tb", "jd", "pdd")), 2);

            // Before: p1-p3 and Erin share device "ring" (HIGH ring); p2 and Erin share a photo (HIGH cluster).
            List<String> before = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                TestEvents.Request r = request("tb", "R-p" + i, "p" + i, Duration.ofHours(i));
                if (i == 2) {
                    r.image("p2-photo", PHOTO.toHex(), 90);
                }
                before.add(r.json());
            }
            TestEvents.Request erin1 = request("tb", "ER-1", "erin", Duration.ofHours(7)).account(ERIN_ACCOUNT)
                    .payment("pay-erin").image("erin-photo", PHOTO.flip(3).toHex(), 90);
            ((ObjectNode) erin1.node().get("evidence").get(0)).put("sha256", ERIN_FILE);
            before.add(erin1.json());
            before.add(request("jd", "ER-2", "erin", Duration.ofHours(8)).account(ERIN_ACCOUNT).payment("pay-erin").json());
            KafkaTestIo.publish(broker, config.topics().refundEvents(), before);
            publishToEveryPartition(broker, config, Duration.ofDays(1));

            JobClient first = KafkaTestIo.startJob(config, dir.resolve("checkpoints"), null);
            assertThat(KafkaTestIo.read(broker, config.topics().verdicts(), 5, "before", r -> true))
                    .as("every request before the erasure has its verdict").hasSize(5);
            Path savepointBefore = stop(first, "before");
            assertThat(findIn(savepointBefore, ERIN, ERIN_ACCOUNT, ERIN_PAYMENT, ERIN_FILE, "ER-1", "ER-2", "erin-photo"))
                    .as("the check can fail: before the erasure her state is there")
                    .contains(ERIN, ERIN_ACCOUNT, ERIN_PAYMENT, ERIN_FILE, "ER-1", "ER-2", "erin-photo");

            // After: Erin is erased; p8 and p9 join the ring and send copies of the photo.
            JobClient second = KafkaTestIo.startJob(config, dir.resolve("checkpoints"), savepointBefore.toUri().toString());
            KafkaTestIo.publish(broker, config.topics().refundEvents(), List.of(
                    TestEvents.erased("tb", ERIN, Duration.ofDays(2)),
                    request("tb", "R-p8", "p8", Duration.ofDays(3)).image("p8-photo", PHOTO.flip(5).toHex(), 90).json(),
                    request("jd", "R-p9", "p9", Duration.ofDays(3).plusHours(1)).image("p9-photo", PHOTO.flip(9).toHex(), 90).json()));
            publishToEveryPartition(broker, config, Duration.ofDays(10));
            List<JsonNode> laterVerdicts = KafkaTestIo.read(broker, config.topics().verdicts(), 2, "after-verdicts",
                    v -> v.get("requestId").asText().matches("R-p[89]"));
            assertThat(laterVerdicts).hasSize(2);
            // Both of R-p9's alerts, committed, while the job still runs (it commits on checkpoints).
            KafkaTestIo.read(broker, config.topics().alerts(), 2, "after-alerts",
                    a -> a.get("trigger").get("requestId").asText().equals("R-p9"));
            Path savepointAfter = stop(second, "after");

            assertThat(findIn(savepointAfter, ERIN, ERIN_ACCOUNT, ERIN_PAYMENT, ERIN_FILE, "ER-1", "ER-2", "erin-photo"))
                    .as("nothing about Erin is left in any operator").isEmpty();
            assertThat(findIn(savepointAfter, hash("person:p2"), "p2-photo"))
                    .as("the others' state is still there to be found").hasSize(2);

            List<JsonNode> alerts = KafkaTestIo.readAll(broker, config.topics().alerts(), "alerts");
            List<JsonNode> afterErasure = alerts.stream()
                    .filter(a -> a.get("trigger").get("requestId").asText().matches("R-p[89]")).toList();
            assertThat(afterErasure).extracting(a -> a.get("pattern").asText())
                    .as("the ring reaches CRITICAL and the photo's cluster three persons without her")
                    .contains("SHARED_ATTRIBUTE_RING", "IMAGE_REUSE");
            for (JsonNode alert : afterErasure) {
                assertThat(alert.toString()).as(alert.get("pattern").asText())
                        .doesNotContain(ERIN, ERIN_ACCOUNT, "ER-1", "ER-2", "erin-photo");
            }
            JsonNode ring = afterErasure.stream()
                    .filter(a -> a.get("pattern").asText().equals("SHARED_ATTRIBUTE_RING")).findFirst().orElseThrow();
            assertThat(ring.get("severity").asText()).isEqualTo("CRITICAL");
            assertThat(ring.get("requests")).extracting(r -> r.get("requestId").asText())
                    .containsExactlyInAnyOrder("R-p1", "R-p2", "R-p3", "R-p8", "R-p9");
            JsonNode cluster = afterErasure.stream()
                    .filter(a -> a.get("pattern").asText().equals("IMAGE_REUSE")
                            && a.get("subject").get("kind").asText().equals("IMAGE"))
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(cluster.get("requests")).extracting(r -> r.get("requestId").asText())
                    .containsExactlyInAnyOrder("R-p2", "R-p8", "R-p9");
            assertThat(alerts).as("before the erasure her ring and cluster alerts did list her")
                    .anyMatch(a -> a.get("trigger").get("requestId").asText().equals("ER-1")
                            && a.toString().contains(ERIN_ACCOUNT));
        }
    }

    private TestEvents.Request request(String platform, String requestId, String person, Duration after) {
        return TestEvents.request(platform, requestId).eventId("e-" + (++eventSeq)).person(person)
                .account("acct-" + person).device("ring").payment("pay-" + person).after(after);
    }


    private Path stop(JobClient job, String name) throws Exception {
        String path = job.stopWithSavepoint(false, dir.resolve("savepoint-" + name).toUri().toString(),
                SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);
        return Path.of(java.net.URI.create(path.startsWith("file:") ? path : "file:" + path));
    }

    /** Which of {@code needles} occur anywhere in the savepoint's files. */
    private static List<String> findIn(Path savepoint, String... needles) throws IOException {
        List<byte[]> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(savepoint)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                files.add(Files.readAllBytes(file));
            }
        }
        assertThat(files).as("savepoint files").isNotEmpty();
        List<String> found = new ArrayList<>();
        for (String needle : needles) {
            byte[] pattern = needle.getBytes(StandardCharsets.US_ASCII);
            if (files.stream().anyMatch(bytes -> indexOf(bytes, pattern) >= 0)) {
                found.add(needle);
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** An unrelated request on every partition, so every partition's watermark moves past the events before it. */
    private void publishToEveryPartition(KafkaBroker broker, RefundGuardConfig config, Duration after) {
        List<String> tails = new ArrayList<>();
        for (int partition = 0; partition < 2; partition++) {
            tails.add(TestEvents.request("pdd", "T-" + after.toHours() + "-" + partition).eventId("e-" + (++eventSeq))
                    .person("tail-" + partition).returnAndRefund().after(after).json());
        }
        KafkaTestIo.publishToPartitions(broker, config.topics().refundEvents(), tails);
    }

    private static PdqHash randomHash(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new PdqHash(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }
}
