package io.refundguard.images;

import io.refundguard.settings.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fetches photo bytes for the detector's own fingerprinting, of evidence and of listing photos
 * alike: HTTP(S) to addresses {@link AddressPolicy} allows, with the configured timeout, size cap,
 * retries and no redirects, or a file under the allowed root. Owned by one async operator subtask, opened and closed with it.
 *
 * <p>Every failure ends the returned future with a {@link FetchFailure} whose message says what
 * went wrong in one line ({@link #describe}), so the caller can attach it to the photo.
 */
final class PhotoFetcher implements AutoCloseable {
    private final EnrichmentSettings settings;
    private final AddressPolicy addressPolicy;
    private final PinnedHttp.Dialer dialer;
    private final ExecutorService httpExecutor;
    /** Decoding and hashing are CPU-bound: as many threads as cores, never the HTTP threads. */
    private final ExecutorService cpuPool;
    private final Path fileRoot;

    PhotoFetcher(EnrichmentSettings settings, String name) {
        this(settings, name, new AddressPolicy(settings), PinnedHttp.DIRECT);
    }

    /** With another resolver or dialer: tests see where a fetch would have connected. */
    PhotoFetcher(EnrichmentSettings settings, String name, AddressPolicy addressPolicy, PinnedHttp.Dialer dialer) {
        this.settings = settings;
        this.addressPolicy = addressPolicy;
        this.dialer = dialer;
        // Blocking exchanges, one thread each while in flight: the async operator's capacity
        // bounds how many.
        httpExecutor = Executors.newCachedThreadPool(daemonThreads(name + "-http"));
        // A bounded queue: a request may carry many photos, and every one waiting holds its
        // downloaded bytes. A photo refused here is reported (RejectedExecutionException, below).
        int threads = Math.max(1, Math.min(settings.concurrency(), Runtime.getRuntime().availableProcessors()));
        cpuPool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.decodeQueue()), daemonThreads(name + "-fingerprint"));
        fileRoot = settings.allowedSchemes().contains("file") ? fileRoot(settings) : null;
    }

    private static Path fileRoot(EnrichmentSettings settings) {
        Path root;
        try {
            root = Path.of(settings.allowedFileRoot()).toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("allowedFileRoot: " + settings.allowedFileRoot()
                    + " is not an existing directory", e);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("allowedFileRoot: " + settings.allowedFileRoot() + " is not a directory");
        }
        return root;
    }

    /** The pool for decoding and hashing fetched bytes. */
    ExecutorService cpuPool() {
        return cpuPool;
    }

    @Override
    public void close() {
        cpuPool.shutdownNow();
        httpExecutor.shutdownNow();
    }

    /** The bytes at {@code uriText}, or a failure saying why not. */
    CompletableFuture<byte[]> fetch(String uriText) {
        URI uri;
        try {
            uri = new URI(uriText);
        } catch (URISyntaxException e) {
            return failure(new FetchFailure("not a valid URI: " + e.getReason(), false));
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null) {
            return failure(new FetchFailure("not an absolute URI", false));
        }
        if (!settings.allowedSchemes().contains(scheme)) {
            return failure(new FetchFailure("scheme " + scheme + ": is not allowed (allowed: "
                    + String.join(", ", settings.allowedSchemes()) + ")", false));
        }
        if (scheme.equals("file")) {
            // Disk reads block: on the bounded pool, never on the HttpClient's threads.
            try {
                return CompletableFuture.supplyAsync(() -> readFile(uri), cpuPool);
            } catch (RejectedExecutionException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        if (uri.getHost() == null) {
            return failure(new FetchFailure("no host in the URI", false));
        }
        return withRetries(uri, 1);
    }

    private CompletableFuture<byte[]> withRetries(URI uri, int attempt) {
        return get(uri).handle((bytes, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(bytes);
            }
            FetchFailure failure = asFetchFailure(unwrap(error));
            if (!failure.transientFailure || attempt > settings.retries()) {
                return CompletableFuture.<byte[]>failedFuture(attempt > 1
                        ? new FetchFailure(failure.getMessage() + " (after " + attempt + " attempts)", false)
                        : failure);
            }
            long delay = settings.backoffBefore(attempt).toMillis();
            return CompletableFuture.supplyAsync(() -> uri,
                            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, httpExecutor))
                    .thenCompose(same -> withRetries(same, attempt + 1));
        }).thenCompose(result -> result);
    }

    /**
     * One attempt: resolve and check the host, connect to a checked address, then status, headers
     * and body, all within {@code timeout}. Blocking, on the HTTP threads; the deadline below
     * closes the socket, so a server that trickles or a resolver that hangs costs no more.
     */
    private CompletableFuture<byte[]> get(URI uri) {
        AtomicReference<Socket> socket = new AtomicReference<>();
        CompletableFuture<byte[]> attempt = CompletableFuture.supplyAsync(() -> attempt(uri, socket), httpExecutor)
                .orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        attempt.whenComplete((bytes, error) -> {
            if (error != null && unwrap(error) instanceof TimeoutException) {
                closeQuietly(socket.get());
            }
        });
        return attempt;
    }

    private byte[] attempt(URI uri, AtomicReference<Socket> socket) {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        try {
            List<InetAddress> addresses = addressPolicy.addressesOf(uri.getHost());
            ConnectException refused = null;
            // Like a browser, the next address when one does not take the connection; each was
            // checked, and no other is ever tried.
            for (InetAddress address : addresses) {
                try {
                    return bodyOf(PinnedHttp.get(uri, address, dialer, deadline, settings.maxBytes(), socket::set));
                } catch (ConnectException e) {
                    refused = e;
                }
            }
            throw refused;
        } catch (AddressPolicy.Refused e) {
            // Decided before any connection, so the reason is the same whether anything answers.
            throw new CompletionException(new FetchFailure("address not allowed: " + e.getMessage(), false));
        } catch (UnknownHostException e) {
            throw new CompletionException(new FetchFailure("unknown host " + uri.getHost(), true));
        } catch (PinnedHttp.TooLarge e) {
            throw new CompletionException(e.declared
                    ? tooLarge(e.length + " bytes declared")
                    : new FetchFailure("larger than the " + settings.maxBytes() + " bytes allowed (download aborted)", false));
        } catch (IOException | TimeoutException e) {
            throw new CompletionException(e);
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing only stops the exchange; there is nothing left to clean up.
            }
        }
    }

    private static byte[] bodyOf(PinnedHttp.Response response) {
        int status = response.status();
        if (status == 200) {
            return response.body();
        }
        boolean transientStatus = status >= 500 || status == 429;
        String what = status >= 300 && status < 400 ? " (redirects are not followed)" : "";
        throw new CompletionException(new FetchFailure("HTTP " + status + what, transientStatus));
    }

    private byte[] readFile(URI uri) {
        Path path;
        try {
            path = Path.of(uri);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new CompletionException(new FetchFailure("not a valid file URI", false));
        }
        // File errors are not retried: a file that is missing or unreadable now stays so.
        try {
            Path real = path.toRealPath();
            if (!real.startsWith(fileRoot)) {
                throw new FetchFailure("file is outside the allowed file root", false);
            }
            if (!Files.isRegularFile(real)) {
                throw new FetchFailure("not a regular file", false);
            }
            // NOFOLLOW_LINKS: a link put in place after the check above is not followed out.
            try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
                byte[] bytes = in.readNBytes((int) settings.maxBytes() + 1);
                if (bytes.length > settings.maxBytes()) {
                    throw tooLarge("file");
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new CompletionException(new FetchFailure("no such file", false));
        } catch (AccessDeniedException e) {
            throw new CompletionException(new FetchFailure("permission denied", false));
        } catch (IOException e) {
            throw new CompletionException(new FetchFailure("cannot read the file: " + e.getMessage(), false));
        } catch (FetchFailure e) {
            throw new CompletionException(e);
        }
    }

    private FetchFailure tooLarge(String what) {
        return new FetchFailure("larger than the " + settings.maxBytes() + " bytes allowed (" + what + ")", false);
    }

    // ---- failures ----

    /**
     * Why one attempt did not yield the bytes, and whether another attempt might. No stack trace:
     * failures of remote servers are expected and frequent.
     */
    static final class FetchFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean transientFailure;

        FetchFailure(String message, boolean transientFailure) {
            super(UnreadableEvidenceException.oneLine(message), null, false, false);
            this.transientFailure = transientFailure;
        }
    }

    private static <T> CompletableFuture<T> failure(FetchFailure failure) {
        return CompletableFuture.failedFuture(failure);
    }

    private FetchFailure asFetchFailure(Throwable error) {
        if (error instanceof FetchFailure failure) {
            return failure;
        }
        if (error instanceof TimeoutException) {
            return new FetchFailure("timed out after " + Durations.format(settings.timeout()), true);
        }
        if (error instanceof IOException) {
            // Connection refused or reset, DNS failure, TLS failure: the network's or the
            // server's state, which may be different a moment later.
            return new FetchFailure(describe(error), true);
        }
        return new FetchFailure(describe(error), false);
    }

    /** The failure inside the wrappers CompletableFuture and HttpClient put around it. */
    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException
                        || (t instanceof IOException && t.getCause() instanceof FetchFailure))
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static Throwable unwrap(CompletableFuture<?> failedFuture) {
        try {
            failedFuture.join();
            return new IllegalStateException("not failed");
        } catch (CompletionException e) {
            return unwrap(e);
        } catch (RuntimeException e) {
            return e;
        }
    }

    String describe(Throwable error) {
        if (error instanceof FetchFailure) {
            return error.getMessage();
        }
        if (error instanceof RejectedExecutionException) {
            return "decode queue full (" + settings.decodeQueue() + " photos waiting): not fingerprinted";
        }
        if (error instanceof TimeoutException) {
            return "timed out after " + Durations.format(settings.timeout());
        }
        String message = error.getMessage();
        String kind = error instanceof java.net.ConnectException ? "connection failed"
                : error instanceof IOException ? "I/O error"
                : error.getClass().getSimpleName();
        return UnreadableEvidenceException.oneLine(message == null || message.isBlank() ? kind : kind + ": " + message);
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        ClassLoader jobClassLoader = PhotoFetcher.class.getClassLoader();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            // A new thread inherits whatever context class loader its creator had, and threads
            // here are created lazily by whichever thread submits work: possibly the JDK's
            // shared timer thread, carrying the class loader of a job that has since ended.
            // xmpcore looks its XML parser up through the context class loader in a static
            // initialiser, so one such lookup would break XMP reading for good.
            thread.setContextClassLoader(jobClassLoader);
            // Never the reason a TaskManager cannot exit.
            thread.setDaemon(true);
            return thread;
        };
    }
}
