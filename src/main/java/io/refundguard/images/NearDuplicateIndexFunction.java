package io.refundguard.images;

import io.refundguard.eventtime.EventTimeOrderedFunction;
import io.refundguard.eventtime.StateTtl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * One shard of the multi-index near-duplicate index, keyed by slot key (see {@link
 * MultiIndexHashing}). Each key holds the images filed under it; probes compare against them in
 * event-time order, so which request "saw the photo first" does not depend on parallelism.
 *
 * <p>Decisions the contract leaves open:
 *
 * <ul>
 *   <li>An image under the quality floor is neither matched nor filed, and it unfiles an earlier
 *       version with the same image key: PDQ on a flat or tiny picture is noise, and the newest
 *       version of an image is the one that counts. Evidence probes still get their (empty) result.
 *   <li>A pair within the radius that agrees on several slots is reported once per such slot key;
 *       the gather de-duplicates by image key.
 *   <li>Of two images with the same timestamp, the one with the smaller image key is filed first
 *       at every slot key, so the later one finds it. That needs one order for all 16+256 keys,
 *       which is why the tie-breaker is the image key (plus the action, so a tombstone with the
 *       same timestamp as its store comes after it) rather than the per-key probe id.
 * </ul>
 */
public class NearDuplicateIndexFunction extends EventTimeOrderedFunction<Integer, ImageProbe, ProbeResult> {
    private static final long serialVersionUID = 1L;

    /** Name of the per-slot-key map of filed images; the benchmark compacts it by name. */
    public static final String IMAGES_IN_SLOT = "images-in-slot";

    private static final Comparator<ImageMatch> CLOSEST_FIRST =
            Comparator.comparingInt(ImageMatch::distance).thenComparing(match -> match.matched().imageKey());

    private final int radius;
    private final int qualityFloor;
    private final Duration retention;
    private final Duration catalogRetention;
    private final Duration catalogLookback;

    private transient MapState<String, IndexedImage> imagesInSlot;

    /**
     * @param retention how long a filed image stays comparable: in event time relative to each
     *     probe, and as processing-time state TTL so idle slot keys do not keep state forever
     * @param catalogLookback how far back a newly published listing photo reaches to evidence
     *     that was submitted before it
     */
    public NearDuplicateIndexFunction(int radius, int qualityFloor, Duration retention, Duration catalogLookback) {
        this(radius, qualityFloor, retention, retention, catalogLookback);
    }

    /**
     * @param catalogRetention processing-time backstop for listing photos, which otherwise live
     *     until their tombstone: a listing published two years ago is still the merchant's photo
     */
    public NearDuplicateIndexFunction(
            int radius, int qualityFloor, Duration retention, Duration catalogRetention, Duration catalogLookback) {
        super(TypeInformation.of(ImageProbe.class));
        this.radius = MultiIndexHashing.checkRadius(radius);
        this.qualityFloor = qualityFloor;
        this.retention = requirePositive(retention, "retention");
        this.catalogRetention = requirePositive(catalogRetention, "catalog retention");
        this.catalogLookback = requirePositive(catalogLookback, "catalog lookback");
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        MapStateDescriptor<String, IndexedImage> imagesDescriptor = new MapStateDescriptor<>(
                IMAGES_IN_SLOT, Types.STRING, TypeInformation.of(IndexedImage.class));
        // TTL counts from the last write; an image nobody re-sends ages out even if probes keep
        // reading it, because reading must not extend what retention allows.
        Duration ttl = retention.compareTo(catalogRetention) >= 0 ? retention : catalogRetention;
        imagesDescriptor.enableTimeToLive(StateTtl.expiredByOwner(ttl));
        imagesInSlot = getRuntimeContext().getMapState(imagesDescriptor);
    }

    @Override
    protected long timestampOf(ImageProbe probe) {
        return probe.image().occurredAt();
    }

    @Override
    protected String tieBreakerOf(ImageProbe probe) {
        return probe.image().imageKey() + '\u0000' + probe.action().ordinal();
    }

    @Override
    protected void processInOrder(ImageProbe probe, Context ctx, Collector<ProbeResult> out) throws Exception {
        switch (probe.action()) {
            case DELETE -> imagesInSlot.remove(probe.image().imageKey());
            case MATCH -> emit(probe, matchesFor(probe.image()), out);
            case STORE_AND_MATCH -> {
                List<ImageMatch> matches = matchesFor(probe.image());
                file(probe.image());
                emit(probe, matches, out);
            }
        }
    }

    private void file(IndexedImage image) throws Exception {
        if (image.quality() >= qualityFloor) {
            imagesInSlot.put(image.imageKey(), image);
        } else {
            imagesInSlot.remove(image.imageKey());
        }
    }

    /** Compares with every image filed here, unfiling those past retention on the way. */
    private List<ImageMatch> matchesFor(IndexedImage probe) throws Exception {
        List<ImageMatch> matches = new ArrayList<>();
        if (probe.quality() < qualityFloor) {
            return matches;
        }
        long horizon = probe.occurredAt() - retention.toMillis();
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, IndexedImage> entry : imagesInSlot.entries()) {
            IndexedImage stored = entry.getValue();
            if (stored.origin() == ImageOrigin.EVIDENCE && stored.occurredAt() < horizon) {
                expired.add(entry.getKey());
            } else if (comparable(probe, stored)) {
                int distance = probe.distanceTo(stored);
                if (distance <= radius) {
                    matches.add(new ImageMatch(stored, distance));
                }
            }
        }
        for (String imageKey : expired) {
            imagesInSlot.remove(imageKey);
        }
        matches.sort(CLOSEST_FIRST);
        return matches;
    }

    /**
     * Evidence is compared with everything: reuse across requests and a merchant's own photo are
     * both fraud signals. A listing photo is compared only with evidence, and only evidence recent
     * enough that the listing could have been the source (published after the request, within the
     * lookback); two listing photos alike is normal merchandising.
     */
    private boolean comparable(IndexedImage probe, IndexedImage stored) {
        if (stored.imageKey().equals(probe.imageKey()) || stored.quality() < qualityFloor) {
            return false;
        }
        if (probe.origin() == ImageOrigin.EVIDENCE) {
            return true;
        }
        return stored.origin() == ImageOrigin.EVIDENCE
                && stored.occurredAt() >= probe.occurredAt() - catalogLookback.toMillis();
    }

    private static void emit(ImageProbe probe, List<ImageMatch> matches, Collector<ProbeResult> out) {
        if (probe.requestKey() != null || !matches.isEmpty()) {
            out.collect(new ProbeResult(probe.requestKey(), probe.probeId(), probe.image(), List.copyOf(matches)));
        }
    }

    private static Duration requirePositive(Duration duration, String what) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration, was " + duration);
        }
        return duration;
    }
}
