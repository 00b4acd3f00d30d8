package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayStateEstimateTest {
    @TempDir
    Path dir;

    @Test
    void countsRequestsAndTheirPhotosWithoutParsing() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, String.join("\n",
                "{\"type\":\"REFUND_REQUESTED\",\"evidence\":[{\"imageId\":\"a\"},{\"imageId\":\"b\"}]}",
                "{\"type\": \"REFUND_REQUESTED\", \"evidence\": []}",
                // a decision names the request type in its reason text only inside a longer string
                "{\"type\":\"REFUND_DECIDED\",\"note\":\"after REFUND_REQUESTED\"}",
                // quotes right before the key: the search restarts on the quote and still matches
                "{\"type\":\"REFUND_REQUESTED\",\"x\":\"\"\"imageId\":\"c\"}"), StandardCharsets.UTF_8);
        Path catalog = dir.resolve("catalog.jsonl");
        Files.writeString(catalog, "{\"imageId\":\"l1\"}\n{\"imageId\":\"l2\"}\n", StandardCharsets.UTF_8);

        ReplayStateEstimate estimate = ReplayStateEstimate.scan(events, catalog);

        assertThat(estimate.requests()).isEqualTo(3);
        assertThat(estimate.evidencePhotos()).isEqualTo(3);
        assertThat(estimate.listingPhotos()).isEqualTo(2);
        assertThat(estimate.listingBytes()).isEqualTo(Files.size(catalog));
        assertThat(estimate.heapBytes()).isEqualTo(3 * ReplayStateEstimate.BYTES_PER_REQUEST
                + 3 * ReplayStateEstimate.BYTES_PER_EVIDENCE_PHOTO + 2 * ReplayStateEstimate.BYTES_PER_LISTING_PHOTO
                + Files.size(catalog));
    }

    @Test
    void aMatchAcrossTheReadBuffersBoundaryIsCounted() throws Exception {
        Path events = dir.resolve("events.jsonl");
        String padding = "x".repeat((1 << 16) - 5);
        Files.writeString(events, padding + "\"REFUND_REQUESTED\"", StandardCharsets.UTF_8);

        assertThat(ReplayStateEstimate.scan(events, null).requests()).isEqualTo(1);
    }
}
