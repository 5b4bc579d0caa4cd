package com.flexwebchat.standins;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What the mail stand-ins share: an HTTP server on a free port of 127.0.0.1, the emails accepted so far (and
 * whoever wants to hear of each), and the faults to answer the next requests with.
 */
abstract class MailStandIn implements AutoCloseable {

    /**
     * Jackson's default longest string is 20 million characters; a provider takes messages of 30-40 MB, base64 and
     * all, in one JSON string.
     */
    static final ObjectMapper JSON = new ObjectMapper();
    /** Read no more than this of a request, whatever its provider's limit: the stand-in runs in a developer's JVM. */
    static final int MAX_READ = 96 * 1024 * 1024;
    /** The longest a request is held unanswered ({@link MailFault#NO_ANSWER}) when nobody closes the stand-in. */
    private static final Duration HOLD = Duration.ofMinutes(2);

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_READ).build());
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final List<CapturedEmail> captured = new CopyOnWriteArrayList<>();
    private final List<Consumer<CapturedEmail>> listeners = new CopyOnWriteArrayList<>();
    private final Deque<MailFault> faults = new ArrayDeque<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    MailStandIn(String name) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}: where the functions' calls go. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every email accepted so far, oldest first. */
    public List<CapturedEmail> captured() {
        return List.copyOf(captured);
    }

    /** Forgets the emails accepted so far. */
    public void clear() {
        captured.clear();
    }

    /** Tells {@code listener} of each email accepted from now on, on the thread that accepted it, before the answer. */
    public void onCaptured(Consumer<CapturedEmail> listener) {
        listeners.add(listener);
    }

    /** The next {@code count} requests get {@code fault} instead of their answer. */
    public void failNext(int count, MailFault fault) {
        if (!supports(fault)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no " + fault);
        }
        synchronized (faults) {
            for (int i = 0; i < count; i++) {
                faults.add(fault);
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    abstract boolean supports(MailFault fault);

    /** Answers a request that has no fault to meet. */
    abstract void answer(HttpExchange exchange, byte[] body) throws IOException;

    /** Answers {@code fault} (not NO_ANSWER or DROPPED, which are handled here). */
    abstract void answerFault(HttpExchange exchange, MailFault fault) throws IOException;

    /** Records an accepted email and tells the listeners. */
    void capture(CapturedEmail email) {
        captured.add(email);
        for (Consumer<CapturedEmail> listener : listeners) {
            listener.accept(email);
        }
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = read(exchange.getRequestBody());
            MailFault fault;
            synchronized (faults) {
                fault = faults.poll();
            }
            if (fault == MailFault.NO_ANSWER) {
                try {
                    closing.await(HOLD.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (fault == MailFault.DROPPED) {
                return; // closed without response headers: the JDK's server closes the connection
            }
            if (fault != null) {
                answerFault(exchange, fault);
            } else if (body == null) {
                answerTooLarge(exchange);
            } else {
                answer(exchange, body);
            }
        }
    }

    /** A request over {@link #MAX_READ}. */
    abstract void answerTooLarge(HttpExchange exchange) throws IOException;

    /** The whole body, or null (and the rest drained) when it is over {@link #MAX_READ}. */
    private static byte[] read(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_READ + 1);
        if (body.length > MAX_READ) {
            in.transferTo(OutputStream.nullOutputStream());
            return null;
        }
        return body;
    }

    static List<String> texts(com.fasterxml.jackson.databind.JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
