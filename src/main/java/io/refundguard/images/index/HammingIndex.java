package io.refundguard.images.index;

import java.util.Arrays;

/**
 * An in-memory multi-index over 256-bit hashes: every hash added gets a handle (0, 1, 2, ...),
 * and {@link #search} visits each live handle within a Hamming radius of a query exactly once.
 *
 * <p>Each substring has a bucket table (substring value to the newest handle with that value) and
 * a chain through {@code next}, so adding is O(substrings) and nothing moves. The hashes of all
 * handles sit in one array, four longs each, so verifying a candidate touches one cache line.
 * Removal only marks a handle dead; the owner rebuilds when dead handles pile up.
 *
 * <p>Not thread-safe: one operator subtask owns it.
 */
final class HammingIndex {
    private final Substrings layout;
    private final BucketTable[] buckets;
    private final int[][] flipMasks;
    private int[][] next;
    private long[] hashes;
    private boolean[] dead;
    private int[] seenAt;
    private int searchStamp;
    /** The neighbours of one substring value that may be occupied, during a search. */
    private final int[] probes;
    private int size;
    private int deadCount;

    HammingIndex(Substrings layout, int initialCapacity) {
        this.layout = layout;
        int capacity = Math.max(16, initialCapacity);
        this.buckets = new BucketTable[layout.count()];
        this.flipMasks = new int[layout.count()][];
        this.next = new int[layout.count()][];
        for (int i = 0; i < layout.count(); i++) {
            buckets[i] = BucketTable.forWidth(layout.widths()[i], capacity);
            flipMasks[i] = layout.flipMasks(layout.widths()[i]);
            next[i] = new int[capacity];
        }
        this.hashes = new long[4 * capacity];
        this.dead = new boolean[capacity];
        this.seenAt = new int[capacity];
        int mostNeighbours = 0;
        for (int[] masks : flipMasks) {
            mostNeighbours = Math.max(mostNeighbours, masks.length);
        }
        this.probes = new int[mostNeighbours];
    }

    Substrings layout() {
        return layout;
    }

    /** Handles handed out so far, dead ones included. */
    int size() {
        return size;
    }

    int deadCount() {
        return deadCount;
    }

    int liveCount() {
        return size - deadCount;
    }

    /** Files a hash; returns its handle, the next integer. */
    int add(long w0, long w1, long w2, long w3) {
        if (size == dead.length) {
            grow();
        }
        int handle = size++;
        hashes[4 * handle] = w0;
        hashes[4 * handle + 1] = w1;
        hashes[4 * handle + 2] = w2;
        hashes[4 * handle + 3] = w3;
        for (int i = 0; i < buckets.length; i++) {
            int value = layout.valueOf(w0, w1, w2, w3, i);
            next[i][handle] = buckets[i].head(value);
            buckets[i].setHead(value, handle);
        }
        return handle;
    }

    void kill(int handle) {
        if (!dead[handle]) {
            dead[handle] = true;
            deadCount++;
        }
    }

    boolean isDead(int handle) {
        return dead[handle];
    }

    long word(int handle, int index) {
        return hashes[4 * handle + index];
    }

    /** Receives each live handle within the radius, with its distance. */
    @FunctionalInterface
    interface Visitor {
        void visit(int handle, int distance) throws Exception;
    }

    /** Visits every live handle within {@code layout().radius()} of the query, each once. */
    void search(long w0, long w1, long w2, long w3, Visitor visitor) throws Exception {
        int stamp = nextStamp();
        int radius = layout.radius();
        for (int i = 0; i < buckets.length; i++) {
            int value = layout.valueOf(w0, w1, w2, w3, i);
            int[] chain = next[i];
            BucketTable table = buckets[i];
            int occupied = table.occupiedAmong(value, flipMasks[i], probes);
            for (int p = 0; p < occupied; p++) {
                for (int h = table.headOfOccupied(probes[p]); h >= 0; h = chain[h]) {
                    // Distance first: most candidates are far, and this way they cost one cache
                    // line (their hash) instead of three (hash, seen mark, dead flag).
                    int at = 4 * h;
                    int distance = Long.bitCount(hashes[at] ^ w0) + Long.bitCount(hashes[at + 1] ^ w1)
                            + Long.bitCount(hashes[at + 2] ^ w2) + Long.bitCount(hashes[at + 3] ^ w3);
                    if (distance <= radius && seenAt[h] != stamp) {
                        seenAt[h] = stamp;
                        if (!dead[h]) {
                            visitor.visit(h, distance);
                        }
                    }
                }
            }
        }
    }

    /** Handles filed with exactly this hash, newest first (dead ones skipped). */
    void forEachEqual(long w0, long w1, long w2, long w3, java.util.function.IntConsumer action) {
        int value = layout.valueOf(w0, w1, w2, w3, 0);
        for (int h = buckets[0].head(value); h >= 0; h = next[0][h]) {
            int at = 4 * h;
            if (!dead[h] && hashes[at] == w0 && hashes[at + 1] == w1 && hashes[at + 2] == w2 && hashes[at + 3] == w3) {
                action.accept(h);
            }
        }
    }

    /** Bytes of heap this index holds, for the metrics and the benchmark. */
    long heapBytes() {
        long bytes = 8L * hashes.length + dead.length + 4L * seenAt.length;
        for (int i = 0; i < buckets.length; i++) {
            bytes += 4L * next[i].length + buckets[i].heapBytes();
        }
        return bytes;
    }

    private int nextStamp() {
        if (++searchStamp == Integer.MAX_VALUE) {
            Arrays.fill(seenAt, 0);
            searchStamp = 1;
        }
        return searchStamp;
    }

