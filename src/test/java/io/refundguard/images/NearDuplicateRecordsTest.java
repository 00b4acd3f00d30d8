package io.refundguard.images;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** The index's records travel between operators and sit in state: Kryo would be slow and fragile. */
class NearDuplicateRecordsTest {

    @Test
    void recordsAreSerialisedAsPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(IndexedImage.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ImageProbe.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ImageMatch.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ProbeResult.class);
    }

    @Test
    void hashSurvivesTheFlatLongFields() {
        PdqHash hash = PdqHash.fromHex("f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22");

        IndexedImage image = IndexedImage.of(ImageOrigin.EVIDENCE, "k", "o", "p", hash, 80, 1L);

        assertThat(image.hash()).isEqualTo(hash);
        assertThat(image.distanceTo(IndexedImage.of(ImageOrigin.EVIDENCE, "k2", "o", "p", hash.flip(7).flip(200), 80, 1L)))
                .isEqualTo(2);
    }
}
