package io.refundguard.job;

import io.refundguard.events.DeadLetter;
import io.refundguard.events.Decoded;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Valid records continue; rejected ones leave on {@link #REJECTED} for the dead-letter topic.
 * Counts both, as metrics and as accumulators named after the input.
 */
public final class RouteRejected<D extends Decoded<T>, T> extends ProcessFunction<D, T> {
    public static final OutputTag<DeadLetter> REJECTED =
            new OutputTag<>("rejected-records", TypeInformation.of(DeadLetter.class)) {};
    public static final String EVENTS = "refundEvents";
    public static final String CATALOG = "catalogImages";
    public static final String CONTROL = "control";
    private static final long serialVersionUID = 1L;

    private final String input;
    private transient Counter rejected;
    private transient LongCounter readTotal;
    private transient LongCounter rejectedTotal;

    public RouteRejected(String input) {
        this.input = input;
    }

    public static String recordsRead(String input) {
        return input + ".recordsRead";
    }

    public static String recordsRejected(String input) {
        return input + ".recordsRejected";
    }

    @Override
    public void open(OpenContext openContext) {
        rejected = getRuntimeContext().getMetricGroup().counter("deadLetters");
        readTotal = new LongCounter();
        rejectedTotal = new LongCounter();
        getRuntimeContext().addAccumulator(recordsRead(input), readTotal);
        getRuntimeContext().addAccumulator(recordsRejected(input), rejectedTotal);
    }

    @Override
    public void processElement(D decoded, Context ctx, Collector<T> out) {
        readTotal.add(1);
        if (decoded.value() != null) {
            out.collect(decoded.value());
        } else {
            rejected.inc();
            rejectedTotal.add(1);
            ctx.output(REJECTED, decoded.rejected());
        }
    }
}
