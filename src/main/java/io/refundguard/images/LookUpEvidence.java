package io.refundguard.images;

import io.refundguard.events.EventType;
import io.refundguard.events.Evidence;
import io.refundguard.events.RefundEvent;
import io.refundguard.identity.PersonEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends each request's evidence photos to the indexes: 272 near-duplicate probes per photo with a
 * usable PDQ hash, one exact probe per photo with a SHA-256, and the request itself to the gather
 * with the number of results to expect. A retraction unfiles the request's photos from both
 * indexes and passes on. Everything else passes straight on.
 */
public final class LookUpEvidence extends ProcessFunction<PersonEvent, PersonEvent> {
    public static final OutputTag<ImageProbe> PROBES =
            new OutputTag<>("near-duplicate-probes", TypeInformation.of(ImageProbe.class)) {};
    public static final OutputTag<ExactProbe> EXACT_PROBES =
            new OutputTag<>("exact-probes", TypeInformation.of(ExactProbe.class)) {};
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
            out.collect(element);
            return;
        }
        RefundEvent event = element.event();
        if (event == null || event.type() != EventType.REFUND_REQUESTED || event.evidence().isEmpty()) {
            out.collect(element);
            return;
        }
        List<ImageProbe> probes = new ArrayList<>();
        List<ExactProbe> exact = new ArrayList<>();
        for (Evidence evidence : event.evidence()) {
            IndexedImage image = indexed(element.personKey(), event, evidence);
            if (evidence.pdq() != null && evidence.pdqQuality() >= settings.qualityFloor()) {
                probes.addAll(ImageProbe.fanOut(image, event.requestKey(), settings.radius()));
            }
            if (evidence.sha256() != null) {
                exact.add(new ExactProbe(evidence.sha256(), event.requestKey(), image));
            }
        }
        if (probes.isEmpty() && exact.isEmpty()) {
            out.collect(element);
            return;
        }
        probes.forEach(probe -> ctx.output(PROBES, probe));
        exact.forEach(probe -> ctx.output(EXACT_PROBES, probe));
        ctx.output(LOOKUPS, new ImageLookup(element, probes.size() + exact.size()));
    }

    /**
     * An erased person's photos leave both indexes: DELETE at the 16 slot keys each was filed under,
     * and at its digest. A photo that was never filed (no hash, under the quality floor) makes its
     * deletes no-ops, which is cheaper than remembering which were.
     */
    private static void unfile(PersonEvent retraction, Context ctx) {
        RefundEvent request = retraction.event();
        if (request == null || request.evidence() == null) {
            return;
        }
        long erasedAt = retraction.retraction().erasedAt();
        for (Evidence evidence : request.evidence()) {
            IndexedImage filed = indexed(retraction.personKey(), request, evidence);
            IndexedImage gone = new IndexedImage(filed.origin(), filed.imageKey(), filed.ownerKey(), filed.platform(),
                    filed.w0(), filed.w1(), filed.w2(), filed.w3(), filed.quality(), erasedAt);
            if (evidence.pdq() != null) {
                ImageProbe.fanOutDelete(gone).forEach(probe -> ctx.output(PROBES, probe));
            }
            if (evidence.sha256() != null) {
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
