package io.refundguard.images.index;

import io.refundguard.images.ImageOrigin;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * One subtask's share of the photo index, in memory: a {@link HammingIndex} over the hashes plus,
 * per handle, what a lookup needs to decide visibility without reading state — the photo's id,
 * event time, end of validity and origin. Everything else about a photo stays in keyed state and
 * is read only for photos that matched.
 *
 * <p>It is rebuilt from keyed state when the operator starts, and rebuilt in place when dead
 * handles pile up or the number of photos outgrows the substring layout it was built with.
 */
final class PhotoShard {
    /** A photo still valid has this as its end of validity. */
    static final long FOREVER = Long.MAX_VALUE;
    private static final int MIN_LAYOUT_SIZE = 1 << 16;

    private final int radius;
    private HammingIndex index;
    private long layoutSize;
    private long[] ids;
    private long[] times;
    private long[] untils;
    private byte[] origins;

    PhotoShard(int radius) {
        this.radius = Substrings.checkRadius(radius);
        this.layoutSize = MIN_LAYOUT_SIZE;
        this.index = new HammingIndex(Substrings.forSize(layoutSize, radius), 1024);
        this.ids = new long[1024];
        this.times = new long[1024];
        this.untils = new long[1024];
        this.origins = new byte[1024];
    }

    int add(long id, long w0, long w1, long w2, long w3, long time, long until, ImageOrigin origin) {
        int handle = index.add(w0, w1, w2, w3);
        if (handle == ids.length) {
            int capacity = ids.length * 2;
            ids = Arrays.copyOf(ids, capacity);
            times = Arrays.copyOf(times, capacity);
            untils = Arrays.copyOf(untils, capacity);
            origins = Arrays.copyOf(origins, capacity);
        }
        ids[handle] = id;
        times[handle] = time;
        untils[handle] = until;
        origins[handle] = (byte) origin.ordinal();
        return handle;
    }

    /** The live handle of photo {@code id} filed with this hash and time, or -1. */
    int find(long id, long w0, long w1, long w2, long w3, long time) {
        int[] found = {-1};
        index.forEachEqual(w0, w1, w2, w3, h -> {
            if (found[0] < 0 && ids[h] == id && times[h] == time) {
                found[0] = h;
            }
        });
        return found[0];
    }

    void remove(int handle) {
        index.kill(handle);
    }

    void setUntil(int handle, long until) {
        untils[handle] = until;
    }

    long id(int handle) {
        return ids[handle];
    }

    long time(int handle) {
        return times[handle];
    }

    long until(int handle) {
        return untils[handle];
    }

    ImageOrigin origin(int handle) {
        return ImageOrigin.values()[origins[handle]];
    }

    long word(int handle, int index) {
        return this.index.word(handle, index);
    }

    int liveCount() {
        return index.liveCount();
    }

    long heapBytes() {
        return index.heapBytes() + 8L * (ids.length + times.length + untils.length) + origins.length;
    }

    Substrings layout() {
        return index.layout();
    }

    void search(long w0, long w1, long w2, long w3, HammingIndex.Visitor visitor) throws Exception {
        index.search(w0, w1, w2, w3, visitor);
    }

    /** Calls {@code action} with every live handle; the action may remove it. */
    void forEachLive(IntConsumer action) {
        for (int h = 0, size = index.size(); h < size; h++) {
            if (!index.isDead(h)) {
                action.accept(h);
            }
        }
    }

    /**
     * Rebuilds when a quarter of the handles are dead, or when the live photos have outgrown (or
     * shrunk far below) the size the substring layout was chosen for. Handles change; callers must
     * not keep them across this call.
     */
    boolean compactIfWorthIt() {
        int live = index.liveCount();
        boolean manyDead = index.deadCount() > Math.max(1024, index.size() / 4);
        boolean outgrown = live > 2 * layoutSize || (layoutSize > MIN_LAYOUT_SIZE && live < layoutSize / 8);
        if (!manyDead && !outgrown) {
            return false;
        }
        rebuild(Math.max(MIN_LAYOUT_SIZE, 2L * live));
        return true;
    }

    private void rebuild(long forSize) {
        HammingIndex old = index;
        long[] oldIds = ids;
        long[] oldTimes = times;
        long[] oldUntils = untils;
        byte[] oldOrigins = origins;
        int live = old.liveCount();
        layoutSize = forSize;
        index = new HammingIndex(Substrings.forSize(forSize, radius), live + 1024);
        ids = new long[live + 1024];
        times = new long[live + 1024];
        untils = new long[live + 1024];
        origins = new byte[live + 1024];
        for (int h = 0, size = old.size(); h < size; h++) {
            if (!old.isDead(h)) {
                add(oldIds[h], old.word(h, 0), old.word(h, 1), old.word(h, 2), old.word(h, 3), oldTimes[h], oldUntils[h],
                        ImageOrigin.values()[oldOrigins[h]]);
            }
        }
    }
}
