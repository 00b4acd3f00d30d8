package io.refundguard.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The index must return exactly what a brute-force scan returns: no pair within the radius
 * missed, none beyond it reported. The keyed index is simulated in memory (a map from slot key to
 * filed images) fed by the same fan-out the operator's input uses, so a wrong key, a missing
 * neighbour or a too-small neighbourhood shows up here as a missed pair.
 */
class MultiIndexExactnessTest {

    /** A hash with a stable id, since planted pairs at distance 0 are equal hashes. */
    private record Numbered(int id, PdqHash hash) {}

    /** Two images by id, smaller first. */
    private record Pair(int first, int second) {
        static Pair of(int a, int b) {
            return new Pair(Math.min(a, b), Math.max(a, b));
        }
    }

    @ParameterizedTest(name = "radius {0}, {1} random hashes, seed {2}")
    @CsvSource({
        "31, 30000, 1",
        "31, 10000, 2",
        "0, 10000, 3",
        "15, 10000, 4",
        "16, 10000, 5",
        "47, 5000, 6",
        "63, 2000, 7"
    })
    void indexFindsExactlyTheBruteForcePairs(int radius, int randomCount, long seed) {
        Random random = new Random(seed);
        List<Numbered> stream = new ArrayList<>();
        for (int i = 0; i < randomCount; i++) {
            stream.add(new Numbered(stream.size(), randomHash(random)));
        }
        Map<Pair, Integer> plantedDistances = plantPairs(stream, radius, random);
        // Planted copies must not always arrive right after their original.
        Collections.shuffle(stream, random);

        Set<Pair> byIndex = searchThroughIndex(stream, radius);
        Set<Pair> byBruteForce = bruteForce(stream, radius);

        assertThat(byIndex).isEqualTo(byBruteForce);
        plantedDistances.forEach((pair, distance) -> {
            if (distance <= radius) {
                assertThat(byIndex).as("planted pair at distance %d", distance).contains(pair);
            } else {
                assertThat(byIndex).as("planted pair at distance %d", distance).doesNotContain(pair);
            }
        });
        assertThat(plantedDistances.values()).contains(radius, radius + 1);
    }

    /**
     * For every distance 0..radius+5: pairs with randomly placed flips, and pairs whose flips are
     * spread as evenly as possible over the slots, which leaves the fewest slots within the
     * pigeonhole bound (at 31: fifteen slots differ in 2 bits and only one in 1).
     */
    private static Map<Pair, Integer> plantPairs(List<Numbered> stream, int radius, Random random) {
        Map<Pair, Integer> distances = new HashMap<>();
        for (int distance = 0; distance <= radius + 5; distance++) {
            for (int copy = 0; copy < 4; copy++) {
                distances.put(plant(stream, randomFlips(distance, random), random), distance);
                distances.put(plant(stream, evenlySpreadFlips(distance, random), random), distance);
            }
        }
        return distances;
    }

    private static Pair plant(List<Numbered> stream, List<Integer> flips, Random random) {
        PdqHash original = randomHash(random);
        PdqHash copy = original;
        for (int bit : flips) {
            copy = copy.flip(bit);
        }
        Numbered first = new Numbered(stream.size(), original);
        Numbered second = new Numbered(stream.size() + 1, copy);
        stream.add(first);
        stream.add(second);
        return Pair.of(first.id(), second.id());
    }

    private static List<Integer> randomFlips(int distance, Random random) {
        List<Integer> bits = new ArrayList<>();
        for (int bit = 0; bit < PdqHash.BITS; bit++) {
            bits.add(bit);
        }
        Collections.shuffle(bits, random);
        return bits.subList(0, distance);
    }

    private static List<Integer> evenlySpreadFlips(int distance, Random random) {
        List<Integer> slots = new ArrayList<>();
        for (int slot = 0; slot < MultiIndexHashing.SLOTS; slot++) {
            slots.add(slot);
        }
        Collections.shuffle(slots, random);
        List<Integer> flips = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            int bitsInSlot = distance / 16 + (i < distance % 16 ? 1 : 0);
            List<Integer> offsets = new ArrayList<>();
            for (int offset = 0; offset < 16; offset++) {
                offsets.add(offset);
            }
            Collections.shuffle(offsets, random);
            for (int offset : offsets.subList(0, bitsInSlot)) {
                flips.add(slots.get(i) * 16 + offset);
            }
        }
        return flips;
    }

    /** The operator's semantics without Flink: probe then file, one image after another. */
    private static Set<Pair> searchThroughIndex(List<Numbered> stream, int radius) {
        Map<Integer, List<Numbered>> filedBySlotKey = new HashMap<>();
        Set<Pair> found = new HashSet<>();
        for (Numbered next : stream) {
            IndexedImage image = IndexedImage.of(
                    ImageOrigin.EVIDENCE, "t:r" + next.id() + ":img", "person", "t", next.hash(), 100, next.id());
            for (ImageProbe probe : ImageProbe.fanOut(image, "t:r" + next.id(), radius)) {
                for (Numbered candidate : filedBySlotKey.getOrDefault(probe.slotKey(), List.of())) {
                    if (candidate.hash().distance(next.hash()) <= radius) {
                        found.add(Pair.of(candidate.id(), next.id()));
                    }
                }
                if (probe.action() == ProbeAction.STORE_AND_MATCH) {
                    filedBySlotKey.computeIfAbsent(probe.slotKey(), key -> new ArrayList<>()).add(next);
                }
            }
        }
        return found;
    }

    private static Set<Pair> bruteForce(List<Numbered> stream, int radius) {
        Set<Pair> found = new HashSet<>();
        for (int i = 0; i < stream.size(); i++) {
            for (int j = i + 1; j < stream.size(); j++) {
                if (stream.get(i).hash().distance(stream.get(j).hash()) <= radius) {
                    found.add(Pair.of(stream.get(i).id(), stream.get(j).id()));
                }
            }
        }
        return found;
    }

    private static PdqHash randomHash(Random random) {
        return new PdqHash(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }
}
