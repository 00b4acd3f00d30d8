package io.refundguard.images;

import io.refundguard.events.CatalogImage;
import io.refundguard.eventtime.EventTimeOrderedFunction;
import io.refundguard.eventtime.StateTtl;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

/**
 * The current version of each listing photo, keyed by {@code platform:merchantId:productId:imageId}.
 * The index files photos by their hash, so a tombstone (which may carry no hash) or a re-published
 * photo with a new hash must unfile the version filed before; only this registry knows it.
 */
public final class CatalogRegistry extends EventTimeOrderedFunction<String, CatalogImage, ImageProbe> {
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
    protected void processInOrder(CatalogImage listing, Context ctx, Collector<ImageProbe> out) throws Exception {
        IndexedImage previous = filed.value();
        IndexedImage current = listing.deleted() ? null : CatalogProbes.indexed(listing);
        if (previous != null && (current == null || !previous.hash().equals(current.hash()))) {
            ImageProbe.fanOutDelete(previous).forEach(out::collect);
        }
        if (current == null) {
            filed.clear();
        } else if (current.quality() >= settings.qualityFloor()) {
            ImageProbe.fanOut(current, null, settings.radius()).forEach(out::collect);
            filed.update(current);
        } else {
            filed.clear();
        }
    }
}
