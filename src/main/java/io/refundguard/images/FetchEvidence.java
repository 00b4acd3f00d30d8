package io.refundguard.images;

import io.refundguard.events.EventType;
import io.refundguard.events.Evidence;
import io.refundguard.events.RefundEvent;
import io.refundguard.identity.PersonEvent;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Fingerprints the evidence photos a platform sent by {@code uri} only: fetches the bytes
 * (Flink async I/O, so a task thread never waits on a server), computes SHA-256, PDQ and
 * provenance with {@link EvidenceFingerprinter}, and passes the request on as if the platform had
 * sent the fingerprint itself. Everything else passes through at once and unchanged.
 *
 * <p>A photo that cannot be fetched or decoded stays as it was, without a PDQ hash, and carries
 * the reason in {@code fetchError}; the request still flows on and is judged on its other
 * signals. Nothing about one URI can fail the job: every element completes with a result.
 */
public final class FetchEvidence extends RichAsyncFunction<PersonEvent, PersonEvent> {
    private static final long serialVersionUID = 1L;

    private final EnrichmentSettings settings;

    private transient PhotoFetcher fetcher;
    private transient EvidenceFingerprinter fingerprinter;
    private transient Counter fetched;
    private transient Counter failed;

    public FetchEvidence(EnrichmentSettings settings) {
        this.settings = settings;
    }

    /**
     * The enrichment step for a job graph. Ordered, so each subtask emits events in the order
     * they came; the operator's timeout is {@link EnrichmentSettings#asyncTimeout()}, beyond every
     * bound of our own, so it only fires for something truly stuck.
     */
    public static SingleOutputStreamOperator<PersonEvent> enrich(DataStream<PersonEvent> events,
            EnrichmentSettings settings) {
        return AsyncDataStream.orderedWait(events, new FetchEvidence(settings),
                        settings.asyncTimeout().toMillis(), TimeUnit.MILLISECONDS, settings.concurrency())
                .uid("fetch-evidence").name("Fetch and fingerprint evidence photos");
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        fetcher = new PhotoFetcher(settings, "fetch-evidence");
        fingerprinter = new EvidenceFingerprinter(settings.decodeLimits());
        fetched = getRuntimeContext().getMetricGroup().counter("evidenceFetched", new ThreadSafeSimpleCounter());
        failed = getRuntimeContext().getMetricGroup().counter("evidenceFetchFailed", new ThreadSafeSimpleCounter());
    }

    @Override
    public void close() throws Exception {
        if (fetcher != null) {
            fetcher.close();
        }
    }

    @Override
    public void asyncInvoke(PersonEvent input, ResultFuture<PersonEvent> resultFuture) {
        if (!needsFetching(input)) {
            resultFuture.complete(List.of(input));
            return;
        }
        try {
            List<Evidence> items = input.event().evidence();
            List<CompletableFuture<Evidence>> enriched = new ArrayList<>(items.size());
            for (Evidence item : items) {
                enriched.add(needsFetching(item) ? fingerprintOf(item) : CompletableFuture.completedFuture(item));
            }
            CompletableFuture.allOf(enriched.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> {
                List<Evidence> result = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    // Each future ends in an evidence item by construction; should one ever fail,
                    // that item alone is reported, not the element.
                    CompletableFuture<Evidence> item = enriched.get(i);
                    result.add(item.isCompletedExceptionally()
                            ? items.get(i).withFetchError("internal error: " + fetcher.describe(PhotoFetcher.unwrap(item)))
                            : item.join());
                }
                resultFuture.complete(List.of(withEvidence(input, result)));
            });
        } catch (RuntimeException e) {
            // A bug of ours (or an executor already shut down) must not fail the job either.
            resultFuture.complete(List.of(markFetchable(input, "internal error: " + fetcher.describe(e))));
        }
    }

    /**
     * The operator gave up on the element: pass the request on unenriched. Any fetch still
     * running completes into a result future Flink has already closed, which ignores it.
     */
    @Override
    public void timeout(PersonEvent input, ResultFuture<PersonEvent> resultFuture) {
        resultFuture.complete(List.of(needsFetching(input) ? markFetchable(input, "timed out") : input));
    }

    static boolean needsFetching(PersonEvent element) {
        RefundEvent event = element.event();
        if (event == null || event.type() != EventType.REFUND_REQUESTED || event.evidence() == null) {
            return false;
        }
        return event.evidence().stream().anyMatch(FetchEvidence::needsFetching);
    }

    /** A platform that sent a PDQ hash has fingerprinted the photo itself; trust it, save a fetch. */
    static boolean needsFetching(Evidence item) {
        return item.uri() != null && item.pdq() == null;
    }

    private static PersonEvent markFetchable(PersonEvent input, String reason) {
        List<Evidence> marked = new ArrayList<>();
        for (Evidence item : input.event().evidence()) {
            marked.add(needsFetching(item) ? item.withFetchError(reason) : item);
        }
        return withEvidence(input, marked);
    }

    private static PersonEvent withEvidence(PersonEvent input, List<Evidence> evidence) {
        return new PersonEvent(input.personKey(), input.event().withEvidence(List.copyOf(evidence)),
                input.findings(), input.lateCatalogMatch(), input.retraction());
    }

    // ---- one photo ----

    private CompletableFuture<Evidence> fingerprintOf(Evidence item) {
        return fetcher.fetch(item.uri())
                .thenApplyAsync(bytes -> fingerprint(item, bytes), fetcher.cpuPool())
                .exceptionally(error -> item.withFetchError(fetcher.describe(PhotoFetcher.unwrap(error))))
                .whenComplete((result, error) -> (result != null && result.fetchError() == null ? fetched : failed).inc());
    }

    private Evidence fingerprint(Evidence item, byte[] bytes) {
        String sha256 = EvidenceFingerprinter.sha256Hex(bytes);
        if (item.sha256() != null && !item.sha256().equalsIgnoreCase(sha256)) {
            // Not the file the platform described: a changed or swapped object behind the URI.
            // Its fingerprint would be attributed to an image it is not, so none is taken.
            return item.withFetchError("sha256 mismatch: the platform sent " + item.sha256()
                    + ", the fetched file has " + sha256);
        }
        Evidence fingerprint;
        try {
            fingerprint = fingerprinter.fingerprint(item.imageId(), bytes);
        } catch (UnreadableEvidenceException e) {
            return item.withFetchError(e.getMessage());
        }
        // The platform's own provenance reading is kept only when ours failed: ours is read from
        // the very bytes the hash was taken of.
        return new Evidence(item.imageId(), fingerprint.sha256(), item.uri(), fingerprint.pdq(),
                fingerprint.pdqQuality(),
                fingerprint.provenance() != null ? fingerprint.provenance() : item.provenance(),
                fingerprint.localFeatures(), null);
    }
}
