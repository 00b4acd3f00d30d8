package io.refundguard.images;

import io.refundguard.events.CatalogImage;
import io.refundguard.eventtime.EventTimeOrderedFunction;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.images.index.IndexEntry;
import io.refundguard.images.index.IndexLookup;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The current version of each listing photo, keyed by {@code platform:merchantId:productId:imageId}.
 * A tombstone (which may carry no hash) or a re-published photo with a new hash must end the
 * version filed before, and only this registry knows which that was.
 */
public final class CatalogRegistry extends EventTimeOrderedFunction<String, CatalogImage, IndexEntry> {
    /** Each listing photo filed is also looked up: evidence submitted before it may be its copy. */
    public static final OutputTag<IndexLookup> LOOKUPS =
            new OutputTag<>("listing-photo-lookups", TypeInformation.of(IndexLookup.class)) {};
    private static final long serialVersionUID = 1L;

    private final ImageSettings settings;
    private transient ValueState<IndexedImage> filed;

    public CatalogRegistry(ImageSettings settings) {
        super(TypeInformation.of(CatalogImage.class));
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        ValueStateDescriptor<IndexedImage> descriptor =
                new ValueStateDescriptor<>("filed-listing-photo", TypeInformation.of(IndexedImage.class));
        descriptor.enableTimeToLive(StateTtl.of(settings.catalogRetention()));
        filed = getRuntimeContext().getState(descriptor);
    }

    @Override
    protected long timestampOf(CatalogImage listing) {
        return listing.occurredAt();
    }

    @Override
    protected String tieBreakerOf(CatalogImage listing) {
        return (listing.deleted() ? "1" : "0") + listing.pdq();
    }

    @Override
    protected void processInOrder(CatalogImage listing, Context ctx, Collector<IndexEntry> out) throws Exception {
        IndexedImage previous = filed.value();
        IndexedImage current = listing.deleted() ? null : CatalogProbes.indexed(listing);
        boolean usable = current != null && current.quality() >= settings.qualityFloor();
        if (previous != null && (!usable || !previous.hash().equals(current.hash()))) {
            out.collect(IndexEntry.removing(previous, listing.occurredAt()));
        }
        if (usable) {
            // Re-filed even with an unchanged hash: the index keeps the newest version of a key.
            out.collect(IndexEntry.filing(current));
            ctx.output(LOOKUPS, new IndexLookup(null, current));
            filed.update(current);
        } else {
            filed.clear();
        }
    }
}
