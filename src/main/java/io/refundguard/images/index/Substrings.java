package io.refundguard.images.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How multi-index hashing cuts a 256-bit hash into substrings, chosen for the number of hashes it
 * will hold (Norouzi, Punjani, Fleet: substring length near log2 N).
 *
 * <p>Pigeonhole: if two hashes differ in {@code d <= radius} bits, some substring differs in at
 * most {@code floor(radius / count)} of them, so probing every substring's value and its
 * neighbours within that many bits reaches every hash within the radius.
 *
 * <p>The cost of a lookup is the buckets it probes plus the candidates they hold. With 16
 * substrings of 16 bits a lookup at radius 31 probes 272 buckets, each holding N / 65,536 hashes
 * on average: cheap while N is small, linear in N beyond a million. With 11 substrings of 23-24
 * bits it probes ~3,000 buckets of N / 2^23 hashes: dearer at first, but at ten million hashes
 * it verifies 3,000 candidates instead of 41,000. {@link #forSize} weighs both terms.
 *
 * @param starts the lowest bit of each substring (bit 0 is the least significant of the hash)
 * @param widths the bits of each substring, at most 32
 * @param bitsPerSubstring how many bits a substring may differ in, {@code radius / count}
 */
record Substrings(int[] starts, int[] widths, int radius, int bitsPerSubstring) {
    /** Widths above this need a hashed bucket table instead of a direct array. */
    static final int MAX_DIRECT_WIDTH = 20;
    private static final int MAX_WIDTH = 32;
    private static final int MAX_BITS_PER_SUBSTRING = 3;

    Substrings {
        if (starts.length != widths.length || starts.length == 0) {
            throw new IllegalArgumentException("one start per substring width");
        }
    }

    /** The layout expected to answer lookups within {@code radius} fastest over {@code size} hashes. */
    static Substrings forSize(long size, int radius) {
        checkRadius(radius);
        Substrings best = null;
        double bestCost = Double.MAX_VALUE;
        for (int count = 256 / MAX_WIDTH; count <= 64; count++) {
            if (radius / count > MAX_BITS_PER_SUBSTRING) {
                continue;
            }
            Substrings candidate = evenly(count, radius);
            double cost = candidate.expectedCost(size);
            if (cost < bestCost) {
                best = candidate;
                bestCost = cost;
            }
        }
        return best;
    }

    /** {@code count} substrings of near-equal widths covering all 256 bits. */
    static Substrings evenly(int count, int radius) {
        checkRadius(radius);
        int[] starts = new int[count];
        int[] widths = new int[count];
        int start = 0;
        for (int i = 0; i < count; i++) {
            widths[i] = 256 / count + (i < 256 % count ? 1 : 0);
            starts[i] = start;
            start += widths[i];
        }
        return new Substrings(starts, widths, radius, radius / count);
    }

    static int checkRadius(int radius) {
        if (radius < 0 || radius > 63) {
            throw new IllegalArgumentException("radius " + radius + " is outside 0..63: the neighbour enumeration"
                    + " would explode; a wider radius needs a different index");
        }
        return radius;
    }

    int count() {
        return widths.length;
    }

    /**
     * A candidate costs this many bucket probes. A probe reads a small table or a bitmap that
     * stays in cache; a candidate follows a chain link and reads its hash, two misses in arrays
     * as large as the index. Measured with HammingIndexBenchmark (AMD EPYC, December 2026): about
     * 26 ns a probe and 165 ns a candidate, so the wide layout wins from ~120k hashes, not 740k.
     */
    static final double CANDIDATE_COST = 6;

    /** Expected time of a lookup in probe units, for uniformly random hashes. */
    double expectedCost(long size) {
        double cost = 0;
        for (int width : widths) {
            double probes = neighbourhood(width, bitsPerSubstring);
            cost += probes + CANDIDATE_COST * probes * size / Math.pow(2, width);
        }
        return cost;
    }

    /** The value of substring {@code i} of the hash {@code w0..w3} ({@code w0} the most significant). */
    int valueOf(long w0, long w1, long w2, long w3, int i) {
        int start = starts[i];
        int width = widths[i];
        int word = start >>> 6;
        int offset = start & 63;
        long bits = wordAt(w0, w1, w2, w3, word) >>> offset;
        if (offset + width > 64) {
            bits |= wordAt(w0, w1, w2, w3, word + 1) << (64 - offset);
        }
        return (int) (bits & ((1L << width) - 1));
    }

    /** Word {@code index} counted from the least significant: 0 is {@code w3}. */
    private static long wordAt(long w0, long w1, long w2, long w3, int index) {
        return switch (index) {
            case 0 -> w3;
            case 1 -> w2;
            case 2 -> w1;
            default -> w0;
        };
    }

    /** Every mask of 0..bitsPerSubstring bits within {@code width}, the empty mask first. */
    int[] flipMasks(int width) {
        List<Integer> masks = new ArrayList<>();
        masks.add(0);
        addMasks(masks, 0, width, bitsPerSubstring, 0);
        return masks.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void addMasks(List<Integer> masks, int mask, int width, int bitsLeft, int fromBit) {
        if (bitsLeft == 0) {
            return;
        }
        for (int bit = fromBit; bit < width; bit++) {
            int next = mask | (1 << bit);
            masks.add(next);
            addMasks(masks, next, width, bitsLeft - 1, bit + 1);
        }
    }

    static long neighbourhood(int width, int bits) {
        long total = 0;
        long choose = 1;
        for (int k = 0; k <= bits; k++) {
            total += choose;
            choose = choose * (width - k) / (k + 1);
        }
        return total;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Substrings s && Arrays.equals(starts, s.starts) && Arrays.equals(widths, s.widths)
                && radius == s.radius;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(widths) + radius;
    }

    @Override
    public String toString() {
        return count() + " substrings of " + widths[widths.length - 1] + "-" + widths[0] + " bits, "
                + bitsPerSubstring + " bit(s) each at radius " + radius;
    }
}
