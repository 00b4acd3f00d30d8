package io.refundguard.patterns;

import io.refundguard.eventtime.EffectiveTimeBook;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The rule sets an operator decides with: the one from {@code config/} the job started with, and
 * the updates published since on {@code detector-control}, kept in broadcast state by the time
 * they take effect. An event is decided by the rule set in effect at its event time, so every
 * operator, every subtask and every replay of the same input agree on which rules decided what.
 */
public final class RuleBook extends EffectiveTimeBook<RuleSetUpdate, RuleSet> {
    private static final long serialVersionUID = 1L;

    /** Broadcast state: effectiveFrom (epoch millis) to the update taking effect then. */
    public static final MapStateDescriptor<Long, RuleSetUpdate> UPDATES =
            new MapStateDescriptor<>("rule-set-updates", Types.LONG, new RuleSetUpdateTypeInfo());

    private final RuleSet initial;

    public RuleBook(RuleSet initial) {
        if (initial == null) {
            throw new IllegalArgumentException("initial rule set must be present");
        }
        this.initial = initial;
    }

    public RuleSet initial() {
        return initial;
    }

    @Override
    protected long effectiveFrom(RuleSetUpdate update) {
        return update.effectiveFrom();
    }

    @Override
    protected String version(RuleSetUpdate update) {
        return update.version();
    }

    @Override
    protected RuleSet view(RuleSetUpdate update) {
        return update.rules();
    }

    @Override
    protected RuleSet initialView() {
        return initial;
    }
}
