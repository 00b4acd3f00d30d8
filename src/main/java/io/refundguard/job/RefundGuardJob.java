package io.refundguard.job;

import io.refundguard.alerts.Alert;
import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.Verdict;
import io.refundguard.alerts.VerdictAssembler;
import io.refundguard.events.DeadLetter;
import io.refundguard.events.DecodedEvent;
import io.refundguard.events.DeduplicateEvents;
import io.refundguard.events.RefundEvent;
import io.refundguard.identity.LinkRequestToPerson;
import io.refundguard.identity.PersonEvent;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.patterns.PersonPatternsFunction;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The RefundGuard job graph, read top to bottom. The same graph runs on Kafka ({@code local}, a
 * cluster), on files ({@code replay}) and in tests; only {@link Sources} and {@link Sinks} differ.
 * Every stateful operator has a stable uid so savepoints survive refactoring.
 */
public final class RefundGuardJob {
    public static final String JOB_NAME = "RefundGuard";

    private final RefundGuardConfig config;
    private final Sources sources;
    private final Sinks sinks;

    public RefundGuardJob(RefundGuardConfig config, Sources sources, Sinks sinks) {
        this.config = config;
        this.sources = sources;
        this.sinks = sinks;
    }

    /**
     * The entry point on a Flink cluster (the job jar's main class): Kafka in and out, settings
     * from the packaged {@code config/refundguard.yaml} or {@code --config FILE}, overridden by
     * {@code --set key=value}. Checkpoint storage comes from the cluster unless set in
     * {@code flink.configuration}.
     */
    public static void main(String[] args) throws Exception {
        java.util.List<String> overrides = new java.util.ArrayList<>();
        java.nio.file.Path file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--set") && i + 1 < args.length) {
                overrides.add(args[++i]);
            } else if (args[i].equals("--config") && i + 1 < args.length) {
                file = java.nio.file.Path.of(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + args[i] + "; expected --config FILE or --set key=value");
            }
        }
        RefundGuardConfig config = io.refundguard.job.config.ConfigLoader.load(file, overrides);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FlinkSetup.configuration(config.flink(), config.flink().stateBackend(), null, null));
        boolean checkpointing = !config.flink().checkpointInterval().isZero();
        new RefundGuardJob(config, KafkaIo.sources(config), KafkaIo.sinks(config, checkpointing)).execute(env);
    }

    public JobExecutionResult execute(StreamExecutionEnvironment env) throws Exception {
        wire(env);
        return env.execute(JOB_NAME);
    }

    /** Builds the graph from the sources into the sinks, without running it. */
    public void wire(StreamExecutionEnvironment env) {
        sinks.write(outputs(env));
    }

    /** Builds the graph and returns everything it publishes, serialised for the sinks. */
    public DataStream<OutboundRecord> outputs(StreamExecutionEnvironment env) {
        DataStream<DecodedEvent> decoded = sources.refundEvents(env, RefundWatermarks.strategy(config.eventTime()));

        SingleOutputStreamOperator<RefundEvent> valid = decoded
                .process(new RouteRejected())
                .uid("route-rejected").name("Route rejected records");

        SingleOutputStreamOperator<RefundEvent> unique = valid
                .keyBy(RefundEvent::eventId, Types.STRING)
                .process(new DeduplicateEvents(config.state().dedupeTtl()))
                .uid("deduplicate-events").name("Deduplicate by eventId");

        SingleOutputStreamOperator<PersonEvent> linked = unique
                .keyBy(LinkRequestToPerson::routingKey, Types.STRING)
                .process(new LinkRequestToPerson(config.state().requestLinkTtl(), config.state().orphanTimeout()))
                .uid("link-request-to-person").name("Link request to person");

        SingleOutputStreamOperator<Assessment> personAssessments = linked
                .keyBy(PersonEvent::personKey, Types.STRING)
                .process(new PersonPatternsFunction(config.rules(), config.state().personHistoryTtl()))
                .uid("person-patterns").name("Person patterns: REPEAT_REFUNDER, AMOUNT_TIER");

        DataStream<Alert> alerts = personAssessments.getSideOutput(PersonPatternsFunction.ALERTS);

        DataStream<Verdict> verdicts = personAssessments
                .keyBy(Assessment::requestKey, Types.STRING)
                .process(new VerdictAssembler(config.rules(), config.state().verdictTtl()))
                .uid("assemble-verdicts").name("Assemble verdicts");

        DataStream<DeadLetter> deadLetters = valid.getSideOutput(RouteRejected.REJECTED)
                .union(linked.getSideOutput(LinkRequestToPerson.ORPHANS));

        boolean views = config.topics().platformViews();
        TypeInformation<OutboundRecord> outbound = TypeInformation.of(OutboundRecord.class);
        return alerts.flatMap(ToOutbound.alerts(views)).returns(outbound)
                .uid("serialise-alerts").name("Serialise alerts and platform views")
                .union(
                        verdicts.flatMap(ToOutbound.verdicts(views)).returns(outbound)
                                .uid("serialise-verdicts").name("Serialise verdicts"),
                        deadLetters.map(ToOutbound.deadLetters()).returns(outbound)
                                .uid("serialise-dead-letters").name("Serialise dead letters"));
    }
}
