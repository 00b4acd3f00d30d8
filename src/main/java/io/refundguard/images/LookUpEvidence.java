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
 * with the number of results to expect. Everything else passes straight on.
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
