package io.refundguard.images;

import io.refundguard.eventtime.StateTtl;
import io.refundguard.events.Evidence;
import io.refundguard.events.RefundEvent;
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
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins a request with the answers of all its index lookups, keyed by request. Answers may come
 * before the request, and the photo index answers each lookup in parts (one per subtask); the
 * request goes on, with its findings, when every lookup it waits for is covered in full. The same
 * pair found more than once counts once, at its smallest distance; a pair the local comparison
 * looked at (evidence against the named product's listing photos) is a match only if it found a copy.
 * A match involving a photo on the allow-list in effect at the request's time is dropped here, so
 * no pattern and no shared-image cluster ever sees it.
 */
public final class GatherImageFindings extends KeyedBroadcastProcessFunction<String, GatherInput, AllowListUpdate, PersonEvent> {
    private static final long serialVersionUID = 1L;
    private static final char SEPARATOR = '\u001f';

    private final Duration ttl;
    private final AllowListBook allowLists;
    private final StateTtl stateTtl;
    private transient ValueState<ImageLookup> awaiting;
    private transient MapState<String, Integer> missingByProbe;
    private transient MapState<String, EvidenceMatch> matchesByPair;
    private transient MapState<String, Boolean> comparedLocally;

    public GatherImageFindings(Duration ttl, PhotoAllowList startAllowList, StateTtl stateTtl) {
        this.ttl = ttl;
        this.allowLists = new AllowListBook(startAllowList);
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        awaiting = getRuntimeContext().getState(stateTtl.sweptAfter(ttl,
                new ValueStateDescriptor<>("request-awaiting-images", TypeInformation.of(ImageLookup.class))));
        missingByProbe = getRuntimeContext().getMapState(stateTtl.sweptAfter(ttl,
                new MapStateDescriptor<>("lookup-shares-missing", Types.STRING, Types.INT)));
        matchesByPair = getRuntimeContext().getMapState(stateTtl.sweptAfter(ttl, new MapStateDescriptor<>(
                "matches-by-pair", Types.STRING, TypeInformation.of(EvidenceMatch.class))));
        comparedLocally = getRuntimeContext().getMapState(stateTtl.sweptAfter(ttl,
                new MapStateDescriptor<>("pairs-compared-locally", Types.STRING, Types.BOOLEAN)));
    }

    @Override
    public void processElement(GatherInput input, ReadOnlyContext ctx, Collector<PersonEvent> out) throws Exception {
        if (input.lookup() != null) {
            awaiting.update(input.lookup());
        } else {
            record(input.result());
        }
        emitIfComplete(ctx, out);
    }

    @Override
    public void processBroadcastElement(AllowListUpdate update, Context ctx, Collector<PersonEvent> out) throws Exception {
        allowLists.apply(update, ctx.getBroadcastState(AllowListBook.UPDATES));
    }

    private void record(ProbeResult result) throws Exception {
        // Kept as the shares still missing, so "complete" needs no second map of totals.
        Integer missing = missingByProbe.get(result.probeId());
        missingByProbe.put(result.probeId(), (missing == null ? result.total() : missing) - result.covered());
        String imageId = EvidenceKeys.imageIdOf(result.probe().imageKey());
        boolean exact = result.probeId().endsWith("@sha256");
        for (ImageMatch match : result.matches()) {
            String pair = imageId + SEPARATOR + match.matched().imageKey();
            EvidenceMatch known = matchesByPair.get(pair);
            matchesByPair.put(pair, known == null
                    ? new EvidenceMatch(imageId, match.matched(), match.distance(), exact, match.copy())
                    : merged(known, match, exact));
        }
        for (String listing : result.comparedWith()) {
            comparedLocally.put(imageId + SEPARATOR + listing, true);
        }
    }

    private void emitIfComplete(ReadOnlyContext ctx, Collector<PersonEvent> out) throws Exception {
        ImageLookup lookup = awaiting.value();
        if (lookup == null) {
            return;
        }
        for (String probe : lookup.expectedProbes()) {
            Integer missing = missingByProbe.get(probe);
            if (missing == null || missing != 0) {
                return;
            }
        }
        RefundEvent request = lookup.request().event();
        PhotoAllowList.Matcher allowed = allowLists.at(request.occurredAt(), ctx.getBroadcastState(AllowListBook.UPDATES));
        List<EvidenceMatch> matches = new ArrayList<>();
        for (var entry : matchesByPair.entries()) {
            if (!allowed.isEmpty() && involvesAllowedPhoto(entry.getValue(), request, allowed)) {
                continue;
            }
            // Where the local comparison looked at a pair, it decides: hashes close by chance (two
            // honest photos of one product) do not make a copy, and it names the changes if it is one.
            if (entry.getValue().copy() == null && comparedLocally.contains(entry.getKey())) {
                continue;
            }
            matches.add(entry.getValue());
        }
        matches.sort(Comparator.comparing(EvidenceMatch::imageId)
                .thenComparingInt(EvidenceMatch::distance)
                .thenComparing(m -> m.matched().imageKey()));
        out.collect(lookup.request().withFindings(new ImageFindings(List.copyOf(matches))));
        awaiting.clear();
        missingByProbe.clear();
        matchesByPair.clear();
        comparedLocally.clear();
    }

    /** A sample or stock photo on the allow-list makes a match no reuse and no listing copy. */
    private static boolean involvesAllowedPhoto(EvidenceMatch match, RefundEvent request, PhotoAllowList.Matcher allowed) {
        IndexedImage matched = match.matched();
        if (matched.quality() > 0 && allowed.allowsHash(matched.hash())) {
            return true;
        }
        for (Evidence evidence : request.evidence()) {
            if (evidence.imageId().equals(match.imageId())) {
                return allowed.allows(evidence.sha256(), evidence.pdq() == null ? null : PdqHash.fromHex(evidence.pdq()));
            }
        }
        return false;
    }

    /** One pair found twice: the smaller distance, exact if either was, and the local finding if any. */
    private static EvidenceMatch merged(EvidenceMatch known, ImageMatch found, boolean exact) {
        return new EvidenceMatch(known.imageId(), known.matched(), Math.min(known.distance(), found.distance()),
                known.exact() || exact, known.copy() != null ? known.copy() : found.copy());
    }
}
