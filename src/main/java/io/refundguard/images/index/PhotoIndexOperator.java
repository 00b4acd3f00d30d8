package io.refundguard.images.index;

import io.refundguard.images.ImageMatch;
import io.refundguard.images.ImageOrigin;
import io.refundguard.images.IndexedImage;
import io.refundguard.images.ProbeResult;
import io.refundguard.eventtime.StateTtl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The near-duplicate photo index: every photo is filed on one subtask (keyed by its photo id) and
 * every lookup is broadcast to all subtasks, each of which searches an in-memory multi-index over
 * the photos it holds ({@link PhotoShard}) and answers for its share of the key groups.
 *
 * <p>Why this shape: a lookup costs one record per subtask and a search in memory, instead of a
 * keyed-state read for each of the 272 substring neighbourhoods of the hash; and the durable copy
 * is ordinary keyed state (one entry per photo, checkpointed, with TTL), so the index rescales,
 * restores and expires like any other state. The in-memory index is only a view of that state,
 * rebuilt from it when the operator opens.
 *
 * <p>Order: filings and removals take effect on arrival but carry their event time, and a lookup
 * is answered once the watermark passes it, seeing exactly the photos filed before it and not
 * yet removed, in (event time, image key) order. That is the order the keyed index had, so the
 * answer does not depend on arrival order or parallelism; a late lookup is answered on arrival.
 */
