package io.refundguard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.job.Topics;
import io.refundguard.job.config.ConfigException;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A platform code names output topics and, with per-platform input topics, who may publish:
 * only the consortium's members count, and each only on its own topic.
 */
class PlatformMembershipTest {
    private static final RefundGuardConfig SHARED_TOPIC = ConfigLoader.load(List.of());
    private static final RefundGuardConfig PER_PLATFORM = ConfigLoader.load(List.of("input.perPlatformTopics=true"));
    private static final long NOW = System.currentTimeMillis();

    @Test
    void eventsOfPlatformsOutsideTheConsortiumAreDeadLettered() {
        EventDecoder decoder = new EventDecoder(SHARED_TOPIC.input());
        DecodedEvent stranger = decoder.decode(kafka("refund-events", TestEvents.request("xx", "R1").json()));
        DecodedEvent member = decoder.decode(kafka("refund-events", TestEvents.request("dy", "R1").json()));

        assertThat(stranger.isValid()).isFalse();
        assertThat(stranger.rejected().reason())
                .isEqualTo("platform: \"xx\" is not a member platform (input.platforms: tb, jd, pdd, dy)");
        assertThat(member.isValid()).isTrue();
    }

    @Test
    void listingPhotosOfPlatformsOutsideTheConsortiumAreDeadLettered() {
        ObjectNode listing = TestEvents.JSON.createObjectNode()
                .put("platform", "xx").put("merchantId", "M-1").put("productId", "P-1").put("imageId", "main-1")
                .put("pdq", TestEvents.hash("pdq")).put("pdqQuality", 100).put("occurredAt", TestEvents.at(java.time.Duration.ZERO));

        DecodedCatalogImage decoded = new EventDecoder(SHARED_TOPIC.input())
                .decodeCatalogImage(kafka("catalog-images", listing.toString()));

        assertThat(decoded.rejected().reason()).startsWith("platform: \"xx\" is not a member platform");
    }

    @Test
    void onPerPlatformTopicsAnEventMustNameItsTopicsPlatform() {
        EventDecoder decoder = new EventDecoder(PER_PLATFORM.input());
        String tbOutcome = TestEvents.outcome("tb", "T-1", "LEGITIMATE", java.time.Duration.ZERO);
        String tbErasure = TestEvents.erased("tb", TestEvents.hash("person:ann"), java.time.Duration.ZERO);

        DecodedEvent forged = decoder.decode(kafka("refund-events.jd", tbOutcome));
        DecodedEvent forgedErasure = decoder.decode(kafka("refund-events.pdd", tbErasure));
        DecodedEvent own = decoder.decode(kafka("refund-events.tb", tbOutcome));
        DecodedEvent fromFile = decoder.decode(new RawRecord("events.jsonl", -1, 1, -1, null, tbOutcome.getBytes(StandardCharsets.UTF_8)));

        assertThat(forged.rejected().reason()).isEqualTo("platform: \"tb\" arrived on topic refund-events.jd,"
                + " which carries another platform's events (input.perPlatformTopics)");
        assertThat(forgedErasure.isValid()).isFalse();
        assertThat(own.isValid()).isTrue();
        assertThat(fromFile.isValid()).as("a file has no topic to vouch for it; replay trusts its input").isTrue();
    }

    @Test
    void perPlatformTopicsAreReadAndCreatedWithBrokerTimestamps() {
        assertThat(Topics.refundEvents(SHARED_TOPIC)).containsExactly("refund-events");
        assertThat(Topics.refundEvents(PER_PLATFORM))
                .containsExactly("refund-events.tb", "refund-events.jd", "refund-events.pdd", "refund-events.dy");
        assertThat(Topics.all(PER_PLATFORM, List.of())).contains("refund-events.dy", "refund-verdicts.dy")
                .doesNotContain("refund-events");
        assertThat(Topics.configs(PER_PLATFORM)).hasSize(4)
                .allSatisfy((topic, config) -> assertThat(config).isEqualTo(Map.of("message.timestamp.type", "LogAppendTime")));
    }

    @Test
    void memberPlatformsAreCheckedAtStart() {
        assertThatThrownBy(() -> ConfigLoader.load(List.of("input.platforms=[tb, TB]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("input.platforms: expected short lower-case codes");
        assertThatThrownBy(() -> ConfigLoader.load(List.of("input.platforms=[]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("input.platforms: expected the member platforms' codes");
    }

    private static RawRecord kafka(String topic, String json) {
        return new RawRecord(topic, 0, 1, NOW, null, json.getBytes(StandardCharsets.UTF_8));
    }
}
