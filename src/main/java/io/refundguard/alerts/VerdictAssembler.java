package io.refundguard.alerts;

import io.refundguard.events.Times;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.patterns.PatternCode;
import io.refundguard.patterns.RuleBook;
import io.refundguard.patterns.RuleSet;
import io.refundguard.patterns.RuleSetUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins the assessments of one request into its verdict, keyed by request. Emits as soon as the
 * last expected assessment arrives, so a platform's automatic approval waits no longer than the
 * slowest pattern. Merging is order-independent: the same assessments give the same verdict. The
 * score bands come from the rule set in effect at the request's event time, like every pattern's.
 */
public final class VerdictAssembler extends KeyedBroadcastProcessFunction<String, Assessment, RuleSetUpdate, Verdict> {
    private static final long serialVersionUID = 1L;
    private static final Comparator<Reason> STRONGER_FIRST =
            Comparator.comparingInt(Reason::weight).thenComparing(Reason::severity).reversed();

    private final RuleBook rules;
    private final Duration ttl;
    private final StateTtl stateTtl;
    private transient ValueState<PartialVerdict> partial;

    public VerdictAssembler(RuleSet rules, Duration ttl, StateTtl stateTtl) {
        this.rules = new RuleBook(rules);
        this.ttl = ttl;
        this.stateTtl = stateTtl;
    }

    /** Assessments received so far for one request. */
    public record PartialVerdict(int received, List<Reason> reasons, List<String> alertIds) {}

    @Override
    public void open(OpenContext openContext) {
        partial = getRuntimeContext().getState(stateTtl.sweptAfter(ttl,
                new ValueStateDescriptor<>("assessments-so-far", TypeInformation.of(PartialVerdict.class))));
    }

    @Override
    public void processElement(Assessment assessment, ReadOnlyContext ctx, Collector<Verdict> out) throws Exception {
        PartialVerdict so = partial.value();
        List<Reason> reasons = new ArrayList<>(so == null ? List.of() : so.reasons());
        List<String> alertIds = new ArrayList<>(so == null ? List.of() : so.alertIds());
        reasons.addAll(assessment.reasons());
        alertIds.addAll(assessment.alertIds());
        int received = (so == null ? 0 : so.received()) + 1;
        if (received < assessment.expected()) {
            partial.update(new PartialVerdict(received, reasons, alertIds));
            return;
        }
        partial.clear();
        RuleSet inEffect = rules.at(assessment.eventTime(), ctx.getBroadcastState(RuleBook.UPDATES));
        out.collect(verdict(assessment, reasons, alertIds, inEffect.verdict()));
    }

    @Override
    public void processBroadcastElement(RuleSetUpdate update, Context ctx, Collector<Verdict> out) throws Exception {
        rules.apply(update, ctx.getBroadcastState(RuleBook.UPDATES));
    }

    static Verdict verdict(Assessment last, List<Reason> reasons, List<String> alertIds, VerdictPolicy policy) {
        // A pattern reported by several operators counts once, at its strongest. Equal points can
        // come from different severities (small weights round alike), so severity breaks the tie
        // and the verdict does not depend on arrival order.
        Map<PatternCode, Reason> strongest = new EnumMap<>(PatternCode.class);
        for (Reason reason : reasons) {
            strongest.merge(reason.pattern(), reason, (a, b) -> STRONGER_FIRST.compare(a, b) <= 0 ? a : b);
        }
        List<Reason> ordered = new ArrayList<>(strongest.values());
        ordered.sort(Comparator.comparingInt(Reason::weight).reversed().thenComparing(Reason::pattern));
        int score = Math.min(100, ordered.stream().mapToInt(Reason::weight).sum());
        return new Verdict(last.platform(), last.requestId(), score, policy.actionFor(score, ordered), ordered,
                List.copyOf(new TreeSet<>(alertIds)), last.ruleSetVersion(),
                Times.format(last.eventTime(), last.utcOffsetSeconds()), Times.formatUtc(System.currentTimeMillis()));
    }
}
