package com.flexwebchat.local;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The HTTP/1.1 front of {@link LocalApi}: it reads requests off the socket itself, so it can be as
 * strict as API Gateway about what it forwards to a function, and cannot be starved by slow
 * clients. (The JDK's HttpServer, used before, trimmed every header value of leading and trailing
 * bytes up to space, NUL included, so {@code Origin: http://localhost:3000\0} passed the origin
 * check; took a bare CR inside a value as the end of the header; and read each request head on one
 * of its 8 worker threads with no time limit, so 8 half-sent requests stopped it answering anyone.)
 *
 * <p>What is refused, before anything reaches a function, and why:
 * <ul>
 *   <li>More than 10,240 bytes of request line and header values together: 431. HTTP API's quota,
 *       "Total combined size of request line and header values: 10240 bytes", not adjustable
 *       (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html). The
 *       docs give the limit, not the answer; users report the request refused
 *       (https://ntsblog.homedev.com.au/index.php/2021/03/09/aws-api-gateway-http-header-is-larger-than-10240-bytes/);
 *       431 is the status RFC 6585 section 5 defines for it. A head of more than
 *       {@value #MAX_RAW_HEAD} bytes in all (names counted) is refused the same way, a local bound.</li>
 *   <li>A control character (0x00-0x1F but HTAB, and 0x7F) anywhere in a header value, a bare CR or
 *       LF as a line end, obsolete line folding, whitespace before a header's colon, a name that is
 *       not a token: 400 {@code {"message":"Bad Request"}}. The AWS docs do not say what HTTP API
 *       does with such bytes; RFC 9110 section 5.5 says "a recipient of CR, LF, or NUL within a
 *       field value MUST either reject the message or replace each of those characters with SP",
 *       RFC 9112 sections 5.1 and 5.2 that whitespace before the colon MUST be rejected with 400 and
 *       obs-fold may be. Of the two choices RFC 9110 allows, rejecting is the one that cannot
 *       change what a function sees (a NUL replaced by a space, then trimmed, would turn
 *       {@code Origin: http://localhost:3000\0} into the allowed origin again, the bypass this
 *       replaced). So whatever the deployed gateway does with such bytes, a function never gets a
 *       value this one made up; and the emulation errs on the side of refusing.</li>
 *   <li>A request line that is not {@code METHOD SP /origin-form SP HTTP/1.x} (a method that is
 *       not a token, a target with bytes outside 0x21-0x7E or that is not a path, two spaces,
 *       anything after the version): 400 (RFC 9112 section 3); another HTTP version: 505.</li>
 *   <li>An HTTP/1.1 request without exactly one Host (RFC 9112 section 3.2: "MUST respond with a 400"),
 *       a Content-Length that is not digits or given twice, Content-Length together with
 *       Transfer-Encoding (RFC 9112 section 6.3, the request-smuggling case): 400; a transfer coding
 *       other than chunked: 501.</li>
 *   <li>A body over HTTP API's 10 MB payload quota: 413 {@code {"message":"Request Entity Too Large"}},
 *       without reading it.</li>
 * </ul>
 * Repeated headers reach the function joined with commas, as payload format 2.0 has them
 * ("Duplicate headers are combined with commas and included in the headers field",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 *
 * <p>Slow clients: a connection must deliver each request, head and body, within the read timeout
 * (LOCAL_READ_TIMEOUT, default {@value #DEFAULT_READ_TIMEOUT_SECONDS} s, counted from the
 * connection's opening or, on a kept-alive connection, from the request's first byte; a client
 * that got part of a request in gets 408, one that sent nothing is just closed), and a kept-alive
 * connection may sit idle for LOCAL_IDLE_TIMEOUT (default {@value #DEFAULT_IDLE_TIMEOUT_SECONDS} s)
 * between requests. Each connection has a thread of its own, up to LOCAL_MAX_CONNECTIONS (default
 * {@value #DEFAULT_MAX_CONNECTIONS}; beyond that a new connection gets 503 and is closed), so a
 * stalled client holds its own thread and no one else's; on Java 21 or later they are virtual
 * threads, found at run time (the code is Java 17).
 */
final class GatewayServer implements AutoCloseable {

    /** HTTP API's quota on the request line and the header values together. */
    static final int MAX_REQUEST_LINE_AND_HEADER_VALUES = 10_240;
    /** The whole head, names and line ends included: a local bound, so a head of many empty headers cannot grow without end. */
    static final int MAX_RAW_HEAD = 32 * 1024;
    /** HTTP API's payload quota (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html). */
    static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    static final int DEFAULT_READ_TIMEOUT_SECONDS = 10;
    static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
    static final int DEFAULT_MAX_CONNECTIONS = 1_000;
    private static final int MAX_CHUNK_LINE = 1_024;
    private static final int MAX_LEADING_EMPTY_LINES = 4;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    /** How long a request may take to arrive, how long a connection may idle, how many there may be. */
    record Limits(Duration readTimeout, Duration idleTimeout, int maxConnections) {

        static final Limits DEFAULT = new Limits(Duration.ofSeconds(DEFAULT_READ_TIMEOUT_SECONDS),
                Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS), DEFAULT_MAX_CONNECTIONS);

        /** LOCAL_READ_TIMEOUT and LOCAL_IDLE_TIMEOUT (ISO-8601 durations such as PT10S), LOCAL_MAX_CONNECTIONS. */
        static Limits from(Map<String, String> settings) {
            return new Limits(duration(settings, "LOCAL_READ_TIMEOUT", DEFAULT.readTimeout()),
                    duration(settings, "LOCAL_IDLE_TIMEOUT", DEFAULT.idleTimeout()),
                    count(settings, "LOCAL_MAX_CONNECTIONS", DEFAULT.maxConnections()));
        }

        private static Duration duration(Map<String, String> settings, String key, Duration fallback) {
            if (!LocalSettings.isSet(settings, key)) {
                return fallback;
            }
            try {
                Duration value = Duration.parse(settings.get(key).trim());
                if (value.toMillis() >= 1) {
                    return value;
                }
            } catch (DateTimeParseException e) {
                // below
            }
            throw new IllegalArgumentException(key + " must be a positive ISO-8601 duration such as PT10S, got '"
                    + settings.get(key) + "'");
        }

        private static int count(Map<String, String> settings, String key, int fallback) {
            if (!LocalSettings.isSet(settings, key)) {
                return fallback;
            }
            try {
                int value = Integer.parseInt(settings.get(key).trim());
                if (value >= 1) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(key + " must be a positive whole number, got '" + settings.get(key) + "'");
        }
    }

    /**
     * One request as the gateway accepted it.
     *
     * @param headers lower-case names, repeats joined with commas, in the order first seen
     */
    record Request(String method, URI uri, String version, Map<String, String> headers, byte[] body, InetSocketAddress remote) {
    }

    /** One answer: its headers in order (a name may repeat, as Set-Cookie does). */
    record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {

        static Response json(int status, String body) {
            return new Response(status, List.of(Map.entry("Content-Type", "application/json")),
                    body.getBytes(StandardCharsets.UTF_8));
        }

        static Response message(int status, String message) {
            return json(status, "{\"message\":\"" + message + "\"}");
        }
    }

    /** What answers accepted requests; it must not throw for a request's sake (LocalApi turns failures into 500s). */
    @FunctionalInterface
    interface Handler {
        Response handle(Request request) throws IOException;
    }

    /** A request the gateway refuses before any function sees it. */
    static final class Refused extends Exception {
        final int status;
        final String message;

        Refused(int status, String message, String reason) {
            super(reason, null, false, false);
            this.status = status;
            this.message = message;
        }

        static Refused badRequest(String reason) {
            return new Refused(400, "Bad Request", reason);
        }

        static Refused tooLarge(String reason) {
            return new Refused(431, "Request Header Fields Too Large", reason);
        }
    }

    private final ServerSocket serverSocket;
    private final Handler handler;
    private final Limits limits;
    private final Consumer<String> refusals;
    private final ExecutorService connectionThreads;
    private final boolean virtualThreads;
    private final Semaphore connectionSlots;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    /**
     * Listens on 127.0.0.1:{@code port} (0: any free port) and serves until {@link #close()}.
     *
     * @param refusals told one line for each request refused before it reached the handler
     */
    GatewayServer(int port, Limits limits, Handler handler, Consumer<String> refusals) throws IOException {
        this.serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1_024);
        this.handler = handler;
        this.limits = limits;
        this.refusals = refusals;
        this.connectionSlots = new Semaphore(limits.maxConnections());
        ExecutorService virtual = virtualThreadPerTaskExecutor();
        this.virtualThreads = virtual != null;
        this.connectionThreads = virtual != null ? virtual : platformThreads(limits.maxConnections());
        // Not a daemon: it keeps ./run-local's JVM alive after main has printed the banner.
        this.acceptor = new Thread(this::acceptLoop, "local-api-acceptor");
        acceptor.start();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    Limits limits() {
        return limits;
    }

    /** Whether connections get virtual threads (Java 21 or later) rather than platform ones. */
    boolean virtualThreads() {
        return virtualThreads;
    }

    /** Connections open now. */
    int openConnections() {
        return open.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        connectionThreads.shutdownNow();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Executors.newVirtualThreadPerTaskExecutor() when this JVM has it (Java 21+), else null. */
    private static ExecutorService virtualThreadPerTaskExecutor() {
        try {
            Method factory = java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) factory.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static ExecutorService platformThreads(int max) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(0, max, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "local-api-connection-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    // ---------------------------------------------------------------- connections

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (!connectionSlots.tryAcquire()) {
                refuseBusy(socket);
                continue;
            }
            open.add(socket);
            try {
                connectionThreads.execute(() -> {
                    try {
                        serveConnection(socket);
                    } finally {
                        open.remove(socket);
                        closeQuietly(socket);
                        connectionSlots.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                open.remove(socket);
                connectionSlots.release();
                closeQuietly(socket);
            }
        }
    }

    /** Over LOCAL_MAX_CONNECTIONS: a 503 written at once (it fits the socket's buffer), then closed. */
    private void refuseBusy(Socket socket) {
        refusals.accept("503 (refused by the gateway: " + limits.maxConnections() + " connections open, LOCAL_MAX_CONNECTIONS)");
        try (socket) {
            socket.setSoLinger(true, 0);
            OutputStream out = socket.getOutputStream();
            write(out, Response.message(503, "Service Unavailable"), false, false);
            out.flush();
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    private void serveConnection(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
            Input in = new Input(socket);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            // The first request's time runs from the connection's opening: a client that connects
            // and sends nothing is closed as one that sends half a head.
            long deadline = System.nanoTime() + limits.readTimeout().toNanos();
            while (!closed) {
                Request request;
                try {
                    in.startRequest(deadline);
                    request = readRequest(in, out, remote);
                } catch (Refused refused) {
                    refusals.accept(refused.status + " (refused by the gateway: " + refused.getMessage() + ")");
                    write(out, Response.message(refused.status, refused.message), false, false);
                    out.flush();
                    lingeringClose(socket);
                    return;
                } catch (SocketTimeoutException timeout) {
                    if (in.requestBytes() > 0) {
                        refusals.accept("408 (refused by the gateway: the request did not arrive within LOCAL_READ_TIMEOUT, "
                                + limits.readTimeout().toMillis() + " ms)");
                        write(out, Response.message(408, "Request Timeout"), false, false);
                        out.flush();
                    }
                    return;
                } catch (EndOfStream end) {
                    return;
                }
                Response response = handler.handle(request);
                boolean keepAlive = keepAlive(request) && !closed;
                write(out, response, "HEAD".equals(request.method()), keepAlive);
                out.flush();
                if (!keepAlive) {
                    return;
                }
                // Idle until the next request's first byte, then its own read timeout.
                if (!in.awaitNext(System.nanoTime() + limits.idleTimeout().toNanos())) {
                    return;
                }
                deadline = System.nanoTime() + limits.readTimeout().toNanos();
            }
        } catch (IOException gone) {
            // the client closed or reset the connection: nothing to answer
        }
    }

    private static boolean keepAlive(Request request) {
        String connection = request.headers().getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        if ("HTTP/1.0".equals(request.version())) {
            return tokens(connection).contains("keep-alive");
        }
        return !tokens(connection).contains("close");
    }

    private static List<String> tokens(String list) {
        List<String> tokens = new ArrayList<>();
        for (String token : list.split(",")) {
            tokens.add(token.trim());
        }
        return tokens;
    }

    /**
     * After a refusal, stops writing and reads (and drops) what the client is still sending, for a
     * moment, so the answer is not lost to a reset caused by unread bytes.
     */
    private static void lingeringClose(Socket socket) {
        try {
            socket.shutdownOutput();
            socket.setSoTimeout(250);
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[8 * 1024];
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            int drained = 0;
            while (System.nanoTime() < until && drained < 1024 * 1024) {
                int n = in.read(sink);
                if (n < 0) {
                    return;
                }
                drained += n;
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    // ---------------------------------------------------------------- reading a request

    private Request readRequest(Input in, OutputStream out, InetSocketAddress remote)
            throws IOException, Refused, EndOfStream {
        byte[] line = in.line(MAX_RAW_HEAD);
        for (int empty = 0; line.length == 0; empty++) { // RFC 9112 section 2.2: empty lines before a request line may be ignored
            if (empty >= MAX_LEADING_EMPTY_LINES) {
                throw Refused.badRequest("empty lines instead of a request line");
            }
            line = in.line(MAX_RAW_HEAD);
        }
        String requestLine = new String(line, StandardCharsets.ISO_8859_1);
        int counted = line.length;
        if (counted > MAX_REQUEST_LINE_AND_HEADER_VALUES) {
            throw Refused.tooLarge("a request line of " + counted + " bytes");
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3) {
            throw Refused.badRequest("a request line that is not METHOD SP TARGET SP VERSION");
        }
        String method = parts[0];
        String target = parts[1];
        String version = parts[2];
        if (method.isEmpty() || !isToken(method)) {
            throw Refused.badRequest("a method that is not a token");
        }
        if (!version.matches("HTTP/[0-9]\\.[0-9]")) {
            throw Refused.badRequest("a version that is not HTTP/x.y");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new Refused(505, "HTTP Version Not Supported", version);
        }
        if (target.isEmpty() || target.charAt(0) != '/' || !isVisibleAscii(target)) {
            throw Refused.badRequest("a request target that is not a path of visible ASCII");
        }
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            throw Refused.badRequest("a request target that is not a URI");
        }

        Map<String, String> headers = new LinkedHashMap<>();
        int hosts = 0;
        int contentLengths = 0;
        while (true) {
            byte[] header = in.line(MAX_RAW_HEAD);
            if (header.length == 0) {
                break;
            }
            if (header[0] == ' ' || header[0] == '\t') {
                throw Refused.badRequest("obsolete line folding");
            }
            int colon = indexOf(header, (byte) ':');
            if (colon <= 0) {
                throw Refused.badRequest(colon == 0 ? "a header without a name" : "a header line without a colon");
            }
            String name = new String(header, 0, colon, StandardCharsets.ISO_8859_1);
            if (!isToken(name)) {
                throw Refused.badRequest("a header name that is not a token (whitespace before the colon?)");
            }
            int start = colon + 1;
            int end = header.length;
            while (start < end && (header[start] == ' ' || header[start] == '\t')) {
                start++;
            }
            while (end > start && (header[end - 1] == ' ' || header[end - 1] == '\t')) {
                end--;
            }
            for (int i = start; i < end; i++) {
                int b = header[i] & 0xFF;
                if ((b < 0x20 && b != '\t') || b == 0x7F) {
                    throw Refused.badRequest(String.format(Locale.ROOT, "a control character (0x%02X) in the value of %s", b, name));
                }
            }
            counted += end - start;
            if (counted > MAX_REQUEST_LINE_AND_HEADER_VALUES) {
                throw Refused.tooLarge("more than " + MAX_REQUEST_LINE_AND_HEADER_VALUES
                        + " bytes of request line and header values");
            }
            String key = name.toLowerCase(Locale.ROOT);
            String value = new String(header, start, end - start, StandardCharsets.ISO_8859_1);
            if (key.equals("host")) {
                hosts++;
            } else if (key.equals("content-length")) {
                contentLengths++;
            }
            headers.merge(key, value, (a, b) -> a + "," + b);
        }
        if (version.equals("HTTP/1.1") && hosts != 1) {
            throw Refused.badRequest(hosts == 0 ? "an HTTP/1.1 request without Host" : "more than one Host");
        }
        if (hosts > 1) {
            throw Refused.badRequest("more than one Host");
        }

        byte[] body = readBody(in, out, headers, contentLengths, version);
        return new Request(method, uri, version, headers, body, remote);
    }

    private static byte[] readBody(Input in, OutputStream out, Map<String, String> headers, int contentLengths, String version)
            throws IOException, Refused, EndOfStream {
        String transferEncoding = headers.get("transfer-encoding");
        String contentLength = headers.get("content-length");
        if (transferEncoding != null && contentLength != null) {
            throw Refused.badRequest("both Transfer-Encoding and Content-Length");
        }
        if (contentLengths > 1) {
            throw Refused.badRequest("more than one Content-Length");
        }
        boolean expectContinue = "100-continue".equalsIgnoreCase(headers.getOrDefault("expect", "").trim())
                && version.equals("HTTP/1.1");
        if (transferEncoding != null) {
            if (!transferEncoding.trim().equalsIgnoreCase("chunked")) {
                throw new Refused(501, "Not Implemented", "the transfer coding " + transferEncoding);
            }
            if (expectContinue) {
                continueNow(out);
            }
            return in.chunked(MAX_PAYLOAD_BYTES);
        }
        if (contentLength == null) {
            return new byte[0];
        }
        if (contentLength.isEmpty() || contentLength.length() > 12 || !contentLength.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw Refused.badRequest("a Content-Length that is not a number");
        }
        long length = Long.parseLong(contentLength);
        if (length > MAX_PAYLOAD_BYTES) {
            throw new Refused(413, "Request Entity Too Large", "a body of " + length + " bytes (HTTP API's quota is 10 MB)");
        }
        if (length > 0 && expectContinue) {
            continueNow(out);
        }
        return in.exactly((int) length);
    }

    private static void continueNow(OutputStream out) throws IOException {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** RFC 9110 section 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA. */
    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVisibleAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- writing an answer

    private static void write(OutputStream out, Response response, boolean head, boolean keepAlive) throws IOException {
        StringBuilder text = new StringBuilder(256);
        text.append("HTTP/1.1 ").append(response.status()).append(' ').append(reason(response.status())).append("\r\n");
        text.append("Date: ").append(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        for (Map.Entry<String, String> header : response.headers()) {
            String name = header.getKey();
            if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("connection")
                    || name.equalsIgnoreCase("transfer-encoding") || name.equalsIgnoreCase("date")) {
                continue; // this server's to set
            }
            text.append(name).append(": ").append(header.getValue()).append("\r\n");
        }
        boolean bodyAllowed = response.status() != 204 && response.status() != 304;
        if (bodyAllowed) {
            text.append("Content-Length: ").append(response.body().length).append("\r\n");
        }
        if (!keepAlive) {
            text.append("Connection: close\r\n");
        }
        text.append("\r\n");
        out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (bodyAllowed && !head) {
            out.write(response.body());
        }
    }

    /** Whether a function's header can go on the wire as it is (no CR, LF or other control character, a token for a name). */
    static boolean isWritable(String name, String value) {
        if (!isToken(name) || value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }

    // ---------------------------------------------------------------- the socket's bytes, against a deadline

    /** The client closed the connection before a request began, or in the middle of one. */
    static final class EndOfStream extends Exception {
        EndOfStream() {
            super(null, null, false, false);
        }
    }

    /**
     * A connection's input, buffered, every read bounded by the current request's deadline (the
     * socket's timeout is set to what is left of it before each read, so a client trickling a
     * byte at a time is cut off at the deadline, not reprieved by each byte).
     */
    private static final class Input {
        private final Socket socket;
        private final InputStream in;
        private final byte[] buffer = new byte[8 * 1024];
        private int position;
        private int limit;
        private long deadline;
        private long requestBytes;

        Input(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
        }

        void startRequest(long deadlineNanos) {
            this.deadline = deadlineNanos;
            this.requestBytes = 0;
        }

        /** Bytes of the current request read so far. */
        long requestBytes() {
            return requestBytes;
        }

        /** Waits, until {@code idleDeadline}, for the next request's first byte; false when the client closed or idled out. */
        boolean awaitNext(long idleDeadline) throws IOException {
            if (position < limit) {
                return true;
            }
            long saved = deadline;
            deadline = idleDeadline;
            try {
                return fill();
            } catch (SocketTimeoutException idle) {
                return false;
            } finally {
                deadline = saved;
            }
        }

        private boolean fill() throws IOException {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            int n;
            try {
                n = in.read(buffer, 0, buffer.length);
            } catch (SocketException reset) {
                return false;
            }
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        private int next() throws IOException, EndOfStream {
            if (position >= limit && !fill()) {
                throw new EndOfStream();
            }
            requestBytes++;
            return buffer[position++] & 0xFF;
        }

        /** One line without its CRLF; a bare LF, or a CR not followed by LF, is refused. */
        byte[] line(int max) throws IOException, Refused, EndOfStream {
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            while (true) {
                int b = next();
                if (b == '\r') {
                    if (next() != '\n') {
                        throw Refused.badRequest("a CR that does not end a line");
                    }
                    return line.toByteArray();
                }
                if (b == '\n') {
                    throw Refused.badRequest("a bare LF as a line end");
                }
                line.write(b);
                if (requestBytes > max) {
                    throw Refused.tooLarge("a head of more than " + max + " bytes");
                }
            }
        }

        byte[] exactly(int length) throws IOException, EndOfStream {
            byte[] bytes = new byte[length];
            int filled = 0;
            while (filled < length) {
                if (position >= limit && !fill()) {
                    throw new EndOfStream();
                }
                int n = Math.min(length - filled, limit - position);
                System.arraycopy(buffer, position, bytes, filled, n);
                position += n;
                filled += n;
                requestBytes += n;
            }
            return bytes;
        }

        /** A chunked body (RFC 9112 section 7.1), extensions and trailers read and dropped. */
        byte[] chunked(int max) throws IOException, Refused, EndOfStream {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = new String(line((int) requestBytes + MAX_CHUNK_LINE), StandardCharsets.ISO_8859_1);
                String size = sizeLine.split(";", 2)[0].trim();
                if (size.isEmpty() || size.length() > 8 || !size.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    throw Refused.badRequest("a chunk size that is not hexadecimal");
                }
                int length = Integer.parseInt(size, 16);
                if (length == 0) {
                    break;
                }
                if (body.size() + (long) length > max) {
                    throw new Refused(413, "Request Entity Too Large", "a chunked body over HTTP API's 10 MB quota");
                }
                body.writeBytes(exactly(length));
                if (next() != '\r' || next() != '\n') {
                    throw Refused.badRequest("chunk data not followed by CRLF");
                }
            }
            for (int trailers = 0; line((int) requestBytes + MAX_CHUNK_LINE).length != 0; trailers++) {
                if (trailers > 32) {
                    throw Refused.tooLarge("too many trailer fields");
                }
            }
            return body.toByteArray();
        }
    }
}
