package io.refundguard.images;

import io.refundguard.eventtime.EventTimeOrderedFunction;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.events.CatalogImage;
import io.refundguard.images.compare.Comparison;
import io.refundguard.images.compare.CopyDetector;
import io.refundguard.images.index.IndexEntry;
import io.refundguard.images.index.IndexLookup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The listing photos of one product ({@code platform:merchantId:productId}), and the local
 * comparison of every evidence photo of a request naming that product with each of them.
 *
 * <p>Why per product: the request names its product, so the merchant's own photos of it are
 * always candidates, whatever their hashes say — a cropped, rotated or heavily painted copy can be
 * far from its listing in PDQ distance. The comparison ({@link CopyDetector}) decides from
 * keypoints and a dense check of the thumbnails, and says where the copy was changed.
 *
 * <p>It also keeps the current version of each listing photo for the photo index: a re-published
 * photo with a new hash, a tombstone, or a photo under the quality floor ends the version filed
 * before, and only this operator knows which that was.
 *
 * <p>Output: index entries for listing photos; on {@link #LOOKUPS} each new listing photo's lookup
 * (evidence submitted before it may be its copy); on {@link #ANSWERS} one answer per evidence photo
 * of a request (the gather waits for it), listing the photos compared and the copies found.
 */
public final class ListingPhotos extends EventTimeOrderedFunction<String, ListingInput, IndexEntry> {
    public static final OutputTag<IndexLookup> LOOKUPS =
            new OutputTag<>("listing-photo-lookups", TypeInformation.of(IndexLookup.class)) {};
    public static final OutputTag<ProbeResult> ANSWERS =
            new OutputTag<>("listing-comparisons", TypeInformation.of(ProbeResult.class)) {};
    /** The probe id suffix of these answers; the gather waits for one per evidence photo with features. */
    public static final String PROBE_SUFFIX = "@listing";
    private static final long serialVersionUID = 1L;

    private final ImageSettings settings;
    private final StateTtl stateTtl;
    private transient MapState<String, ListedPhoto> photosById;
    private transient CopyDetector detector;
    private transient Counter comparisons;
    private transient Counter copiesFound;

    public ListingPhotos(ImageSettings settings, StateTtl stateTtl) {
        super(TypeInformation.of(ListingInput.class));
        this.settings = settings;
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        MapStateDescriptor<String, ListedPhoto> descriptor = new MapStateDescriptor<>(
                "listing-photos-by-id", Types.STRING, TypeInformation.of(ListedPhoto.class));
        photosById = getRuntimeContext().getMapState(stateTtl.sweptAfter(settings.catalogRetention(), descriptor));
        detector = new CopyDetector();
        comparisons = getRuntimeContext().getMetricGroup().counter("listingComparisons");
        copiesFound = getRuntimeContext().getMetricGroup().counter("listingCopiesFound");
    }

    @Override
    protected long timestampOf(ListingInput input) {
        return input.timestamp();
    }

    @Override
    protected String tieBreakerOf(ListingInput input) {
        return input.tieBreaker();
    }

    @Override
    protected void processInOrder(ListingInput input, Context ctx, Collector<IndexEntry> out) throws Exception {
        if (input.listing() != null) {
            onListing(input.listing(), ctx, out);
        } else {
            compare(input.query(), ctx);
        }
    }

    private void onListing(CatalogImage listing, Context ctx, Collector<IndexEntry> out) throws Exception {
        ListedPhoto previous = photosById.get(listing.imageId());
        IndexedImage current = listing.deleted() || listing.pdq() == null ? null : CatalogProbes.indexed(listing);
        boolean usable = current != null && current.quality() >= settings.qualityFloor();
        if (previous != null && previous.filed() && (!usable || !previous.image().hash().equals(current.hash()))) {
            out.collect(IndexEntry.removing(previous.image(), listing.occurredAt()));
        }
        if (usable) {
            // Re-filed even with an unchanged hash: the index keeps the newest version of a key.
            out.collect(IndexEntry.filing(current));
            ctx.output(LOOKUPS, new IndexLookup(null, current));
        }
        if (current == null) {
            photosById.remove(listing.imageId());
        } else {
            photosById.put(listing.imageId(), new ListedPhoto(current, usable, listing.localFeatures(), listing.uri()));
        }
    }

    private void compare(ListingQuery query, Context ctx) throws Exception {
        List<ListedPhoto> listed = comparableListings();
        for (ListingQuery.Photo photo : query.photos()) {
            List<ImageMatch> copies = new ArrayList<>();
            List<String> compared = new ArrayList<>(listed.size());
            for (ListedPhoto listing : listed) {
                Comparison comparison = detector.compare(listing.features(), photo.features());
                comparisons.inc();
                compared.add(listing.image().imageKey());
                if (comparison.copy()) {
                    copiesFound.inc();
                    copies.add(new ImageMatch(listing.image(), distance(photo.image(), listing.image()),
                            CopyFinding.of(comparison, listing.features().width(), listing.features().height(),
                                    listing.uri())));
                }
            }
            ctx.output(ANSWERS, new ProbeResult(query.requestKey(), photo.image().imageKey() + PROBE_SUFFIX,
                    photo.image(), List.copyOf(copies), List.copyOf(compared), 1, 1));
        }
    }

    /**
     * The product's photos that have features, newest first, at most {@code maxListingPhotos}: each
     * comparison costs about a millisecond, and a product shows its recent photos.
     */
    private List<ListedPhoto> comparableListings() throws Exception {
        List<ListedPhoto> listed = new ArrayList<>();
        for (ListedPhoto photo : photosById.values()) {
            if (photo.features() != null) {
                listed.add(photo);
            }
        }
        listed.sort(Comparator.comparingLong((ListedPhoto p) -> p.image().occurredAt()).reversed()
                .thenComparing(p -> p.image().imageKey()));
        return listed.size() <= settings.maxListingPhotos() ? listed : listed.subList(0, settings.maxListingPhotos());
    }

    /** PDQ distance of the two, or -1 when the evidence came without a hash. */
    private static int distance(IndexedImage evidence, IndexedImage listing) {
        return evidence.quality() == 0 && evidence.w0() == 0 && evidence.w1() == 0 ? -1 : evidence.distanceTo(listing);
    }
}
