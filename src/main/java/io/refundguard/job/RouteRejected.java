package io.refundguard.job;

import io.refundguard.events.DeadLetter;
import io.refundguard.events.DecodedEvent;
import io.refundguard.events.RefundEvent;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Valid events continue; rejected records leave on {@link #REJECTED} for the dead-letter topic. */
public final class RouteRejected extends ProcessFunction<DecodedEvent, RefundEvent> {
    public static final OutputTag<DeadLetter> REJECTED =
            new OutputTag<>("rejected-records", TypeInformation.of(DeadLetter.class)) {};
    public static final String RECORDS_READ = "recordsRead";
    public static final String RECORDS_REJECTED = "recordsRejected";
    private static final long serialVersionUID = 1L;

    private transient Counter rejected;
    private transient LongCounter readTotal;
    private transient LongCounter rejectedTotal;

    @Override
    public void open(OpenContext openContext) {
        rejected = getRuntimeContext().getMetricGroup().counter("deadLetters");
        readTotal = new LongCounter();
        rejectedTotal = new LongCounter();
        getRuntimeContext().addAccumulator(RECORDS_READ, readTotal);
        getRuntimeContext().addAccumulator(RECORDS_REJECTED, rejectedTotal);
    }

    @Override
    public void processElement(DecodedEvent decoded, Context ctx, Collector<RefundEvent> out) {
        readTotal.add(1);
        if (decoded.isValid()) {
            out.collect(decoded.event());
        } else {
            rejected.inc();
            rejectedTotal.add(1);
            ctx.output(REJECTED, decoded.rejected());
        }
    }
}
