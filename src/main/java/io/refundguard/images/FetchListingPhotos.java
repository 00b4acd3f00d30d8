package io.refundguard.images;

import io.refundguard.events.CatalogImage;
import io.refundguard.events.DeadLetter;
import io.refundguard.events.DecodedCatalogImage;
import io.refundguard.events.EventEncoder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Fingerprints the listing photos a merchant feed sent by {@code uri} only: PDQ and local features
 * from one fetch and decode, as {@code fingerprint} would have. Everything else passes through.
 *
 * <p>A listing photo that cannot be fetched or read is dead-lettered with the reason, not filed:
 * an unreadable photo must not end the version filed before it. The original record bytes are
 * not kept past decoding, so the dead letter carries the listing re-encoded (offset -1).
 */
public final class FetchListingPhotos extends RichAsyncFunction<DecodedCatalogImage, DecodedCatalogImage> {
    private static final long serialVersionUID = 1L;

    private final EnrichmentSettings settings;
    private final String topic;
    private transient PhotoFetcher fetcher;
    private transient EvidenceFingerprinter fingerprinter;
    private transient Counter fetched;
    private transient Counter failed;

    public FetchListingPhotos(EnrichmentSettings settings, String topic) {
        this.settings = settings;
        this.topic = topic;
    }

    public static SingleOutputStreamOperator<DecodedCatalogImage> enrich(DataStream<DecodedCatalogImage> listings,
            EnrichmentSettings settings, String topic) {
        return AsyncDataStream.orderedWait(listings, new FetchListingPhotos(settings, topic),
                        settings.asyncTimeout().toMillis(), TimeUnit.MILLISECONDS, settings.concurrency())
                .uid("fetch-listing-photos").name("Fetch and fingerprint listing photos");
    }

    @Override
    public void open(OpenContext openContext) {
        fetcher = new PhotoFetcher(settings, "fetch-listing-photos");
        fingerprinter = new EvidenceFingerprinter(settings.decodeLimits());
        fetched = getRuntimeContext().getMetricGroup().counter("listingPhotosFetched", new ThreadSafeSimpleCounter());
        failed = getRuntimeContext().getMetricGroup().counter("listingPhotosFetchFailed", new ThreadSafeSimpleCounter());
    }

    @Override
    public void close() {
        if (fetcher != null) {
            fetcher.close();
        }
    }

    static boolean needsFetching(DecodedCatalogImage decoded) {
        CatalogImage listing = decoded.image();
        return listing != null && !listing.deleted() && listing.pdq() == null && listing.uri() != null;
    }

    @Override
    public void asyncInvoke(DecodedCatalogImage input, ResultFuture<DecodedCatalogImage> result) {
        if (!needsFetching(input)) {
            result.complete(List.of(input));
            return;
        }
        CatalogImage listing = input.image();
        try {
            fetcher.fetch(listing.uri())
                    .thenApplyAsync(bytes -> fingerprint(listing, bytes), fetcher.cpuPool())
                    .exceptionally(error -> rejected(listing, fetcher.describe(PhotoFetcher.unwrap(error))))
                    .thenAccept(done -> {
                        (done.isValid() ? fetched : failed).inc();
                        result.complete(List.of(done));
                    });
        } catch (RuntimeException e) {
            result.complete(List.of(rejected(listing, "internal error: " + fetcher.describe(e))));
        }
    }

    @Override
    public void timeout(DecodedCatalogImage input, ResultFuture<DecodedCatalogImage> result) {
        result.complete(List.of(needsFetching(input) ? rejected(input.image(), "timed out") : input));
    }

    private DecodedCatalogImage fingerprint(CatalogImage listing, byte[] bytes) {
        try {
            return DecodedCatalogImage.ok(fingerprinter.fingerprintListing(listing, bytes));
        } catch (UnreadableEvidenceException e) {
            return rejected(listing, e.getMessage());
        }
    }

    private DecodedCatalogImage rejected(CatalogImage listing, String why) {
        return DecodedCatalogImage.rejected(DeadLetter.ofText(topic, listing.occurredAt(), listing.catalogKey(),
                EventEncoder.toJson(listing), "uri: the listing photo could not be fetched or read: " + why,
                System.currentTimeMillis()));
    }
}