    private void grow() {
        int capacity = dead.length * 2;
        hashes = Arrays.copyOf(hashes, 4 * capacity);
        dead = Arrays.copyOf(dead, capacity);
        seenAt = Arrays.copyOf(seenAt, capacity);
        for (int i = 0; i < next.length; i++) {
            next[i] = Arrays.copyOf(next[i], capacity);
        }
    }

    /** Substring value to the newest handle filed under it, -1 for none. */
    private abstract static class BucketTable {
        abstract int head(int value);

        /**
         * Writes to {@code out} the values {@code value ^ mask} that have a head, and returns how
         * many. Nearly all neighbours are empty, and each test is a cache miss in the job, where
         * other operators evict these tables between lookups: so the tests are one loop without
         * branches, whose loads the processor keeps in flight together instead of one by one.
         */
        abstract int occupiedAmong(int value, int[] masks, int[] out);

        /** The head of a value {@link #occupiedAmong} returned. */
        int headOfOccupied(int value) {
            return head(value);
        }

        abstract void setHead(int value, int handle);

        abstract long heapBytes();

        static BucketTable forWidth(int width, int expectedEntries) {
            return width <= Substrings.MAX_DIRECT_WIDTH ? new Direct(width) : new Hashed(width, expectedEntries);
        }
    }

    /** An array indexed by the value itself: at most 2^20 ints (4 MB) per substring. */
    private static final class Direct extends BucketTable {
        private final int[] heads;

        Direct(int width) {
            heads = new int[1 << width];
            Arrays.fill(heads, -1);
        }

        @Override
        int head(int value) {
            return heads[value];
        }

        @Override
        int occupiedAmong(int value, int[] masks, int[] out) {
            int n = 0;
            for (int mask : masks) {
                int candidate = value ^ mask;
                out[n] = candidate;
                n += ~heads[candidate] >>> 31;
            }
            return n;
        }

        @Override
        void setHead(int value, int handle) {
            heads[value] = handle;
        }

        @Override
        long heapBytes() {
            return 4L * heads.length;
        }
    }

    /**
     * Open addressing with linear probing, for substrings too wide for a direct array; filled to
     * three quarters at most, since at a width near log2 N nearly every hash has a value of its own.
     *
     * <p>A lookup probes thousands of values of which nine in ten are empty, and each probe of a
     * table this size is a cache miss. So an occupancy bitmap (one bit per possible value: 2 MB
     * at 24 bits, small enough to stay in the last-level cache) answers "empty" first, and a key
     * sits next to its head, so an occupied probe costs one miss, not two. Measured with
     * HammingIndexBenchmark: this is most of the cost of a lookup at a million hashes.
     */
    private static final class Hashed extends BucketTable {
        /** Wider substrings (chosen only for hundreds of millions of hashes) go without a bitmap. */
        private static final int MAX_BITMAP_WIDTH = 26;
        private final long[] occupied;
        /** Key of slot s at 2s, its head at 2s + 1 (head -1: empty slot). */
        private int[] slots;
        private int used;

        Hashed(int width, int expectedEntries) {
            occupied = width <= MAX_BITMAP_WIDTH ? new long[Math.max(1, (1 << width) >>> 6)] : null;
            int capacity = Integer.highestOneBit(Math.max(16, expectedEntries * 4 / 3) - 1) << 1;
            slots = emptySlots(capacity);
        }

        @Override
        int head(int value) {
            if (occupied != null && (occupied[value >>> 6] & (1L << value)) == 0) {
                return -1;
            }
            return headOfOccupied(value);
        }

        @Override
        int occupiedAmong(int value, int[] masks, int[] out) {
            if (occupied == null) {
                for (int k = 0; k < masks.length; k++) {
                    out[k] = value ^ masks[k];
                }
                return masks.length;
            }
            int n = 0;
            for (int mask : masks) {
                int candidate = value ^ mask;
                out[n] = candidate;
                n += (int) (occupied[candidate >>> 6] >>> candidate) & 1;
            }
            return n;
        }

        @Override
        int headOfOccupied(int value) {
            int mask = slots.length / 2 - 1;
            for (int slot = mix(value) & mask; ; slot = (slot + 1) & mask) {
                int head = slots[2 * slot + 1];
                if (head < 0) {
                    return -1;
                }
                if (slots[2 * slot] == value) {
                    return head;
                }
            }
        }

        @Override
        void setHead(int value, int handle) {
            if (occupied != null) {
                occupied[value >>> 6] |= 1L << value;
            }
            int mask = slots.length / 2 - 1;
            int slot = mix(value) & mask;
            while (slots[2 * slot + 1] >= 0 && slots[2 * slot] != value) {
                slot = (slot + 1) & mask;
            }
            if (slots[2 * slot + 1] < 0) {
                used++;
            }
            slots[2 * slot] = value;
            slots[2 * slot + 1] = handle;
            if (used * 4 > (slots.length / 2) * 3) {
                rehash();
            }
        }

        private void rehash() {
            int[] old = slots;
            slots = emptySlots(old.length);
            used = 0;
            for (int s = 0; s < old.length; s += 2) {
                if (old[s + 1] >= 0) {
                    setHead(old[s], old[s + 1]);
                }
            }
        }

        private static int[] emptySlots(int capacity) {
            int[] slots = new int[2 * capacity];
            for (int s = 1; s < slots.length; s += 2) {
                slots[s] = -1;
            }
            return slots;
        }

        private static int mix(int value) {
            int h = value * 0x9E3779B9;
            return h ^ (h >>> 16);
        }

        @Override
        long heapBytes() {
            return 4L * slots.length + (occupied == null ? 0 : 8L * occupied.length);
        }
    }
}
