package io.refundguard.images;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 GET to an address checked by {@link AddressPolicy}. Why not {@code
 * java.net.http.HttpClient}: it resolves the host itself, when it connects, so the address it
 * connects to may not be the one checked (DNS rebinding), and Java 17 offers no resolver hook.
 * Here the socket is connected to the checked address, and TLS is layered on it with the URI's
 * host name for SNI and certificate checking, as if the name had been dialled.
 *
 * <p>Redirects are not followed (a 3xx is a status like any other), no proxy is used, and the
 * whole exchange, from connecting to the body's last byte, has one deadline: every blocking step
 * waits at most for what is left of it. The body is capped while it is read.
 */
final class PinnedHttp {
    /** Opens a TCP connection; a test replaces it to see where a fetch would have connected. */
    interface Dialer {
        Socket connect(InetSocketAddress address, int timeoutMillis) throws IOException;
    }

    static final Dialer DIRECT = (address, timeoutMillis) -> {
        Socket socket = new Socket();
        try {
            socket.connect(address, timeoutMillis);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    };

    /** Status line and headers; real servers send a few KB. */
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    /** What one exchange gave: a status and, for 200, the body. */
    record Response(int status, byte[] body) {}

    /** The body is larger than the cap: counted as read, then the connection is dropped. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        final boolean declared;
        final long length;

        TooLarge(boolean declared, long length) {
            super("too large", null);
            this.declared = declared;
            this.length = length;
        }
    }

    private PinnedHttp() {}

    /**
     * GETs {@code uri} from {@code address}, or throws {@link TimeoutException} when the deadline
     * ({@link System#nanoTime()}) passes. {@code opened} receives the socket, so another thread
     * can close it to stop the exchange at once.
     */
    static Response get(URI uri, InetAddress address, Dialer dialer, long deadlineNanos, long maxBytes,
            java.util.function.Consumer<Socket> opened) throws IOException, TimeoutException {
        boolean tls = uri.getScheme().equalsIgnoreCase("https");
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        Socket socket = dialer.connect(new InetSocketAddress(address, port), remainingMillis(deadlineNanos));
        opened.accept(socket);
        try (Socket open = tls ? tls(socket, uri.getHost(), port, deadlineNanos) : socket) {
            OutputStream out = open.getOutputStream();
            out.write(request(uri, tls, port).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(open.getInputStream());
            Head head = readHead(in, open, deadlineNanos);
            if (head.status != 200) {
                return new Response(head.status, null);
            }
            return new Response(200, readBody(in, open, head, deadlineNanos, maxBytes));
        } catch (SocketTimeoutException e) {
            throw new TimeoutException();
        }
    }

    private static Socket tls(Socket plain, String host, int port, long deadlineNanos) throws IOException {
        SSLSocket ssl;
        try {
            ssl = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket(plain, host, port, true);
        } catch (NoSuchAlgorithmException e) {
            plain.close();
            throw new IOException("no TLS available", e);
        }
        SSLParameters parameters = ssl.getSSLParameters();
        // The certificate must name the host of the URI, not the address connected to.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.startsWith("[") && !Character.isDigit(host.charAt(host.length() - 1))) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout(remainingMillis(deadlineNanos));
        ssl.startHandshake();
        return ssl;
    }

    private static String request(URI uri, boolean tls, int port) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        boolean defaultPort = port == (tls ? 443 : 80);
        // Credentials in the URI (user:pass@) are not sent: they are the publisher's, not ours.
        String hostHeader = uri.getHost() + (defaultPort ? "" : ":" + port);
        return "GET " + path + query + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "Accept: image/*\r\n"
                + "User-Agent: RefundGuard\r\n"
                + "Connection: close\r\n\r\n";
    }

    private record Head(int status, long contentLength, boolean chunked) {}

    private static Head readHead(InputStream in, Socket socket, long deadlineNanos) throws IOException {
        int[] budget = {MAX_HEAD_BYTES};
        String statusLine = line(in, socket, deadlineNanos, budget);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x response");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + parts[1]);
        }
        long length = -1;
        boolean chunked = false;
        for (String header = line(in, socket, deadlineNanos, budget); !header.isEmpty();
                header = line(in, socket, deadlineNanos, budget)) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: " + value);
                }
            } else if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
        }
        return new Head(status, length, chunked);
    }

    private static byte[] readBody(InputStream in, Socket socket, Head head, long deadlineNanos, long maxBytes)
            throws IOException {
        if (!head.chunked && head.contentLength > maxBytes) {
            throw new TooLarge(true, head.contentLength);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(
                (int) Math.min(maxBytes, head.contentLength > 0 ? head.contentLength : 64 * 1024));
        if (head.chunked) {
            int[] budget = {MAX_HEAD_BYTES};
            while (true) {
                String sizeLine = line(in, socket, deadlineNanos, budget);
                int semicolon = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size");
                }
                if (size == 0) {
                    return body.toByteArray();
                }
                copy(in, socket, body, size, deadlineNanos, maxBytes);
                line(in, socket, deadlineNanos, budget); // CRLF after the chunk
            }
        }
        if (head.contentLength >= 0) {
            copy(in, socket, body, head.contentLength, deadlineNanos, maxBytes);
        } else {
            copy(in, socket, body, Long.MAX_VALUE, deadlineNanos, maxBytes);
        }
        return body.toByteArray();
    }

    /** Copies {@code count} bytes (or up to the end of the stream for MAX_VALUE). */
    private static void copy(InputStream in, Socket socket, ByteArrayOutputStream body, long count,
            long deadlineNanos, long maxBytes) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = count;
        while (left > 0) {
            socket.setSoTimeout(remainingMillis(deadlineNanos));
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                if (count == Long.MAX_VALUE) {
                    return;
                }
                throw new IOException("the connection closed before the body's end");
            }
            if (body.size() + (long) n > maxBytes) {
                throw new TooLarge(false, body.size() + (long) n);
            }
            body.write(buffer, 0, n);
            left -= n;
        }
    }

    private static String line(InputStream in, Socket socket, long deadlineNanos, int[] budget) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (in.available() == 0) {
                // About to block: for no longer than what is left, however slowly bytes come.
                socket.setSoTimeout(remainingMillis(deadlineNanos));
            }
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection closed in the response head");
            }
            if (--budget[0] < 0) {
                throw new IOException("response head larger than " + MAX_HEAD_BYTES + " bytes");
            }
            if (c == '\n') {
                int end = sb.length();
                return end > 0 && sb.charAt(end - 1) == '\r' ? sb.substring(0, end - 1) : sb.toString();
            }
            sb.append((char) c);
        }
    }

    /** What is left of the deadline, at least 1 ms (0 would mean "no timeout" to a socket). */
    static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }
}
