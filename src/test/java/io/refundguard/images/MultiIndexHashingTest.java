package io.refundguard.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultiIndexHashingTest {
    private static final Random RANDOM = new Random(42);

    private static PdqHash randomHash() {
        return new PdqHash(RANDOM.nextLong(), RANDOM.nextLong(), RANDOM.nextLong(), RANDOM.nextLong());
    }

    @Test
    void ownKeysCarryTheSlotIndexAboveTheSlotValue() {
        PdqHash hash = randomHash();
        int[] own = MultiIndexHashing.ownKeys(hash);

        assertThat(own).hasSize(16);
        for (int slot = 0; slot < 16; slot++) {
            assertThat(MultiIndexHashing.slotIndexOf(own[slot])).isEqualTo(slot);
            assertThat(MultiIndexHashing.slotValueOf(own[slot])).isEqualTo(hash.word16(slot));
            assertThat(own[slot]).isEqualTo(slot << 16 | hash.word16(slot));
        }
    }

    @Test
    void equalSlotValuesInDifferentSlotsAreDifferentKeys() {
        PdqHash allZero = new PdqHash(0, 0, 0, 0);

        assertThat(Arrays.stream(MultiIndexHashing.ownKeys(allZero)).distinct().count()).isEqualTo(16);
    }

    @ParameterizedTest
    @CsvSource({"0, 16", "15, 16", "16, 272", "31, 272", "32, 2192", "47, 2192", "63, 11152"})
    void probeKeyCountFollowsTheBinomialNeighbourhood(int radius, int expected) {
        int[] probes = MultiIndexHashing.probeKeys(randomHash(), radius);

        assertThat(probes).hasSize(expected);
        assertThat(Arrays.stream(probes).distinct().count()).isEqualTo(expected);
    }

    @Test
    void neighboursAtRadius31AreExactlyTheOneBitVariantsOfEachSlot() {
        PdqHash hash = randomHash();
        Set<Integer> expected = new HashSet<>();
        for (int bit = 0; bit < 256; bit++) {
            PdqHash flipped = hash.flip(bit);
            expected.add((bit / 16) << 16 | flipped.word16(bit / 16));
        }

        Set<Integer> neighbours = Arrays.stream(MultiIndexHashing.neighbourKeys(hash, 31))
                .boxed().collect(Collectors.toSet());

        assertThat(neighbours).hasSize(256).isEqualTo(expected);
    }

    @Test
    void neighboursNeverIncludeTheOwnKeysAndStayInTheirSlot() {
        PdqHash hash = randomHash();
        int[] own = MultiIndexHashing.ownKeys(hash);

        for (int key : MultiIndexHashing.neighbourKeys(hash, 47)) {
            int slot = MultiIndexHashing.slotIndexOf(key);
            int differingBits = Integer.bitCount(MultiIndexHashing.slotValueOf(key) ^ hash.word16(slot));
            assertThat(key).isNotIn(Arrays.stream(own).boxed().toList());
            assertThat(differingBits).isBetween(1, 2);
        }
    }

    @Test
    void probeKeysStartWithTheOwnKeys() {
        PdqHash hash = randomHash();

        int[] probes = MultiIndexHashing.probeKeys(hash, 31);

        assertThat(Arrays.copyOf(probes, 16)).containsExactly(MultiIndexHashing.ownKeys(hash));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 64, 255, 256})
    void radiiWhoseNeighbourhoodExplodesAreRejected(int radius) {
        assertThatThrownBy(() -> MultiIndexHashing.probeKeys(randomHash(), radius))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("radius " + radius);
    }

    @Test
    void slotKeyRejectsValuesThatWouldSpillIntoTheSlotIndex() {
        assertThatThrownBy(() -> MultiIndexHashing.slotKey(3, 1 << 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultiIndexHashing.slotKey(16, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fanOutRoutesStoresToOwnKeysAndMatchesToNeighbours() {
        PdqHash hash = randomHash();
        IndexedImage image = IndexedImage.of(ImageOrigin.EVIDENCE, "shop:r1:i1", "person-1", "shop", hash, 90, 1_000L);

        List<ImageProbe> probes = ImageProbe.fanOut(image, "shop:r1", 31);

        assertThat(probes).hasSize(272);
        assertThat(probes).filteredOn(p -> p.action() == ProbeAction.STORE_AND_MATCH)
                .extracting(ImageProbe::slotKey)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(MultiIndexHashing.ownKeys(hash)).boxed().toList());
        assertThat(probes).filteredOn(p -> p.action() == ProbeAction.MATCH)
                .extracting(ImageProbe::slotKey)
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(MultiIndexHashing.neighbourKeys(hash, 31)).boxed().toList());
        assertThat(probes).extracting(ImageProbe::probeId).doesNotHaveDuplicates();
        assertThat(probes).allSatisfy(p -> {
            assertThat(p.requestKey()).isEqualTo("shop:r1");
            assertThat(p.image()).isSameAs(image);
        });
    }

    @Test
    void deleteFanOutTouchesOnlyTheOwnKeys() {
        PdqHash hash = randomHash();
        IndexedImage image = IndexedImage.of(ImageOrigin.CATALOG, "shop:m:p:i", "shop:m:p", "shop", hash, 90, 5L);

        List<ImageProbe> probes = ImageProbe.fanOutDelete(image);

        assertThat(probes).hasSize(16).allSatisfy(p -> {
            assertThat(p.action()).isEqualTo(ProbeAction.DELETE);
            assertThat(p.requestKey()).isNull();
        });
        assertThat(probes).extracting(ImageProbe::slotKey)
                .containsExactlyElementsOf(Arrays.stream(MultiIndexHashing.ownKeys(hash)).boxed().toList());
    }

    @Test
    void fanOutInsistsOnARequestKeyForEvidenceOnly() {
        PdqHash hash = randomHash();
        IndexedImage evidence = IndexedImage.of(ImageOrigin.EVIDENCE, "shop:r1:i1", "p", "shop", hash, 90, 1L);
        IndexedImage catalog = IndexedImage.of(ImageOrigin.CATALOG, "shop:m:p:i", "shop:m:p", "shop", hash, 90, 1L);

        assertThatThrownBy(() -> ImageProbe.fanOut(evidence, null, 31)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageProbe.fanOut(catalog, "shop:r1", 31)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ImageProbe.fanOut(catalog, null, 31)).allSatisfy(p -> assertThat(p.requestKey()).isNull());
    }
}
