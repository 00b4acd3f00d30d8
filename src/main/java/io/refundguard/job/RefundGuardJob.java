package io.refundguard.job;

import io.refundguard.alerts.Alert;
import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.ReportAutomaticApprovals;
import io.refundguard.alerts.Verdict;
import io.refundguard.alerts.VerdictAssembler;
import io.refundguard.events.CatalogImage;
import io.refundguard.events.DeadLetter;
import io.refundguard.events.DecodedCatalogImage;
import io.refundguard.events.DecodedEvent;
import io.refundguard.events.DeduplicateEvents;
import io.refundguard.events.RefundEvent;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.ErasureLedger;
import io.refundguard.identity.LinkRequestToPerson;
import io.refundguard.identity.PersonEvent;
import io.refundguard.identity.PersonKeys;
import io.refundguard.images.CatalogProbes;
import io.refundguard.images.AllowListBook;
import io.refundguard.images.AllowListUpdate;
import io.refundguard.images.FetchListingPhotos;
import io.refundguard.images.GatherInput;
import io.refundguard.images.ListingInput;
import io.refundguard.images.ListingPhotos;
import io.refundguard.images.ExactDuplicateIndexFunction;
import io.refundguard.images.ExactProbe;
import io.refundguard.images.FetchEvidence;
import io.refundguard.images.GatherImageFindings;
import io.refundguard.images.ImageSettings;
import io.refundguard.images.LookUpEvidence;
import io.refundguard.images.index.IndexEntry;
import io.refundguard.images.index.IndexLookup;
import io.refundguard.images.index.PhotoIndexOperator;
import io.refundguard.images.ProbeResult;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.patterns.AssessingFunction;
import io.refundguard.patterns.Assessor;
import io.refundguard.patterns.AttributedRequest;
import io.refundguard.patterns.ClusterKeys;
import io.refundguard.patterns.ClusterMemberships;
import io.refundguard.patterns.DecodedRuleSetUpdate;
import io.refundguard.patterns.FanOut;
import io.refundguard.patterns.ImageClusterFunction;
import io.refundguard.patterns.MerchantBurstFunction;
import io.refundguard.patterns.MerchantRequest;
import io.refundguard.patterns.PersonPatternsFunction;
import io.refundguard.patterns.RuleBook;
import io.refundguard.patterns.RuleSetUpdate;
import io.refundguard.patterns.RuleSetUpdateTypeInfo;
import io.refundguard.patterns.SharedAttributeRingFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
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
    private final StateTtl stateTtl;
    private final Sources sources;
    private final Sinks sinks;

    /** A job that runs for long: every keyed state has its processing-time TTL. */
    public RefundGuardJob(RefundGuardConfig config, Sources sources, Sinks sinks) {
        this(config, StateTtl.PROCESSING_TIME, sources, sinks);
    }

    /** @param stateTtl {@link StateTtl#NONE} only for a bounded run that throws its state away ({@code replay}) */
    public RefundGuardJob(RefundGuardConfig config, StateTtl stateTtl, Sources sources, Sinks sinks) {
        this.config = config;
        this.stateTtl = stateTtl;
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
        new RefundGuardJob(config, StateTtl.PROCESSING_TIME, KafkaIo.sources(config), KafkaIo.sinks(config, checkpointing))
                .execute(env);
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
        return graph(env).outputs();
    }

    /** The built graph: what it publishes, and the assessments behind its verdicts (tests count them). */
    record Graph(DataStream<Assessment> assessments, DataStream<OutboundRecord> outputs) {}

    Graph graph(StreamExecutionEnvironment env) {
        ImageSettings images = config.images();

        // Input: decode, dead-letter what cannot be used, drop redeliveries, find the person.
        SingleOutputStreamOperator<RefundEvent> valid = sources
                .refundEvents(env, RefundWatermarks.strategy(config.eventTime()))
                .process(new RouteRejected<DecodedEvent, RefundEvent>(RouteRejected.EVENTS)).returns(RefundEvent.class)
                .uid("route-rejected").name("Route rejected records");

        SingleOutputStreamOperator<RefundEvent> unique = valid
                .keyBy(RefundEvent::eventId, Types.STRING)
                .process(new DeduplicateEvents(config.state().dedupeTtl(), stateTtl))
                .uid("deduplicate-events").name("Deduplicate by eventId");

        // Requests and erasures name their person; fetch photos given by link, note where each
        // request goes (an erasure retracts it from there), then link decisions to their request.
        DataStream<PersonEvent> named = unique
                .filter(LinkRequestToPerson::namesItsPerson).name("Requests and erasures")
                .map(event -> new PersonEvent(PersonKeys.named(event), event)).returns(PersonEvent.class)
                .name("Name the person");
        SingleOutputStreamOperator<PersonEvent> ledgered = FetchEvidence.enrich(named, config.enrichment())
                .keyBy(PersonEvent::personKey, Types.STRING)
                .process(new ErasureLedger(config.requestTraceLifetime(), config.state().maxRequestsPerPerson(), stateTtl))
                .uid("erasure-ledger").name("Erasure ledger: where each request went");
        SingleOutputStreamOperator<PersonEvent> linked = ledgered
                .connect(unique.filter(event -> !LinkRequestToPerson.namesItsPerson(event)).name("Decisions and outcomes"))
                .keyBy(LinkRequestToPerson::routingKey, LinkRequestToPerson::routingKey, Types.STRING)
                .process(new LinkRequestToPerson(config.state().requestLinkTtl(), config.state().orphanTimeout(),
                        config.state().maxWaitingPerRequest(), stateTtl))
                .uid("link-request-to-person").name("Link request to person");

        // Images: each request's evidence against every photo seen before and the merchants' catalog.
        SingleOutputStreamOperator<PersonEvent> lookedUp = linked
                .process(new LookUpEvidence(images))
                .uid("look-up-evidence").name("Look up evidence photos");

        // Listing photos per product: their versions for the index, and the local comparison of
        // each request's evidence with the photos of the product it names.
        DataStream<ListingInput> listingInputs = lookedUp.getSideOutput(LookUpEvidence.LISTING_QUERIES)
                .map(ListingInput::of).returns(ListingInput.class).name("Evidence for the named product");
        List<DataStream<DeadLetter>> rejectedListings = new ArrayList<>();
        Optional<DataStream<DecodedCatalogImage>> catalog =
                sources.catalogImages(env, RefundWatermarks.forCatalog(config.eventTime()));
        if (catalog.isPresent()) {
            SingleOutputStreamOperator<CatalogImage> listings = FetchListingPhotos
                    .enrich(catalog.get(), config.enrichment(), config.topics().catalogImages())
                    .process(new RouteRejected<DecodedCatalogImage, CatalogImage>(RouteRejected.CATALOG)).returns(CatalogImage.class)
                    .uid("route-rejected-listings").name("Route rejected listing photos");
            rejectedListings.add(listings.getSideOutput(RouteRejected.REJECTED));
            listingInputs = listingInputs.union(listings.map(ListingInput::of).returns(ListingInput.class)
                    .name("Listing photos"));
        }
        SingleOutputStreamOperator<IndexEntry> listingEntries = listingInputs
                .keyBy(ListingInput::productKey, Types.STRING)
                .process(new ListingPhotos(images, stateTtl))
                .uid("listing-photos").name("Listing photos per product: versions, local comparison");
        DataStream<IndexEntry> indexEntries = lookedUp.getSideOutput(LookUpEvidence.INDEX_ENTRIES).union(listingEntries);
        DataStream<IndexLookup> indexLookups = lookedUp.getSideOutput(LookUpEvidence.INDEX_LOOKUPS)
                .union(listingEntries.getSideOutput(ListingPhotos.LOOKUPS));

        DataStream<ProbeResult> results = indexEntries
                .keyBy(IndexEntry::photoId, Types.LONG)
                .connect(indexLookups.broadcast())
                .transform("Photo index (in-memory multi-index over keyed state)", TypeInformation.of(ProbeResult.class),
                        new PhotoIndexOperator(images.radius(), images.retention(), images.catalogRetention(),
                                images.catalogLookback(), stateTtl))
                .uid("photo-index")
                .union(lookedUp.getSideOutput(LookUpEvidence.EXACT_PROBES)
                        .keyBy(ExactProbe::sha256, Types.STRING)
                        .process(new ExactDuplicateIndexFunction(images.retention(), stateTtl))
                        .uid("exact-duplicate-index").name("SHA-256 exact-duplicate index"))
                .union(listingEntries.getSideOutput(ListingPhotos.ANSWERS));

        // Rules: the set from config/, replaced at run time by updates on detector-control.
        List<DataStream<DeadLetter>> rejectedInputs = new ArrayList<>(rejectedListings);
        DataStream<RuleSetUpdate> ruleUpdates = ruleSetUpdates(env, rejectedInputs);
        BroadcastStream<RuleSetUpdate> rules = ruleUpdates.broadcast(RuleBook.UPDATES);
        BroadcastStream<AllowListUpdate> allowLists = ruleUpdates
                .map(u -> new AllowListUpdate(u.effectiveFrom(), u.version(), u.rules().photoAllowList()))
                .returns(AllowListUpdate.class).name("Photo allow-lists of the rule sets")
                .broadcast(AllowListBook.UPDATES);

        SingleOutputStreamOperator<PersonEvent> enriched = lookedUp.getSideOutput(LookUpEvidence.LOOKUPS)
                .map(GatherInput::of).returns(GatherInput.class).name("Requests awaiting their photos")
                .union(results.filter(r -> r.requestKey() != null).name("Results for requests")
                        .map(GatherInput::of).returns(GatherInput.class).name("Answers for requests"))
                .keyBy(GatherInput::requestKey, Types.STRING)
                .connect(allowLists)
                .process(new GatherImageFindings(config.state().verdictTtl(), config.rules().photoAllowList(), stateTtl))
                .uid("gather-image-findings").name("Gather image findings");

        DataStream<PersonEvent> lateListingMatches = results
                .filter(r -> r.requestKey() == null).name("Results for listing photos")
                .flatMap(CatalogProbes.lateMatches()).returns(PersonEvent.class)
                .name("Listing photos matching earlier evidence");

        // Patterns: one operator per assessor, keyed by the keys the assessor declares. Each sends
        // one assessment per request and key; the verdict waits for their sum (AssessmentPlan).
        DataStream<PersonEvent> personEvents = lookedUp.union(enriched);
        // An erased person's requests leave their shared-image clusters by the memberships kept here.
        DataStream<PersonEvent> clusterRetractions = enriched
                .union(lookedUp)
                .filter(ClusterMemberships::concerns).name("Image requests and erasures")
                .keyBy(PersonEvent::personKey, Types.STRING)
                .process(new ClusterMemberships(images.retention(), stateTtl))
                .uid("cluster-memberships").name("Cluster memberships, for erasure");
        List<SingleOutputStreamOperator<Assessment>> assessors = new ArrayList<>();
        for (Assessor assessor : Assessor.values()) {
            assessors.add(switch (assessor) {
                case PERSON -> personEvents
                        .union(lateListingMatches)
                        .keyBy(PersonEvent::personKey, Types.STRING)
                        .connect(rules)
                        .process(new PersonPatternsFunction(config.rules(), config.state().personHistoryTtl(),
                                config.images().qualityFloor(), stateTtl))
                        .uid("person-patterns").name("Person patterns");
                case IMAGE_CLUSTER -> enriched
                        .union(clusterRetractions)
                        .keyBy(ClusterKeys::of, Types.STRING)
                        .connect(rules)
                        .process(new ImageClusterFunction(config.rules(), images, stateTtl))
                        .uid("image-clusters").name("Shared-image clusters");
                case ATTRIBUTE_RING -> personEvents
                        .flatMap(new FanOut<>(assessor, AttributedRequest::new)).returns(AttributedRequest.class)
                        .name("Requests to their link attributes")
                        .keyBy(AttributedRequest::attributeKey, Types.STRING)
                        .connect(rules)
                        .process(new SharedAttributeRingFunction(config.rules(), stateTtl))
                        .uid("shared-attribute-rings").name("Shared-attribute rings");
                case MERCHANT_BURST -> personEvents
                        .flatMap(new FanOut<>(assessor, MerchantRequest::new)).returns(MerchantRequest.class)
                        .name("Requests to their merchant and product")
                        .keyBy(MerchantRequest::merchantKey, Types.STRING)
                        .connect(rules)
                        .process(new MerchantBurstFunction(config.rules(), stateTtl))
                        .uid("merchant-bursts").name("Merchant bursts");
            });
        }

        // Output: alerts, one verdict per request, dead letters.
        DataStream<Alert> alerts = union(assessors.stream().map(a -> a.getSideOutput(AssessingFunction.ALERTS)).toList());
        DataStream<Assessment> assessments = union(assessors);
        DataStream<Verdict> verdicts = assessments
                .keyBy(Assessment::requestKey, Types.STRING)
                .connect(rules)
                .process(new VerdictAssembler(config.rules(), config.state().verdictTtl(), stateTtl))
                .uid("assemble-verdicts").name("Assemble verdicts");

        // A platform that approved automatically despite a hold verdict: reported per request.
        DataStream<Alert> automaticApprovals = verdicts
                .connect(linked.filter(ReportAutomaticApprovals::concerns).name("Requests and automatic approvals"))
                .keyBy(ReportAutomaticApprovals::requestKeyOf, ReportAutomaticApprovals::requestKeyOf, Types.STRING)
                .process(new ReportAutomaticApprovals(config.rules().amountTier(), config.state().verdictTtl(),
                        config.state().heldVerdictTtl(), stateTtl)).returns(Alert.class)
                .uid("report-automatic-approvals").name("Report automatic approvals after a hold");
        alerts = alerts.union(automaticApprovals);

        List<DataStream<DeadLetter>> rejected = new ArrayList<>(List.of(
                valid.getSideOutput(RouteRejected.REJECTED), linked.getSideOutput(LinkRequestToPerson.ORPHANS),
                ledgered.getSideOutput(ErasureLedger.OVER_CAP)));
        rejected.addAll(rejectedInputs);
        DataStream<DeadLetter> deadLetters = union(rejected);

        boolean views = config.topics().platformViews();
        TypeInformation<OutboundRecord> outbound = TypeInformation.of(OutboundRecord.class);
        DataStream<OutboundRecord> outputs = alerts.flatMap(ToOutbound.alerts(views)).returns(outbound)
                .uid("serialise-alerts").name("Serialise alerts and platform views")
                .union(
                        verdicts.flatMap(ToOutbound.verdicts(views)).returns(outbound)
                                .uid("serialise-verdicts").name("Serialise verdicts"),
                        deadLetters.map(ToOutbound.deadLetters(config.input().deadLetterValueBytes())).returns(outbound)
                                .uid("serialise-dead-letters").name("Serialise dead letters"));
        return new Graph(assessments, outputs);
    }

    private static <T> DataStream<T> union(List<? extends DataStream<T>> streams) {
        DataStream<T> all = streams.get(0);
        for (DataStream<T> stream : streams.subList(1, streams.size())) {
            all = all.union(stream);
        }
        return all;
    }

    /**
     * Rule-set updates from {@code detector-control}, invalid ones dead-lettered into {@code
     * rejected}; without a control input, none (the job keeps the rules from {@code config/}).
     */
    private DataStream<RuleSetUpdate> ruleSetUpdates(StreamExecutionEnvironment env, List<DataStream<DeadLetter>> rejected) {
        Optional<DataStream<DecodedRuleSetUpdate>> control =
                sources.ruleSetUpdates(env, RefundWatermarks.forControl(config.eventTime()));
        if (control.isEmpty()) {
            // The rule set from config/, in effect since the beginning: what the operators start with anyway.
            return env.fromData(List.of(new RuleSetUpdate(config.rules(), Long.MIN_VALUE)), new RuleSetUpdateTypeInfo())
                    .name("Rules from config/");
        }
        SingleOutputStreamOperator<RuleSetUpdate> accepted = control.get()
                .process(new RouteRejected<DecodedRuleSetUpdate, RuleSetUpdate>(RouteRejected.CONTROL))
                .returns(RuleSetUpdate.class)
                .uid("route-rejected-rule-sets").name("Route rejected rule sets");
        rejected.add(accepted.getSideOutput(RouteRejected.REJECTED));
        return accepted;
    }
}