public final class PhotoIndexOperator extends AbstractStreamOperator<ProbeResult>
        implements TwoInputStreamOperator<IndexEntry, IndexLookup, ProbeResult> {
    private static final long serialVersionUID = 1L;

    /** The keyed state holding every filed photo; the benchmark and the restore read it by name. */
    public static final String FILED_PHOTOS = "filed-photos";
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final Comparator<PendingLookup> IN_EVENT_TIME_ORDER = Comparator
            .comparingLong((PendingLookup p) -> p.lookup().image().occurredAt())
            .thenComparing(p -> p.lookup().image().imageKey());
    private static final Comparator<ImageMatch> CLOSEST_FIRST =
            Comparator.comparingInt(ImageMatch::distance).thenComparing(match -> match.matched().imageKey());

    private final int radius;
    private final long retention;
    private final long catalogLookback;
    private final Duration filedPhotoTtl;
    private final StateTtl stateTtl;

    private transient ValueState<List<FiledPhoto>> filed;
    private transient ListState<PendingLookup> pendingState;
    private transient PriorityQueue<PendingLookup> pending;
    private transient PriorityQueue<Removal> removals;
    private transient PhotoShard shard;
    private transient KeyGroupRange ownKeyGroups;
    private transient int totalKeyGroups;
    private transient long watermark;
    private transient long lastSweepDay;
    private transient Counter lookupsAnswered;

    /** A filed photo to delete from state and memory once the watermark passes {@code at}. */
    private record Removal(long at, long photoId, IndexedImage image) {}

    /**
     * @param retention how long evidence stays comparable, in event time
     * @param catalogRetention processing-time backstop for listing photos, which otherwise live
     *     until their tombstone
     * @param catalogLookback how far back a newly published listing photo reaches to evidence
     */
    public PhotoIndexOperator(int radius, Duration retention, Duration catalogRetention, Duration catalogLookback,
            StateTtl stateTtl) {
        this.radius = Substrings.checkRadius(radius);
        this.retention = positive(retention, "retention").toMillis();
        this.catalogLookback = positive(catalogLookback, "catalog lookback").toMillis();
        Duration catalog = positive(catalogRetention, "catalog retention");
        this.filedPhotoTtl = retention.compareTo(catalog) >= 0 ? retention : catalog;
        this.stateTtl = stateTtl;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        var task = getRuntimeContext().getTaskInfo();
        totalKeyGroups = task.getMaxNumberOfParallelSubtasks();
        ownKeyGroups = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                totalKeyGroups, task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask());
        pendingState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("pending-lookups", TypeInformation.of(PendingLookup.class)));
        pending = new PriorityQueue<>(IN_EVENT_TIME_ORDER);
        if (context.isRestored()) {
            for (PendingLookup waiting : pendingState.get()) {
                PendingLookup ours = waiting.within(ownKeyGroups.getStartKeyGroup(), ownKeyGroups.getEndKeyGroup());
                if (ours != null) {
                    pending.add(ours);
                }
            }
        }
        watermark = Long.MIN_VALUE;
        lastSweepDay = Long.MIN_VALUE;
    }

    @Override
    public void open() throws Exception {
        super.open();
        ValueStateDescriptor<List<FiledPhoto>> descriptor =
                new ValueStateDescriptor<>(FILED_PHOTOS, Types.LIST(TypeInformation.of(FiledPhoto.class)));
        // Written once per photo (and once more when it is removed): TTL from that write bounds
        // photos that the event-time sweep never reaches, e.g. after a long stop.
        filed = getPartitionedState(stateTtl.expiredByOwner(filedPhotoTtl, descriptor));
        shard = new PhotoShard(radius);
        removals = new PriorityQueue<>(Comparator.comparingLong(Removal::at));
        rebuildFromState();
        lookupsAnswered = getMetricGroup().counter("photoLookupsAnswered");
        getMetricGroup().gauge("photosIndexed", () -> shard.liveCount());
        getMetricGroup().gauge("photoIndexHeapBytes", () -> shard.heapBytes());
    }

    /** The in-memory index is a view of keyed state: after a restore or rescale, rebuild it. */
    private void rebuildFromState() throws Exception {
        long[] ids = new long[1024];
        int count = 0;
        org.apache.flink.runtime.state.KeyedStateBackend<Long> backend = getKeyedStateBackend();
        try (Stream<Long> keys = backend.getKeys(FILED_PHOTOS, VoidNamespace.INSTANCE)) {
            for (Long id : (Iterable<Long>) keys::iterator) {
                if (count == ids.length) {
                    ids = Arrays.copyOf(ids, 2 * count);
                }
                ids[count++] = id;
            }
        }
        for (int i = 0; i < count; i++) {
            setCurrentKey(ids[i]);
            List<FiledPhoto> photos = filed.value();
            if (photos == null) {
                continue;
            }
            for (FiledPhoto photo : photos) {
                addToShard(ids[i], photo);
            }
        }
        shard.compactIfWorthIt();
    }

    @Override
    public void processElement1(StreamRecord<IndexEntry> record) throws Exception {
        IndexEntry entry = record.getValue();
        if (entry.remove()) {
            endValidity(entry.photoId(), entry.image().imageKey(), entry.at());
        } else {
            file(entry.photoId(), entry.image());
        }
    }

    @Override
    public void processElement2(StreamRecord<IndexLookup> record) throws Exception {
        PendingLookup lookup = new PendingLookup(
                record.getValue(), ownKeyGroups.getStartKeyGroup(), ownKeyGroups.getEndKeyGroup());
        if (lookup.lookup().image().occurredAt() <= watermark) {
            answer(lookup);
        } else {
            pending.add(lookup);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        while (!pending.isEmpty() && pending.peek().lookup().image().occurredAt() <= watermark) {
            answer(pending.poll());
        }
        // Only now: lookups up to the watermark may still have needed a photo removed before it.
        while (!removals.isEmpty() && removals.peek().at() <= watermark) {
            Removal due = removals.poll();
            delete(due.photoId(), due.image());
        }
        sweepExpiredEvidence();
        shard.compactIfWorthIt();
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        pendingState.update(new ArrayList<>(pending));
    }

    /**
     * Files a photo from its own event time. An earlier version under the same image key (a
     * re-sent photo) stays valid until this one's time, for lookups still waiting before it.
     */
    private void file(long photoId, IndexedImage image) throws Exception {
        List<FiledPhoto> photos = filedPhotos();
        for (int i = 0; i < photos.size(); i++) {
            FiledPhoto version = photos.get(i);
            if (version.until() == PhotoShard.FOREVER && version.image().imageKey().equals(image.imageKey())) {
                photos.set(i, endedAt(photoId, version, image.occurredAt()));
            }
        }
        FiledPhoto photo = new FiledPhoto(image, PhotoShard.FOREVER);
        photos.add(photo);
        filed.update(photos);
        addToShard(photoId, photo);
    }

    private void endValidity(long photoId, String imageKey, long at) throws Exception {
        List<FiledPhoto> photos = filedPhotos();
        for (int i = 0; i < photos.size(); i++) {
            FiledPhoto version = photos.get(i);
            if (version.until() == PhotoShard.FOREVER && version.image().imageKey().equals(imageKey)) {
                photos.set(i, endedAt(photoId, version, at));
                filed.update(photos);
                return;
            }
        }
    }

    private FiledPhoto endedAt(long photoId, FiledPhoto version, long at) {
        IndexedImage image = version.image();
        int handle = shard.find(photoId, image.w0(), image.w1(), image.w2(), image.w3(), image.occurredAt());
        if (handle >= 0) {
            shard.setUntil(handle, at);
        }
        removals.add(new Removal(at, photoId, image));
        return new FiledPhoto(image, at);
    }

    private void addToShard(long photoId, FiledPhoto photo) {
        IndexedImage image = photo.image();
        shard.add(photoId, image.w0(), image.w1(), image.w2(), image.w3(), image.occurredAt(), photo.until(), image.origin());
        if (photo.until() != PhotoShard.FOREVER) {
            removals.add(new Removal(photo.until(), photoId, image));
        }
    }

    private List<FiledPhoto> filedPhotos() throws Exception {
        List<FiledPhoto> photos = filed.value();
        return photos == null ? new ArrayList<>(1) : new ArrayList<>(photos);
    }

    /** Deletes one filed version, from state and from memory. */
    private void delete(long photoId, IndexedImage image) throws Exception {
        int handle = shard.find(photoId, image.w0(), image.w1(), image.w2(), image.w3(), image.occurredAt());
        if (handle >= 0) {
            shard.remove(handle);
        }
        setCurrentKey(photoId);
        List<FiledPhoto> photos = filed.value();
        if (photos == null) {
            return;
        }
        List<FiledPhoto> kept = new ArrayList<>(photos.size());
        for (FiledPhoto photo : photos) {
            if (!photo.image().equals(image)) {
                kept.add(photo);
            }
        }
        if (kept.isEmpty()) {
            filed.clear();
        } else if (kept.size() < photos.size()) {
            filed.update(kept);
        }
    }

    /**
     * Once a day of event time, evidence past retention leaves state and memory. Lookups already
     * skip it; this only keeps the index from growing forever.
     */
    private void sweepExpiredEvidence() throws Exception {
        long day = Math.floorDiv(watermark, DAY);
        if (day <= lastSweepDay || watermark == Long.MAX_VALUE) {
            return;
        }
        lastSweepDay = day;
        long horizon = watermark - retention;
        List<Integer> expired = new ArrayList<>();
        shard.forEachLive(handle -> {
            if (shard.origin(handle) == ImageOrigin.EVIDENCE && shard.time(handle) < horizon) {
                expired.add(handle);
            }
        });
        for (int handle : expired) {
            FiledPhoto photo = photoAt(handle);
            shard.remove(handle);
            if (photo != null) {
                delete(shard.id(handle), photo.image());
            }
        }
    }

    private void answer(PendingLookup lookup) throws Exception {
        IndexedImage probe = lookup.lookup().image();
        List<ImageMatch> matches = new ArrayList<>();
        // Restored after a rescale, a lookup may be owed for only part of this subtask's key groups.
        boolean partial = lookup.firstKeyGroup() != ownKeyGroups.getStartKeyGroup()
                || lookup.lastKeyGroup() != ownKeyGroups.getEndKeyGroup();
        shard.search(probe.w0(), probe.w1(), probe.w2(), probe.w3(), (handle, distance) -> {
            if (partial && !lookup.owes(KeyGroupRangeAssignment.assignToKeyGroup(shard.id(handle), totalKeyGroups))) {
                return;
            }
            FiledPhoto photo = visibleTo(probe, handle);
            if (photo != null) {
                matches.add(new ImageMatch(photo.image(), distance));
            }
        });
        lookupsAnswered.inc();
        String requestKey = lookup.lookup().requestKey();
        if (requestKey == null && matches.isEmpty()) {
            return;
        }
        matches.sort(CLOSEST_FIRST);
        int covered = lookup.lastKeyGroup() - lookup.firstKeyGroup() + 1;
        output.collect(new StreamRecord<>(new ProbeResult(requestKey, probe.imageKey() + "@pdq", probe,
                List.copyOf(matches), covered, totalKeyGroups), probe.occurredAt()));
    }

    /**
     * The filed photo at {@code handle} if the probe may be compared with it, else null. Decided
     * from memory where it can be; state is read for photos that will match anyway, and for ties
     * in event time, which the image keys break.
     */
    private FiledPhoto visibleTo(IndexedImage probe, int handle) throws Exception {
        long at = probe.occurredAt();
        long filedAt = shard.time(handle);
        long until = shard.until(handle);
        ImageOrigin origin = shard.origin(handle);
        if (filedAt > at || until < at) {
            return null;
        }
        if (origin == ImageOrigin.EVIDENCE && filedAt < at - retention) {
            return null;
        }
        // Evidence is compared with everything; a listing photo only with evidence recent enough
        // that the listing could have been its source. Two listing photos alike is merchandising.
        if (probe.origin() == ImageOrigin.CATALOG && (origin != ImageOrigin.EVIDENCE || filedAt < at - catalogLookback)) {
            return null;
        }
        FiledPhoto photo = photoAt(handle);
        if (photo == null) {
            shard.remove(handle);
            return null;
        }
        String key = photo.image().imageKey();
        if (key.equals(probe.imageKey())) {
            return null;
        }
        if (filedAt == at && !before(key, probe.imageKey())) {
            return null;
        }
        if (until == at && !before(probe.imageKey(), key)) {
            return null;
        }
        return photo;
    }

    /** The order of two images with the same event time: by image key, as the keyed index had it. */
    private static boolean before(String imageKey, String otherImageKey) {
        return (imageKey + '\u0000').compareTo(otherImageKey + '\u0000') < 0;
    }

    /** The filed version behind a handle, from keyed state; null if TTL has dropped it. */
    private FiledPhoto photoAt(int handle) throws Exception {
        setCurrentKey(shard.id(handle));
        List<FiledPhoto> photos = filed.value();
        if (photos == null) {
            return null;
        }
        long time = shard.time(handle);
        for (FiledPhoto photo : photos) {
            IndexedImage image = photo.image();
            if (image.occurredAt() == time && image.w0() == shard.word(handle, 0) && image.w1() == shard.word(handle, 1)
                    && image.w2() == shard.word(handle, 2) && image.w3() == shard.word(handle, 3)) {
                return photo;
            }
        }
        return null;
    }

    private static Duration positive(Duration duration, String what) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration, was " + duration);
        }
        return duration;
    }
}
