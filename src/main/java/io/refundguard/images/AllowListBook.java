package io.refundguard.images;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The allow-lists the gather filters findings with: the one from {@code config/} and those of the
 * rule sets published since, by the event time they take effect, as the rule book keeps rule sets.
 */
public final class AllowListBook implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final MapStateDescriptor<Long, AllowListUpdate> UPDATES = new MapStateDescriptor<>(
            "photo-allow-list-updates", Types.LONG, TypeInformation.of(AllowListUpdate.class));
    /** As many as the rule book keeps: an event older than that many changes uses config/'s list. */
    private static final int KEPT = 16;

    private final PhotoAllowList initial;
    private transient PhotoAllowList.Matcher initialMatcher;
    private transient NavigableMap<Long, PhotoAllowList.Matcher> inEffect;

    public AllowListBook(PhotoAllowList initial) {
        this.initial = initial;
    }

    public PhotoAllowList.Matcher at(long eventTime, ReadOnlyBroadcastState<Long, AllowListUpdate> updates) throws Exception {
        if (inEffect == null) {
            NavigableMap<Long, PhotoAllowList.Matcher> copy = new TreeMap<>();
            for (Map.Entry<Long, AllowListUpdate> e : updates.immutableEntries()) {
                copy.put(e.getKey(), e.getValue().allowList().matcher());
            }
            inEffect = copy;
        }
        Map.Entry<Long, PhotoAllowList.Matcher> latest = inEffect.floorEntry(eventTime);
        if (latest != null) {
            return latest.getValue();
        }
        if (initialMatcher == null) {
            initialMatcher = initial.matcher();
        }
        return initialMatcher;
    }

    /** Records an update; two for one instant resolve by version, as rule sets do. */
    public void apply(AllowListUpdate update, BroadcastState<Long, AllowListUpdate> updates) throws Exception {
        inEffect = null;
        AllowListUpdate existing = updates.get(update.effectiveFrom());
        if (existing != null && existing.version().compareTo(update.version()) > 0) {
            return;
        }
        updates.put(update.effectiveFrom(), update);
        List<Long> times = new ArrayList<>();
        for (Map.Entry<Long, AllowListUpdate> e : updates.entries()) {
            times.add(e.getKey());
        }
        times.sort(null);
        for (int i = 0; i < times.size() - KEPT; i++) {
            updates.remove(times.get(i));
        }
    }
}
