package io.refundguard.images;

import io.refundguard.events.CatalogImage;
import io.refundguard.identity.PersonEvent;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Listing photos into the index, and matches that a new listing photo found back to persons. */
public final class CatalogProbes {
    private CatalogProbes() {}

    /** Results of listing-photo probes: each evidence photo it matched, to that photo's person. */
    public static FlatMapFunction<ProbeResult, PersonEvent> lateMatches() {
        return (ProbeResult result, Collector<PersonEvent> out) -> {
            for (ImageMatch match : result.matches()) {
                if (match.matched().origin() == ImageOrigin.EVIDENCE) {
                    out.collect(new PersonEvent(match.matched().ownerKey(), null, null,
                            new LateCatalogMatch(match.matched().imageKey(), result.probe(), match.distance())));
                }
            }
        };
    }

    static IndexedImage indexed(CatalogImage listing) {
        PdqHash hash = listing.pdq() == null ? new PdqHash(0, 0, 0, 0) : PdqHash.fromHex(listing.pdq());
        return new IndexedImage(ImageOrigin.CATALOG, listing.catalogKey(), listing.productKey(), listing.platform(),
                hash.w0(), hash.w1(), hash.w2(), hash.w3(), listing.pdqQuality(), listing.occurredAt(),
                listing.merchantIdentityHash());
    }
}
