package io.refundguard.images;

import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins a request with the results of all its index lookups, keyed by request. Results may come
 * before the request; the request goes on, with its findings, when the count is complete. The
 * same pair found through several slots counts once, at its smallest distance.
 */
public final class GatherImageFindings extends KeyedCoProcessFunction<String, ImageLookup, ProbeResult, PersonEvent> {
    private static final long serialVersionUID = 1L;
    private static final char SEPARATOR = '\u001f';

    private final Duration ttl;
    private transient ValueState<ImageLookup> awaiting;
    private transient ValueState<Integer> resultsReceived;
    private transient MapState<String, EvidenceMatch> matchesByPair;

    public GatherImageFindings(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<ImageLookup> request =
                new ValueStateDescriptor<>("request-awaiting-images", TypeInformation.of(ImageLookup.class));
        request.enableTimeToLive(StateTtl.of(ttl));
        awaiting = getRuntimeContext().getState(request);
        ValueStateDescriptor<Integer> received = new ValueStateDescriptor<>("image-results-received", Types.INT);
        received.enableTimeToLive(StateTtl.of(ttl));
        resultsReceived = getRuntimeContext().getState(received);
        MapStateDescriptor<String, EvidenceMatch> matches = new MapStateDescriptor<>(
                "matches-by-pair", Types.STRING, TypeInformation.of(EvidenceMatch.class));
        matches.enableTimeToLive(StateTtl.of(ttl));
        matchesByPair = getRuntimeContext().getMapState(matches);
    }

    @Override
    public void processElement1(ImageLookup lookup, Context ctx, Collector<PersonEvent> out) throws Exception {
        awaiting.update(lookup);
        emitIfComplete(out);
    }

    @Override
    public void processElement2(ProbeResult result, Context ctx, Collector<PersonEvent> out) throws Exception {
        Integer received = resultsReceived.value();
        resultsReceived.update(received == null ? 1 : received + 1);
        String imageId = EvidenceKeys.imageIdOf(result.probe().imageKey());
        boolean exact = result.probeId().endsWith("@sha256");
        for (ImageMatch match : result.matches()) {
            String pair = imageId + SEPARATOR + match.matched().imageKey();
            EvidenceMatch known = matchesByPair.get(pair);
            if (known == null || match.distance() < known.distance() || (exact && !known.exact())) {
                matchesByPair.put(pair, new EvidenceMatch(imageId, match.matched(), match.distance(), exact));
            }
        }
        emitIfComplete(out);
    }

    private void emitIfComplete(Collector<PersonEvent> out) throws Exception {
        ImageLookup lookup = awaiting.value();
        Integer received = resultsReceived.value();
        if (lookup == null || received == null || received < lookup.expectedResults()) {
            return;
        }
        List<EvidenceMatch> matches = new ArrayList<>();
        for (EvidenceMatch match : matchesByPair.values()) {
            matches.add(match);
        }
        matches.sort(Comparator.comparing(EvidenceMatch::imageId)
                .thenComparingInt(EvidenceMatch::distance)
                .thenComparing(m -> m.matched().imageKey()));
        out.collect(lookup.request().withFindings(new ImageFindings(List.copyOf(matches))));
        awaiting.clear();
        resultsReceived.clear();
        matchesByPair.clear();
    }
}
