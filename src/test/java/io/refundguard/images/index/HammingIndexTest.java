package io.refundguard.images.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The index must find exactly what a brute-force scan finds: nothing within the radius missed,
 * nothing beyond it reported, each handle once. Pairs are planted at every distance up to just past
 * the radius, with flips placed at random and spread as evenly as possible over the substrings,
 * which leaves the fewest substrings inside the pigeonhole bound.
 */
class HammingIndexTest {
    @ParameterizedTest(name = "{0} substrings, radius {1}, {2} hashes")
    @CsvSource({
        "16, 31, 20000",
        "11, 31, 20000",
        "13, 31, 5000",
        "16, 0, 5000",
        "16, 15, 5000",
        "11, 21, 5000",
        "16, 47, 3000",
        "21, 63, 1000",
        "8, 23, 2000"
    })
    void searchFindsExactlyWhatBruteForceFinds(int substrings, int radius, int count) throws Exception {
        Substrings layout = Substrings.evenly(substrings, radius);
        Random random = new Random(substrings * 100 + radius);
        List<long[]> hashes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            hashes.add(randomHash(random));
        }
        List<long[]> queries = new ArrayList<>();
        for (int distance = 0; distance <= radius + 4; distance++) {
            for (int copy = 0; copy < 3; copy++) {
                long[] original = hashes.get(random.nextInt(count));
                queries.add(flip(original, randomBits(distance, random)));
                queries.add(flip(original, evenlySpreadBits(layout, distance, random)));
            }
        }
        for (int i = 0; i < 50; i++) {
            queries.add(randomHash(random));
        }

        HammingIndex index = new HammingIndex(layout, 16);
        for (long[] hash : hashes) {
            index.add(hash[0], hash[1], hash[2], hash[3]);
        }
        for (int dead = 0; dead < count / 10; dead++) {
            index.kill(random.nextInt(count));
        }

        for (long[] query : queries) {
            Map<Integer, Integer> found = new TreeMap<>();
            index.search(query[0], query[1], query[2], query[3], (handle, distance) ->
                    assertThat(found.put(handle, distance)).as("handle %d visited twice", handle).isNull());
            Map<Integer, Integer> expected = new TreeMap<>();
            for (int h = 0; h < count; h++) {
                int distance = distance(hashes.get(h), query);
                if (distance <= radius && !index.isDead(h)) {
                    expected.put(h, distance);
                }
            }
            assertThat(found).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0} substrings")
    @CsvSource({"16", "11"})
    void equalHashesAreFoundByValue(int substrings) {
        HammingIndex index = new HammingIndex(Substrings.evenly(substrings, 31), 4);
        Random random = new Random(7);
        long[] hash = randomHash(random);
        int first = index.add(hash[0], hash[1], hash[2], hash[3]);
        long[] other = randomHash(random);
        index.add(other[0], other[1], other[2], other[3]);
        int second = index.add(hash[0], hash[1], hash[2], hash[3]);
        List<Integer> equal = new ArrayList<>();
        index.forEachEqual(hash[0], hash[1], hash[2], hash[3], equal::add);
        assertThat(equal).containsExactly(second, first);
        index.kill(second);
        equal.clear();
        index.forEachEqual(hash[0], hash[1], hash[2], hash[3], equal::add);
        assertThat(equal).containsExactly(first);
        assertThat(index.liveCount()).isEqualTo(2);
    }

    static long[] randomHash(Random random) {
        return new long[] {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
    }

    static int distance(long[] a, long[] b) {
        int d = 0;
        for (int i = 0; i < 4; i++) {
            d += Long.bitCount(a[i] ^ b[i]);
        }
        return d;
    }

    static long[] flip(long[] hash, int[] bits) {
        long[] copy = hash.clone();
        for (int bit : bits) {
            copy[3 - (bit >>> 6)] ^= 1L << (bit & 63);
        }
        return copy;
    }

    private static int[] randomBits(int count, Random random) {
        Map<Integer, Boolean> chosen = new HashMap<>();
        while (chosen.size() < count) {
            chosen.put(random.nextInt(256), true);
        }
        return chosen.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code count} bits spread round-robin over the substrings: the pigeonhole's worst case. */
    private static int[] evenlySpreadBits(Substrings layout, int count, Random random) {
        int[] perSubstring = new int[layout.count()];
        for (int i = 0; i < count; i++) {
            perSubstring[i % layout.count()]++;
        }
        List<Integer> bits = new ArrayList<>();
        for (int s = 0; s < layout.count(); s++) {
            List<Integer> positions = new ArrayList<>();
            for (int b = 0; b < layout.widths()[s]; b++) {
                positions.add(layout.starts()[s] + b);
            }
            java.util.Collections.shuffle(positions, random);
            bits.addAll(positions.subList(0, perSubstring[s]));
        }
        return bits.stream().mapToInt(Integer::intValue).toArray();
    }
}
