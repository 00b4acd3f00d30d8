package io.refundguard.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.images.EnrichmentSettings;
import io.refundguard.images.PhotoLoader;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The photos of an image case: the trigger's evidence photo and the listing photo it copies, or the
 * person's earlier evidence photo it repeats, fetched by the console itself from the links in the
 * alert's details ({@code evidenceUri}, {@code listingUri}, {@code earlierUri}), under the
 * detector's address rules, and served re-encoded. The browser never gets the links: loading a
 * buyer-supplied link would tell whoever controls it the analyst's address and reading time, and
 * would step around those rules.
 *
 * <p>Links are read from the viewer's own view of the alert, in which the detector has already
 * dropped other platforms' links. Rendered photos are kept in a small cache, bounded by count and
 * bytes; a failure is kept {@value #FAILURE_SECONDS} s, so the page and the image agree on it
 * without pinning a passing outage.
 */
final class CasePhotos implements AutoCloseable {
    /** Which photo of the case. */
    enum Kind {
        EVIDENCE, LISTING, EARLIER;

        static Optional<Kind> of(String path) {
            return switch (path) {
                case "evidence" -> Optional.of(EVIDENCE);
                case "listing" -> Optional.of(LISTING);
                case "earlier" -> Optional.of(EARLIER);
                default -> Optional.empty();
            };
        }

        /** The details' field holding this photo's link. */
        String linkField() {
            return switch (this) {
                case EVIDENCE -> "evidenceUri";
                case LISTING -> "listingUri";
                case EARLIER -> "earlierUri";
            };
        }

        String path() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What became of a photo; each but SHOWN has a sentence {@code photos.problem.<name>}. */
    enum Status { SHOWN, PENDING, NO_LINK, NOT_ALLOWED, FETCH_FAILED, TIMED_OUT, TOO_LARGE, UNREADABLE }

    /** A photo ready to serve: the rendered PNG, or the placeholder and why. */
    record Rendered(byte[] png, Status status, String detail) {}

    /**
     * The match a case shows: the first of the details' photo entries that has a link (a listing
     * link first, then an earlier photo's), else the first entry.
     */
    record Shown(String pattern, JsonNode entry) {
        String link(Kind kind) {
            JsonNode uri = entry.path(kind.linkField());
            return uri.isTextual() && !uri.asText().isBlank() ? uri.asText() : null;
        }

        List<CaseFigures.Box> regions() {
            List<CaseFigures.Box> boxes = new ArrayList<>();
            for (JsonNode b : entry.path("changedRegions")) {
                boxes.add(new CaseFigures.Box(b.path("x").asInt(), b.path("y").asInt(), b.path("width").asInt(),
                        b.path("height").asInt()));
            }
            return boxes;
        }

        int frameWidth() {
            return entry.path("listingSize").path("width").asInt(0);
        }

        int frameHeight() {
            return entry.path("listingSize").path("height").asInt(0);
        }
    }

    /** Rendered photos kept: a case page shows two, a reviewer's session visits tens of cases. */
    static final int MAX_ENTRIES = 200;
    /** At most 1024 px a side, PNGs are 0.2-2 MB; 64 MB keeps the console's heap use small. */
    static final long MAX_BYTES = 64L * 1024 * 1024;
    static final long FAILURE_SECONDS = 60;
    /** How long the case page waits for its photos, to say in words why one is missing. */
    static final Duration PAGE_WAIT = Duration.ofSeconds(2);
    static final String CACHE_CONTROL = "private, max-age=300";

    private static final byte[] PLACEHOLDER = PhotoRenderer.placeholder();

    private final PhotoLoader loader;
    private final Clock clock;
    private final int maxEntries;
    private final long maxBytes;
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, CompletableFuture<Rendered>> inFlight = new ConcurrentHashMap<>();
    private long cachedBytes;

    private record Cached(Rendered rendered, long at) {}

    CasePhotos(EnrichmentSettings settings, Clock clock) {
        this(settings, clock, MAX_ENTRIES, MAX_BYTES);
    }

    CasePhotos(EnrichmentSettings settings, Clock clock, int maxEntries, long maxBytes) {
        this.loader = new PhotoLoader(settings, "console-photos");
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** The photo entry a case shows, for the image patterns; empty for the others and without entries. */
    static Optional<Shown> shown(String pattern, JsonNode details) {
        String list = switch (pattern) {
            case "CATALOG_IMAGE_MATCH" -> "listingMatches";
            case "IMAGE_REUSE" -> details.has("reused") ? "reused" : "triggerMatches";
            case "AI_GENERATED_EVIDENCE" -> "marks";
            default -> null;
        };
        if (list == null || !details.path(list).isArray() || details.path(list).isEmpty()) {
            return Optional.empty();
        }
        JsonNode entries = details.path(list);
        // The photo matched is what the reviewer compares against: an entry showing it comes first.
        for (String link : List.of("listingUri", "earlierUri", "evidenceUri")) {
            for (JsonNode entry : entries) {
                if (entry.path(link).isTextual()) {
                    return Optional.of(new Shown(pattern, entry));
                }
            }
        }
        return Optional.of(new Shown(pattern, entries.get(0)));
    }

    /** The photo, rendered or the placeholder; waits for a load in progress up to its own bound. */
    Rendered photo(Shown shown, Kind kind) {
        try {
            return start(shown, kind).get(loader.longestWait().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Rendered(PLACEHOLDER, Status.TIMED_OUT, "no answer within " + loader.longestWait().toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Rendered(PLACEHOLDER, Status.PENDING, "interrupted");
        } catch (ExecutionException e) {
            return new Rendered(PLACEHOLDER, Status.FETCH_FAILED, "internal error");
        }
    }

    /** What the case page says of each photo: waited for up to {@link #PAGE_WAIT}, PENDING after it. */
    Map<Kind, Rendered> forPage(Shown shown) {
        Map<Kind, CompletableFuture<Rendered>> started = new HashMap<>();
        for (Kind kind : Kind.values()) {
            started.put(kind, start(shown, kind));
        }
        long deadline = System.nanoTime() + PAGE_WAIT.toNanos();
        Map<Kind, Rendered> outcome = new HashMap<>();
        for (var e : started.entrySet()) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                outcome.put(e.getKey(), e.getValue().get(left, TimeUnit.NANOSECONDS));
            } catch (TimeoutException | ExecutionException ex) {
                outcome.put(e.getKey(), new Rendered(PLACEHOLDER, Status.PENDING, ""));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                outcome.put(e.getKey(), new Rendered(PLACEHOLDER, Status.PENDING, ""));
            }
        }
        return outcome;
    }

    private CompletableFuture<Rendered> start(Shown shown, Kind kind) {
        String uri = shown.link(kind);
        if (uri == null) {
            return CompletableFuture.completedFuture(new Rendered(PLACEHOLDER, Status.NO_LINK, ""));
        }
        List<CaseFigures.Box> regions = kind == Kind.LISTING ? shown.regions() : List.of();
        String key = kind + "\u0000" + uri + "\u0000" + regions + "\u0000" + shown.frameWidth() + "x" + shown.frameHeight();
        Rendered known = cached(key);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        CompletableFuture<Rendered> mine = new CompletableFuture<>();
        CompletableFuture<Rendered> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        // Outside the map's lock: a link refused at once completes on this thread.
        loader.load(uri)
                .thenApply(photo -> shownPhoto(photo, regions, shown))
                .exceptionally(error -> failed(error, kind == Kind.LISTING ? shown : null))
                .whenComplete((rendered, error) -> {
                    try {
                        if (rendered != null) {
                            keep(key, rendered);
                        }
                    } finally {
                        // Whatever happened above, nobody waits for this photo forever.
                        inFlight.remove(key, mine);
                        if (rendered != null) {
                            mine.complete(rendered);
                        } else {
                            mine.completeExceptionally(error);
                        }
                    }
                });
        return mine;
    }

    private static Rendered shownPhoto(BufferedImage photo, List<CaseFigures.Box> regions, Shown shown) {
        return new Rendered(PhotoRenderer.render(photo, regions, shown.frameWidth(), shown.frameHeight()), Status.SHOWN, "");
    }

    /**
     * The placeholder and why; for a listing photo with changed regions, its empty frame with them
     * outlined instead, so what the detector found still shows.
     */
    private static Rendered failed(Throwable error, Shown listing) {
        byte[] png = listing != null && !listing.regions().isEmpty() && listing.frameWidth() > 0 && listing.frameHeight() > 0
                ? PhotoRenderer.frame(listing.frameWidth(), listing.frameHeight(), listing.regions())
                : PLACEHOLDER;
        Throwable cause = error;
        while (cause.getCause() != null && !(cause instanceof PhotoLoader.Unavailable)) {
            cause = cause.getCause();
        }
        if (cause instanceof PhotoLoader.Unavailable unavailable) {
            return new Rendered(png, Status.valueOf(unavailable.problem().name()), unavailable.getMessage());
        }
        // A failure of ours, not of the photo: the operator's log gets it, the reviewer a plain word.
        System.err.println("console: rendering a photo failed: " + error);
        return new Rendered(png, Status.UNREADABLE, "could not be shown");
    }

    /** Whether a failed listing photo is served as its frame with the regions (see {@link #failed}). */
    static boolean framesRegions(Shown shown) {
        return !shown.regions().isEmpty() && shown.frameWidth() > 0 && shown.frameHeight() > 0;
    }

    private synchronized Rendered cached(String key) {
        Cached c = cache.get(key);
        if (c == null) {
            return null;
        }
        if (c.rendered().status() != Status.SHOWN && clock.millis() - c.at() > FAILURE_SECONDS * 1000) {
            remove(key);
            return null;
        }
        return c.rendered();
    }

    private synchronized void keep(String key, Rendered rendered) {
        remove(key);
        cache.put(key, new Cached(rendered, clock.millis()));
        cachedBytes += sizeOf(rendered);
        // Least recently used first; values() does not count as an access, get() would.
        var eldest = cache.values().iterator();
        while ((cache.size() > maxEntries || cachedBytes > maxBytes) && eldest.hasNext()) {
            cachedBytes -= sizeOf(eldest.next().rendered());
            eldest.remove();
        }
    }

    private void remove(String key) {
        Cached old = cache.remove(key);
        if (old != null) {
            cachedBytes -= sizeOf(old.rendered());
        }
    }

    /** The placeholder is shared, so a failure costs only its entry. */
    private static long sizeOf(Rendered rendered) {
        return (rendered.png() == PLACEHOLDER ? 0 : rendered.png().length) + rendered.detail().getBytes(StandardCharsets.UTF_8).length + 64;
    }

    synchronized int cachedCount() {
        return cache.size();
    }

    synchronized long cachedBytes() {
        return cachedBytes;
    }

    @Override
    public void close() {
        loader.close();
    }
}
