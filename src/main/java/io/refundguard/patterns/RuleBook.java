package io.refundguard.patterns;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The rule sets an operator decides with: the one from {@code config/} the job started with, and
 * the updates published since on {@code detector-control}, kept in broadcast state by the time
 * they take effect. An event is decided by the rule set in effect at its event time, so every
 * operator, every subtask and every replay of the same input agree on which rules decided what.
 */
public final class RuleBook implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Broadcast state: effectiveFrom (epoch millis) to the update taking effect then. */
    public static final MapStateDescriptor<Long, RuleSetUpdate> UPDATES =
            new MapStateDescriptor<>("rule-set-updates", Types.LONG, new RuleSetUpdateTypeInfo());

    /**
     * Updates kept. Older ones matter only to an event so late that this many rule changes took
     * effect after it; such an event is decided by the rules from {@code config/}.
     */
    static final int KEPT = 16;

    private final RuleSet initial;
    /** Read-through copy of the broadcast state; rebuilt after an update or a restore. */
    private transient NavigableMap<Long, RuleSet> inEffect;

    public RuleBook(RuleSet initial) {
        if (initial == null) {
            throw new IllegalArgumentException("initial rule set must be present");
        }
        this.initial = initial;
    }

    public RuleSet initial() {
        return initial;
    }

    /** The rule set deciding an event at {@code eventTime}. */
    public RuleSet at(long eventTime, ReadOnlyBroadcastState<Long, RuleSetUpdate> updates) throws Exception {
        if (inEffect == null) {
            NavigableMap<Long, RuleSet> copy = new TreeMap<>();
            for (Map.Entry<Long, RuleSetUpdate> e : updates.immutableEntries()) {
                copy.put(e.getKey(), e.getValue().rules());
            }
            inEffect = copy;
        }
        Map.Entry<Long, RuleSet> latest = inEffect.floorEntry(eventTime);
        return latest != null ? latest.getValue() : initial;
    }

    /**
     * Records an update. Every subtask must end in the same state whatever order updates arrive
     * in (several control partitions), so two updates for the same instant resolve by version, not
     * by arrival, and trimming keeps the newest by effective time.
     */
    public void apply(RuleSetUpdate update, BroadcastState<Long, RuleSetUpdate> updates) throws Exception {
        inEffect = null;
        RuleSetUpdate existing = updates.get(update.effectiveFrom());
        if (existing != null && existing.version().compareTo(update.version()) > 0) {
            return;
        }
        updates.put(update.effectiveFrom(), update);
        List<Long> times = new ArrayList<>();
        for (Map.Entry<Long, RuleSetUpdate> e : updates.entries()) {
            times.add(e.getKey());
        }
        times.sort(null);
        for (int i = 0; i < times.size() - KEPT; i++) {
            updates.remove(times.get(i));
        }
    }
}
