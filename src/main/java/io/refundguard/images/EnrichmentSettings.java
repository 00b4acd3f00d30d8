package io.refundguard.images;

import io.refundguard.settings.Check;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the detector fetches evidence photos that a platform sent by {@code uri} only (see {@link
 * FetchEvidence}). Every field bounds what one untrusted URI may cost: a task thread never waits
 * on it, and a slow, huge or hostile server costs at most {@code timeout} per attempt and {@code
 * maxBytes} of memory per photo in flight.
 *
 * @param timeout per attempt: to connect, and from sending the request to the body's last byte
 * @param maxBytes largest accepted photo; a download is aborted as soon as it passes this, and
 *     a declared {@code Content-Length} above it is refused before any of the body is read
 * @param retries further attempts after a transient failure (I/O error, timeout, HTTP 5xx, 429)
 * @param retryBackoff wait before the first retry, doubled before each further one
 * @param concurrency requests the async operator keeps in flight per subtask (its capacity);
 *     when full it back-pressures the stream rather than queueing without bound
 * @param allowedSchemes URI schemes that are fetched, lower-case, from {@code http}, {@code https}
 *     and {@code file}. Defaults to http and https. {@code file} must be enabled explicitly and
 *     needs {@code allowedFileRoot}: the URIs come from untrusted events, and a {@code file:} URI
 *     would otherwise let anyone who can publish an event make a TaskManager read its own files
 *     (keytabs, Kafka credentials, /proc) into the pipeline
 * @param allowedFileRoot the directory every {@code file:} URI must resolve inside (symbolic
 *     links resolved first), absolute; null when {@code file} is not enabled
 * @param allowedHosts when not empty, the only hosts fetched from: exact names ({@code
 *     img.cdn.example}) or every subdomain of one ({@code *.cdn.example}), lower-case. For
 *     deployments whose evidence stores are known; empty means any host with public addresses
 * @param allowLoopback whether loopback addresses (127.0.0.0/8, ::1) may be fetched from. Only for
 *     tests and local demos that serve photos on this machine: in a cluster it lets any event
 *     publisher reach the services listening on the TaskManager's own loopback interface
 * @param decodeTimeout longest decode of one photo; the decoder stops when it passes (see
 *     {@link DecodeLimits#timeout()})
 * @param maxJpegScans JPEGs with more scans are refused before decoding (see {@link
 *     DecodeLimits#maxJpegScans()})
 * @param maxDecodedBytes larger decoded rasters are decoded subsampled to fit (see {@link
 *     DecodeLimits#maxDecodedBytes()})
 * @param decodeQueue fetched photos that may wait for a decoding thread per subtask; beyond it a
 *     photo is not fingerprinted and gets {@code fetchError} "decode queue full"
 */
public record EnrichmentSettings(
        Duration timeout,
        long maxBytes,
        int retries,
        Duration retryBackoff,
        int concurrency,
        List<String> allowedSchemes,
        String allowedFileRoot,
        List<String> allowedHosts,
        boolean allowLoopback,
        Duration decodeTimeout,
        int maxJpegScans,
        long maxDecodedBytes,
        int decodeQueue) implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Set<String> KNOWN_SCHEMES = Set.of("http", "https", "file");
    private static final int MAX_RETRIES = 10;

    public EnrichmentSettings {
        Check.positive("timeout", timeout);
        if (maxBytes < 1 || maxBytes > DecodeLimits.DEFAULT_MAX_FILE_BYTES) {
            // Nothing larger would decode, so fetching it would only cost memory.
            throw new IllegalArgumentException("maxBytes: expected 1.." + DecodeLimits.DEFAULT_MAX_FILE_BYTES
                    + " (the largest photo the decoder accepts), got " + maxBytes);
        }
        if (retries < 0 || retries > MAX_RETRIES) {
            throw new IllegalArgumentException("retries: expected 0.." + MAX_RETRIES + ", got " + retries);
        }
        Check.notNegative("retryBackoff", retryBackoff);
        Check.atLeast("concurrency", concurrency, 1);
        allowedSchemes = schemes(Check.present("allowedSchemes", allowedSchemes));
        // A configuration file writes "none" as an empty string.
        allowedFileRoot = allowedFileRoot == null || allowedFileRoot.isBlank() ? null : allowedFileRoot;
        if (allowedFileRoot != null && !Path.of(allowedFileRoot).isAbsolute()) {
            throw new IllegalArgumentException("allowedFileRoot: expected an absolute directory, got \""
                    + allowedFileRoot + "\"");
        }
        if (allowedSchemes.contains("file") && allowedFileRoot == null) {
            throw new IllegalArgumentException("allowedFileRoot: the file scheme is allowed, so the directory"
                    + " file: URIs must stay inside is required");
        }
        allowedHosts = hosts(Check.present("allowedHosts", allowedHosts));
        Check.positive("decodeTimeout", decodeTimeout);
        Check.atLeast("maxJpegScans", maxJpegScans, 1);
        if (maxDecodedBytes < 1024 * 1024) {
            throw new IllegalArgumentException("maxDecodedBytes: expected at least 1048576, got " + maxDecodedBytes);
        }
        Check.atLeast("decodeQueue", decodeQueue, 1);
    }

    public EnrichmentSettings(Duration timeout, long maxBytes, int retries, Duration retryBackoff, int concurrency,
            List<String> allowedSchemes, String allowedFileRoot) {
        this(timeout, maxBytes, retries, retryBackoff, concurrency, allowedSchemes, allowedFileRoot, List.of(), false,
                DecodeLimits.DEFAULT_TIMEOUT, DecodeLimits.DEFAULT_MAX_JPEG_SCANS, DecodeLimits.DEFAULT_MAX_DECODED_BYTES,
                64);
    }

    /** The decoder's limits for fetched photos. */
    public DecodeLimits decodeLimits() {
        return DecodeLimits.DEFAULT.withTimeout(decodeTimeout).withMaxJpegScans(maxJpegScans)
                .withMaxDecodedBytes(maxDecodedBytes);
    }

    public EnrichmentSettings withDecodeQueue(int queue) {
        return new EnrichmentSettings(timeout, maxBytes, retries, retryBackoff, concurrency, allowedSchemes,
                allowedFileRoot, allowedHosts, allowLoopback, decodeTimeout, maxJpegScans, maxDecodedBytes, queue);
    }

    /**
     * Phone photos are a few MB, so 16 MiB leaves room without letting one event pin much memory;
     * three attempts ride out a CDN hiccup; 64 photos waiting to be decoded are four full
     * requests' worth at the default concurrency, beyond which waiting only adds latency; 5 s per attempt keeps one request's worst case (about
     * 22 s, see {@link #asyncTimeout()}) well inside a platform's wait for its verdict.
     */
    public static EnrichmentSettings defaults() {
        return new EnrichmentSettings(Duration.ofSeconds(5), 16L * 1024 * 1024, 2, Duration.ofMillis(500), 16,
                List.of("http", "https"), null);
    }

    /** A copy that also fetches {@code file:} URIs inside {@code root}: for replays of local data. */
    public EnrichmentSettings withFileRoot(Path root) {
        List<String> schemes = new ArrayList<>(allowedSchemes);
        if (!schemes.contains("file")) {
            schemes.add("file");
        }
        return new EnrichmentSettings(timeout, maxBytes, retries, retryBackoff, concurrency, schemes,
                root.toAbsolutePath().toString(), allowedHosts, allowLoopback, decodeTimeout, maxJpegScans, maxDecodedBytes, decodeQueue);
    }

    public EnrichmentSettings withAllowedSchemes(List<String> schemes) {
        return new EnrichmentSettings(timeout, maxBytes, retries, retryBackoff, concurrency, schemes, allowedFileRoot,
                allowedHosts, allowLoopback, decodeTimeout, maxJpegScans, maxDecodedBytes, decodeQueue);
    }

    public EnrichmentSettings withTimeout(Duration newTimeout) {
        return new EnrichmentSettings(newTimeout, maxBytes, retries, retryBackoff, concurrency, allowedSchemes,
                allowedFileRoot, allowedHosts, allowLoopback, decodeTimeout, maxJpegScans, maxDecodedBytes, decodeQueue);
    }

    public EnrichmentSettings withMaxBytes(long newMaxBytes) {
        return new EnrichmentSettings(timeout, newMaxBytes, retries, retryBackoff, concurrency, allowedSchemes,
                allowedFileRoot, allowedHosts, allowLoopback, decodeTimeout, maxJpegScans, maxDecodedBytes, decodeQueue);
    }

    public EnrichmentSettings withRetries(int newRetries, Duration newBackoff) {
        return new EnrichmentSettings(timeout, maxBytes, newRetries, newBackoff, concurrency, allowedSchemes,
                allowedFileRoot, allowedHosts, allowLoopback, decodeTimeout, maxJpegScans, maxDecodedBytes, decodeQueue);
    }

    public EnrichmentSettings withAllowedHosts(List<String> hosts) {
        return new EnrichmentSettings(timeout, maxBytes, retries, retryBackoff, concurrency, allowedSchemes,
                allowedFileRoot, hosts, allowLoopback, decodeTimeout, maxJpegScans, maxDecodedBytes, decodeQueue);
    }

    /** A copy that fetches from this machine's loopback too: for tests and local demos only. */
    public EnrichmentSettings withLoopbackAllowed() {
        return new EnrichmentSettings(timeout, maxBytes, retries, retryBackoff, concurrency, allowedSchemes,
                allowedFileRoot, allowedHosts, true, decodeTimeout, maxJpegScans, maxDecodedBytes, decodeQueue);
    }

    /**
     * The longest one photo can legitimately take: every attempt timing out, every backoff, and
     * one more {@code timeout} for queueing and fingerprinting. The async operator's own timeout
     * should be this, so it only fires when something is stuck beyond all of our own bounds.
     */
    public Duration asyncTimeout() {
        Duration attempts = timeout.multipliedBy(retries + 1L);
        Duration backoffs = retryBackoff.multipliedBy((1L << retries) - 1);
        return attempts.plus(backoffs).plus(timeout);
    }

    /** The wait before retry number {@code retry} (1-based). */
    Duration backoffBefore(int retry) {
        return retryBackoff.multipliedBy(1L << (retry - 1));
    }

    private static List<String> hosts(List<String> given) {
        List<String> hosts = new ArrayList<>();
        for (String host : given) {
            String lower = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
            String name = lower.startsWith("*.") ? lower.substring(2) : lower;
            if (!name.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
                throw new IllegalArgumentException("allowedHosts: expected host names such as img.cdn.example or"
                        + " *.cdn.example, got \"" + host + "\"");
            }
            if (!hosts.contains(lower)) {
                hosts.add(lower);
            }
        }
        return List.copyOf(hosts);
    }

    private static List<String> schemes(List<String> given) {
        List<String> schemes = new ArrayList<>();
        for (String scheme : given) {
            String lower = scheme == null ? null : scheme.toLowerCase(Locale.ROOT);
            if (lower == null || !KNOWN_SCHEMES.contains(lower)) {
                throw new IllegalArgumentException("allowedSchemes: expected http, https or file, got \"" + scheme + "\"");
            }
            if (!schemes.contains(lower)) {
                schemes.add(lower);
            }
        }
        return List.copyOf(schemes);
    }
}
