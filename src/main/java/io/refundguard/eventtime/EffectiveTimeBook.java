package io.refundguard.eventtime;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;

/**
 * Updates that take effect at an event time (rule sets, photo allow-lists), kept in broadcast
 * state by that time, and what an operator makes of them ({@code V}). An event is decided by the
 * update in effect at its event time, so every operator, every subtask and every replay of the
 * same input agree on what decided it; before the first update, by the start value.
 *
 * @param <U> the update as broadcast and kept in state
 * @param <V> what an operator needs of an update, built once per update and restore
 */
public abstract class EffectiveTimeBook<U, V> implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Updates kept. Older ones matter only to an event so late that this many changes took effect
     * after it; such an event is decided by the start value.
     */
    public static final int KEPT = 16;

    /** Read-through copy of the broadcast state; rebuilt after an update or a restore. */
    private transient NavigableMap<Long, V> inEffect;
    private transient V initialView;

    protected abstract long effectiveFrom(U update);

    /** Breaks a tie between two updates for the same instant: the greater version wins. */
    protected abstract String version(U update);

    protected abstract V view(U update);

    /** What decides events before the first update kept. */
    protected abstract V initialView();

    /** What decides an event at {@code eventTime}. */
    public V at(long eventTime, ReadOnlyBroadcastState<Long, U> updates) throws Exception {
        if (inEffect == null) {
            NavigableMap<Long, V> copy = new TreeMap<>();
            for (Map.Entry<Long, U> e : updates.immutableEntries()) {
                copy.put(e.getKey(), view(e.getValue()));
            }
            inEffect = copy;
        }
        Map.Entry<Long, V> latest = inEffect.floorEntry(eventTime);
        if (latest != null) {
            return latest.getValue();
        }
        if (initialView == null) {
            initialView = initialView();
        }
        return initialView;
    }

    /**
     * Records an update. Every subtask must end in the same state whatever order updates arrive
     * in (several control partitions), so two updates for the same instant resolve by version, not
     * by arrival, and trimming keeps the newest by effective time.
     */
    public void apply(U update, BroadcastState<Long, U> updates) throws Exception {
        inEffect = null;
        long at = effectiveFrom(update);
        U existing = updates.get(at);
        if (existing != null && version(existing).compareTo(version(update)) > 0) {
            return;
        }
        updates.put(at, update);
        List<Long> times = new ArrayList<>();
        for (Map.Entry<Long, U> e : updates.entries()) {
            times.add(e.getKey());
        }
        times.sort(null);
        for (int i = 0; i < times.size() - KEPT; i++) {
            updates.remove(times.get(i));
        }
    }
}
