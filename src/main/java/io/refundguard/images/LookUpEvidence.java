package io.refundguard.images;

import io.refundguard.events.EventType;
import io.refundguard.events.Evidence;
import io.refundguard.events.RefundEvent;
import io.refundguard.identity.PersonEvent;
import io.refundguard.images.index.IndexEntry;
import io.refundguard.images.index.IndexLookup;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends each request's evidence photos to the indexes: a photo with a usable PDQ hash is filed in
 * the photo index (one entry, to the subtask that holds it) and looked up in it (one lookup, to
 * every subtask); a photo with a SHA-256 is probed in the exact-duplicate index; photos with local
 * features go to the listing photos of the product the request names; the request goes to the
 * gather with the lookups it must wait for, without the features. A retraction unfiles the request's photos from
 * both indexes and passes on. Everything else passes straight on.
 */
public final class LookUpEvidence extends ProcessFunction<PersonEvent, PersonEvent> {
    public static final OutputTag<IndexEntry> INDEX_ENTRIES =
            new OutputTag<>("photo-index-entries", TypeInformation.of(IndexEntry.class)) {};
    public static final OutputTag<IndexLookup> INDEX_LOOKUPS =
            new OutputTag<>("photo-index-lookups", TypeInformation.of(IndexLookup.class)) {};
    public static final OutputTag<ExactProbe> EXACT_PROBES =
            new OutputTag<>("exact-probes", TypeInformation.of(ExactProbe.class)) {};
    public static final OutputTag<ListingQuery> LISTING_QUERIES =
            new OutputTag<>("listing-queries", TypeInformation.of(ListingQuery.class)) {};
    public static final OutputTag<ImageLookup> LOOKUPS =
            new OutputTag<>("requests-awaiting-images", TypeInformation.of(ImageLookup.class)) {};
    private static final long serialVersionUID = 1L;

    private final ImageSettings settings;

    public LookUpEvidence(ImageSettings settings) {
        this.settings = settings;
    }

    @Override
    public void processElement(PersonEvent element, Context ctx, Collector<PersonEvent> out) {
        if (element.isRetraction()) {
            unfile(element, ctx);
            out.collect(withoutLocalFeatures(element));
            return;
        }
        RefundEvent event = element.event();
        if (event == null || event.type() != EventType.REFUND_REQUESTED || event.evidence().isEmpty()) {
            out.collect(element);
            return;
        }
        List<String> expected = new ArrayList<>();
        List<ListingQuery.Photo> forListings = new ArrayList<>();
        for (Evidence evidence : event.evidence()) {
            IndexedImage image = indexed(element.personKey(), event, evidence);
            if (evidence.localFeatures() != null) {
                forListings.add(new ListingQuery.Photo(image, evidence.localFeatures()));
                expected.add(image.imageKey() + ListingPhotos.PROBE_SUFFIX);
            }
            if (evidence.pdq() != null && evidence.pdqQuality() >= settings.qualityFloor()) {
                ctx.output(INDEX_ENTRIES, IndexEntry.filing(image));
                ctx.output(INDEX_LOOKUPS, new IndexLookup(event.requestKey(), image));
                expected.add(image.imageKey() + "@pdq");
            }
            if (evidence.sha256() != null) {
                ExactProbe probe = new ExactProbe(evidence.sha256(), event.requestKey(), image);
                ctx.output(EXACT_PROBES, probe);
                expected.add(probe.probeId());
            }
        }
        PersonEvent slim = withoutLocalFeatures(element);
        if (expected.isEmpty()) {
            out.collect(slim);
            return;
        }
        if (!forListings.isEmpty()) {
            ctx.output(LISTING_QUERIES, new ListingQuery(event.requestKey(),
                    event.platform() + ":" + event.merchantId() + ":" + event.productId(), event.occurredAt(),
                    event.eventId(), List.copyOf(forListings)));
        }
        ctx.output(LOOKUPS, new ImageLookup(slim, List.copyOf(expected)));
    }

    /**
     * The request without its photos' local features: they go to the listing comparison only, and
     * at ~10 KB a photo would otherwise cross every exchange and sit in every state downstream.
     */
    private static PersonEvent withoutLocalFeatures(PersonEvent element) {
        RefundEvent event = element.event();
        if (event == null || event.evidence() == null
                || event.evidence().stream().allMatch(e -> e.localFeatures() == null)) {
            return element;
        }
        List<Evidence> slim = event.evidence().stream().map(Evidence::withoutLocalFeatures).toList();
        return new PersonEvent(element.personKey(), event.withEvidence(slim), element.findings(),
                element.lateCatalogMatch(), element.retraction());
    }

    /**
     * An erased person's photos leave both indexes from the erasure's time. A photo that was never
     * filed (no hash, under the quality floor) makes its removal a no-op, which is cheaper than
     * remembering which were.
     */
    private static void unfile(PersonEvent retraction, Context ctx) {
        RefundEvent request = retraction.event();
        if (request == null || request.evidence() == null) {
            return;
        }
        long erasedAt = retraction.retraction().erasedAt();
        for (Evidence evidence : request.evidence()) {
            IndexedImage filed = indexed(retraction.personKey(), request, evidence);
            if (evidence.pdq() != null) {
                ctx.output(INDEX_ENTRIES, IndexEntry.removing(filed, erasedAt));
            }
            if (evidence.sha256() != null) {
                IndexedImage gone = new IndexedImage(filed.origin(), filed.imageKey(), filed.ownerKey(), filed.platform(),
                        filed.w0(), filed.w1(), filed.w2(), filed.w3(), filed.quality(), erasedAt);
                ctx.output(EXACT_PROBES, ExactProbe.erasing(evidence.sha256(), gone));
            }
        }
    }

    static IndexedImage indexed(String personKey, RefundEvent request, Evidence evidence) {
        String imageKey = EvidenceKeys.imageKey(request.platform(), request.requestId(), evidence.imageId());
        if (evidence.pdq() == null) {
            return new IndexedImage(ImageOrigin.EVIDENCE, imageKey, personKey, request.platform(), 0, 0, 0, 0, 0,
                    request.occurredAt());
        }
        return IndexedImage.of(ImageOrigin.EVIDENCE, imageKey, personKey, request.platform(),
                PdqHash.fromHex(evidence.pdq()), evidence.pdqQuality(), request.occurredAt());
    }
}
