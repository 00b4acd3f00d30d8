package io.refundguard.images;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * One photo behind a link, fetched and decoded under the same rules as the detector's own
 * fetching ({@link PhotoFetcher}: allowed schemes and hosts, public addresses only unless loopback
 * is allowed, size cap, timeout, no redirects) and decoded by the {@link BoundedImageDecoder} with
 * the configured limits. For a reviewer's console, which shows photos it must not let the browser
 * load from the link itself.
 */
public final class PhotoLoader implements AutoCloseable {
    /** Why a photo could not be had, in the few kinds a reviewer is told about. */
    public enum Problem {
        /** The link's scheme, host or address is not allowed (decided before any connection). */
        NOT_ALLOWED,
        /** The server did not give the photo: refused, unknown host, an HTTP error. */
        FETCH_FAILED,
        TIMED_OUT,
        TOO_LARGE,
        /** The bytes are not a JPEG or PNG the decoder accepts within its limits. */
        UNREADABLE
    }

    /** The photo is not available; the message is one line, never a stack trace. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        Unavailable(Problem problem, String message) {
            super(message, null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    private final EnrichmentSettings settings;
    private final PhotoFetcher fetcher;
    private final BoundedImageDecoder decoder;

    public PhotoLoader(EnrichmentSettings settings, String name) {
        this.settings = settings;
        this.fetcher = new PhotoFetcher(settings, name);
        this.decoder = new BoundedImageDecoder(settings.decodeLimits());
    }

    /** The longest a load can take before it ends on its own: every attempt, backoff and the decode. */
    public Duration longestWait() {
        return settings.asyncTimeout().plus(settings.decodeTimeout());
    }

    /** The decoded photo at {@code uri}, or a failure with an {@link Unavailable}. */
    public CompletableFuture<BufferedImage> load(String uri) {
        CompletableFuture<byte[]> bytes;
        try {
            bytes = fetcher.fetch(uri);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new Unavailable(Problem.FETCH_FAILED, fetcher.describe(e)));
        }
        return bytes.handle((body, error) -> {
            if (error != null) {
                throw new CompletionException(unavailable(PhotoFetcher.unwrap(error)));
            }
            return body;
        }).thenApplyAsync(this::decode, fetcher.cpuPool()).exceptionally(error -> {
            Throwable cause = PhotoFetcher.unwrap(error);
            throw new CompletionException(cause instanceof Unavailable u ? u
                    : cause instanceof RejectedExecutionException
                            ? new Unavailable(Problem.FETCH_FAILED, "busy: too many photos waiting to be decoded")
                            : new Unavailable(Problem.FETCH_FAILED, fetcher.describe(cause)));
        });
    }

    private BufferedImage decode(byte[] body) {
        try {
            return decoder.decode(body);
        } catch (ImageRejectedException e) {
            Problem problem = e.reason() == ImageRejectedException.Reason.FILE_TOO_LARGE
                    || e.reason() == ImageRejectedException.Reason.TOO_MANY_PIXELS ? Problem.TOO_LARGE : Problem.UNREADABLE;
            throw new CompletionException(new Unavailable(problem, "not a decodable image: " + e.getMessage()));
        }
    }

    /**
     * The fetcher's failures are one-line texts made to be read; their kind is told by the words
     * it writes for refusals, timeouts and size (see {@link PhotoFetcher}).
     */
    private Unavailable unavailable(Throwable error) {
        String message = fetcher.describe(error);
        Problem problem = message.contains("not allowed") || message.contains("outside the allowed")
                || message.startsWith("not a valid") || message.startsWith("not an absolute") || message.startsWith("no host")
                ? Problem.NOT_ALLOWED
                : message.startsWith("timed out") ? Problem.TIMED_OUT
                : message.startsWith("larger than") ? Problem.TOO_LARGE
                : Problem.FETCH_FAILED;
        return new Unavailable(problem, message);
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
