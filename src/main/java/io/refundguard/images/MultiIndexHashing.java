package io.refundguard.images;

import java.util.ArrayList;
import java.util.List;

/**
 * Multi-index hashing (Norouzi et al.) over PDQ hashes: the 256 bits are cut into 16 slots of 16
 * bits and every stored hash is filed under one key per slot.
 *
 * <p>Pigeonhole: if two hashes differ in {@code d} bits, those bits fall into 16 slots, so at least
 * one slot holds at most {@code floor(d / 16)} of them. Probing, for every slot, the query's own
 * value and every value within {@code floor(radius / 16)} bits of it therefore reaches every
 * stored hash within the radius. Candidates are verified with the full 256-bit distance, so the
 * index returns exactly the brute-force answer.
 *
 * <p>A slot key packs the slot index above the 16-bit value, so one keyed-state key space serves
 * all 16 slots and two slots with equal values never collide.
 */
public final class MultiIndexHashing {
    public static final int SLOTS = 16;
    public static final int SLOT_BITS = 16;
    /**
     * Above this the per-slot neighbourhood (sum of C(16, j) for j up to radius/16) grows past
     * ~700 keys per slot and 11k probes per lookup; a wider radius wants another index, not more
     * probes.
     */
    public static final int MAX_RADIUS = 63;

    private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    /** Flip masks grouped by how many bits they flip; index 0 is unused. */
    private static final int[][] FLIP_MASKS_BY_BITS = flipMasksUpTo(MAX_RADIUS / SLOTS);

    private MultiIndexHashing() {}

    public static int slotKey(int slotIndex, int slotValue) {
        if (slotIndex < 0 || slotIndex >= SLOTS || (slotValue & ~SLOT_MASK) != 0) {
            throw new IllegalArgumentException(
                    "slot " + slotIndex + " value " + slotValue + " is not a 16-bit slot value of slots 0..15");
        }
        return slotIndex << SLOT_BITS | slotValue;
    }

    public static int slotIndexOf(int slotKey) {
        return slotKey >>> SLOT_BITS;
    }

    public static int slotValueOf(int slotKey) {
        return slotKey & SLOT_MASK;
    }

    /** The 16 keys a hash is stored under, slot 0 first. */
    public static int[] ownKeys(PdqHash hash) {
        int[] keys = new int[SLOTS];
        for (int slot = 0; slot < SLOTS; slot++) {
            keys[slot] = slotKey(slot, hash.word16(slot));
        }
        return keys;
    }

    /**
     * The keys whose slot value differs from the hash's in 1..floor(radius/16) bits: where a
     * stored hash can sit that is within the radius but not equal on that slot.
     */
    public static int[] neighbourKeys(PdqHash hash, int radius) {
        int maxBits = bitsPerSlot(radius);
        int[] keys = new int[SLOTS * (neighbourhoodSize(maxBits) - 1)];
        int next = 0;
        for (int slot = 0; slot < SLOTS; slot++) {
            int value = hash.word16(slot);
            for (int bits = 1; bits <= maxBits; bits++) {
                for (int mask : FLIP_MASKS_BY_BITS[bits]) {
                    keys[next++] = slotKey(slot, value ^ mask);
                }
            }
        }
        return keys;
    }

    /** Own keys followed by neighbour keys: every key a lookup within {@code radius} must read. */
    public static int[] probeKeys(PdqHash hash, int radius) {
        int[] own = ownKeys(hash);
        int[] neighbours = neighbourKeys(hash, radius);
        int[] all = new int[own.length + neighbours.length];
        System.arraycopy(own, 0, all, 0, own.length);
        System.arraycopy(neighbours, 0, all, own.length, neighbours.length);
        return all;
    }

    /** How many bits one slot may differ in and still hold the pigeonhole's guarantee. */
    public static int bitsPerSlot(int radius) {
        checkRadius(radius);
        return radius / SLOTS;
    }

    public static int checkRadius(int radius) {
        if (radius < 0 || radius > MAX_RADIUS) {
            throw new IllegalArgumentException("radius " + radius + " is outside 0.." + MAX_RADIUS
                    + "; the neighbour enumeration would explode (use a different index for wide radii)");
        }
        return radius;
    }

    /** Keys read per slot: the value itself plus all values within {@code maxBits} bits. */
    public static int neighbourhoodSize(int maxBits) {
        int size = 1;
        for (int bits = 1; bits <= maxBits; bits++) {
            size += FLIP_MASKS_BY_BITS[bits].length;
        }
        return size;
    }

    private static int[][] flipMasksUpTo(int maxBits) {
        List<List<Integer>> byBits = new ArrayList<>();
        for (int bits = 0; bits <= maxBits; bits++) {
            byBits.add(new ArrayList<>());
        }
        for (int mask = 1; mask <= SLOT_MASK; mask++) {
            int bits = Integer.bitCount(mask);
            if (bits <= maxBits) {
                byBits.get(bits).add(mask);
            }
        }
        int[][] masks = new int[maxBits + 1][];
        for (int bits = 0; bits <= maxBits; bits++) {
            masks[bits] = byBits.get(bits).stream().mapToInt(Integer::intValue).toArray();
        }
        return masks;
    }
}
