package io.refundguard.patterns;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.AbstractBroadcastStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/**
 * Operator harnesses for the rule-driven keyed functions: the function on its keyed input, with
 * the rule-set broadcast as its second input.
 */
public final class RuleHarness {
    private RuleHarness() {}

    /** Not yet opened, so a test can set the TTL clock first; then {@link #start}. */
    public static <K, I, O> KeyedBroadcastOperatorTestHarness<K, I, RuleSetUpdate, O> create(
            KeyedBroadcastProcessFunction<K, I, RuleSetUpdate, O> function, KeySelector<I, K> key,
            TypeInformation<K> keyType) throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(function, List.of(RuleBook.UPDATES)), key, keyType, 1, 1, 0);
    }

    /**
     * Opens the harness with a control input that holds nothing back (as a quiet topic does once
     * idle), so {@code processWatermark} on the keyed input alone moves event time; rule updates
     * can still be sent with {@code processBroadcastElement}.
     */
    public static <K, I, O> KeyedBroadcastOperatorTestHarness<K, I, RuleSetUpdate, O> start(
            KeyedBroadcastOperatorTestHarness<K, I, RuleSetUpdate, O> harness) throws Exception {
        harness.open();
        harness.processBroadcastWatermark(Long.MAX_VALUE);
        return harness;
    }

    public static <K, I, O> KeyedBroadcastOperatorTestHarness<K, I, RuleSetUpdate, O> started(
            KeyedBroadcastProcessFunction<K, I, RuleSetUpdate, O> function, KeySelector<I, K> key,
            TypeInformation<K> keyType) throws Exception {
        return start(create(function, key, keyType));
    }

    /** Keyed state entries of all keys (the rule updates are operator state, not counted). */
    public static int numKeyedStateEntries(AbstractBroadcastStreamOperatorTestHarness<?, ?, ?> harness) {
        AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) harness.getTwoInputOperator();
        return ((HeapKeyedStateBackend<?>) operator.getKeyedStateBackend()).numKeyValueStateEntries();
    }

    /**
     * The keys holding an entry in any of the named keyed states (a state never created holds
     * none); for checks that one key was left empty while others still hold theirs.
     */
    public static <K> Set<K> keysHoldingState(AbstractBroadcastStreamOperatorTestHarness<?, ?, ?> harness,
            String... stateNames) {
        AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) harness.getTwoInputOperator();
        @SuppressWarnings("unchecked")
        HeapKeyedStateBackend<K> backend = (HeapKeyedStateBackend<K>) operator.getKeyedStateBackend();
        Set<K> keys = new TreeSet<>();
        for (String state : stateNames) {
            backend.getKeys(state, VoidNamespace.INSTANCE).forEach(keys::add);
        }
        return keys;
    }
}
