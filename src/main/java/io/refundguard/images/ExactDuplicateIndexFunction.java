package io.refundguard.images;

import io.refundguard.eventtime.EventTimeOrderedFunction;
import io.refundguard.eventtime.StateTtl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * Exact reuse of an evidence file, keyed by its SHA-256: every earlier evidence photo with the same
 * bytes (within retention, event time) is a match at distance 0. One result per probe, like the
 * near-duplicate index, so the gather can count them. An erasing probe only unfiles its photo.
 */
public final class ExactDuplicateIndexFunction extends EventTimeOrderedFunction<String, ExactProbe, ProbeResult> {
    private static final long serialVersionUID = 1L;

    private final Duration retention;
    private final StateTtl stateTtl;
    private transient MapState<String, IndexedImage> imagesWithThisDigest;

    public ExactDuplicateIndexFunction(Duration retention, StateTtl stateTtl) {
        super(TypeInformation.of(ExactProbe.class));
        this.retention = retention;
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        MapStateDescriptor<String, IndexedImage> descriptor = new MapStateDescriptor<>(
                "evidence-with-this-sha256", Types.STRING, TypeInformation.of(IndexedImage.class));
        imagesWithThisDigest = getRuntimeContext().getMapState(stateTtl.expiredByOwner(retention, descriptor));
    }

    @Override
    protected long timestampOf(ExactProbe probe) {
        return probe.image().occurredAt();
    }

    @Override
    protected String tieBreakerOf(ExactProbe probe) {
        return probe.probeId();
    }

    @Override
    protected void processInOrder(ExactProbe probe, Context ctx, Collector<ProbeResult> out) throws Exception {
        IndexedImage image = probe.image();
        if (probe.erase()) {
            imagesWithThisDigest.remove(image.imageKey());
            return;
        }
        long horizon = image.occurredAt() - retention.toMillis();
        List<ImageMatch> matches = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, IndexedImage> entry : imagesWithThisDigest.entries()) {
            IndexedImage stored = entry.getValue();
            if (stored.occurredAt() < horizon) {
                expired.add(entry.getKey());
            } else if (!stored.imageKey().equals(image.imageKey())) {
                matches.add(new ImageMatch(stored, 0));
            }
        }
        for (String key : expired) {
            imagesWithThisDigest.remove(key);
        }
        imagesWithThisDigest.put(image.imageKey(), image);
        out.collect(new ProbeResult(probe.requestKey(), probe.probeId(), image, List.copyOf(matches)));
    }
}
