package io.refundguard.images.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refundguard.images.PdqHash;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubstringsTest {
    @Test
    void sixteenSubstringsWhileSmallElevenOnceTheBucketsWouldOverflow() {
        assertThat(Substrings.forSize(100_000, 31).count()).isEqualTo(16);
        assertThat(Substrings.forSize(100_000, 31).bitsPerSubstring()).isEqualTo(1);
        assertThat(Substrings.forSize(10_000_000, 31).count()).isEqualTo(11);
        assertThat(Substrings.forSize(10_000_000, 31).bitsPerSubstring()).isEqualTo(2);
    }

    @Test
    void expectedCostGrowsFarSlowerThanTheNumberOfHashes() {
        double at100k = Substrings.forSize(100_000, 31).expectedCost(100_000);
        double at1m = Substrings.forSize(1_000_000, 31).expectedCost(1_000_000);
        double at10m = Substrings.forSize(10_000_000, 31).expectedCost(10_000_000);
        // Ten times the hashes, well under ten times the cost, twice over.
        assertThat(at1m / at100k).isLessThan(3.0);
        assertThat(at10m / at1m).isLessThan(5.0);
        assertThat(at10m / at100k).isLessThan(10.0);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 11, 13, 16, 21, 32})
    void substringsCoverEveryBitOnce(int count) {
        Substrings layout = Substrings.evenly(count, 31);
        int[] covered = new int[256];
        for (int i = 0; i < count; i++) {
            for (int bit = layout.starts()[i]; bit < layout.starts()[i] + layout.widths()[i]; bit++) {
                covered[bit]++;
            }
        }
        assertThat(covered).containsOnly(1);
        assertThat(Arrays.stream(layout.widths()).max().getAsInt() - Arrays.stream(layout.widths()).min().getAsInt())
                .isLessThanOrEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {11, 13, 16})
    void aSubstringValueIsTheHashsBitsAtItsPosition(int count) {
        Substrings layout = Substrings.evenly(count, 31);
        Random random = new Random(count);
        for (int round = 0; round < 200; round++) {
            PdqHash hash = new PdqHash(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
            for (int i = 0; i < count; i++) {
                int expected = 0;
                for (int b = 0; b < layout.widths()[i]; b++) {
                    if (hash.bit(layout.starts()[i] + b)) {
                        expected |= 1 << b;
                    }
                }
                assertThat(layout.valueOf(hash.w0(), hash.w1(), hash.w2(), hash.w3(), i)).isEqualTo(expected);
            }
        }
    }

    @Test
    void sixteenBitSubstringsAreThePdqWords() {
        Substrings layout = Substrings.evenly(16, 31);
        PdqHash hash = PdqHash.fromHex("c5bdf906aeb0affdffc4bdc9a591d7f9778c07c600d4735a535ed90fc84dfb09");
        for (int i = 0; i < 16; i++) {
            assertThat(layout.valueOf(hash.w0(), hash.w1(), hash.w2(), hash.w3(), i)).isEqualTo(hash.word16(i));
        }
    }

    @Test
    void flipMasksAreTheWholeNeighbourhoodWithoutRepeats() {
        Substrings layout = Substrings.evenly(11, 31);
        int[] masks = layout.flipMasks(24);
        assertThat(masks).hasSize((int) Substrings.neighbourhood(24, 2)).hasSize(1 + 24 + 276).doesNotHaveDuplicates();
        assertThat(masks[0]).isZero();
        assertThat(Arrays.stream(masks).map(Integer::bitCount).max().getAsInt()).isEqualTo(2);
    }

    @Test
    void radiiThatWouldExplodeTheNeighbourhoodAreRefused() {
        assertThatThrownBy(() -> Substrings.forSize(1000, 64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..63");
        assertThat(Substrings.forSize(1000, 63).bitsPerSubstring()).isLessThanOrEqualTo(3);
    }
}
