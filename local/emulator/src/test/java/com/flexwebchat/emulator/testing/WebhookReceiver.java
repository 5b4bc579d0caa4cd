package com.flexwebchat.emulator.testing;

import com.flexwebchat.emulator.http.FormCodec;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The receiving end of the emulator's webhooks in tests: a JDK HTTP server on 127.0.0.1 that records every request
 * and answers what a test set for its path (200 with no body by default).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** A request as received. */
    public record Received(String method, String path, String query, Map<String, List<String>> headers,
                    Map<String, List<String>> form) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public String param(String name) {
            List<String> values = form.get(name);
            return values == null ? null : values.get(0);
        }
    }

    /** What to answer. */
    public record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Function<Received, Answer>> answers = new ConcurrentHashMap<>();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "webhook-receiver");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT{path}}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void answer(String path, int status, String body) {
        answers.put(path, request -> new Answer(status, body));
    }

    public void answer(String path, Function<Received, Answer> answer) {
        answers.put(path, answer);
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    public synchronized List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()),
                    FormCodec.decode("GET".equals(exchange.getRequestMethod()) ? exchange.getRequestURI().getRawQuery() : body));
            synchronized (this) {
                received.add(request);
            }
            Answer answer = answers.getOrDefault(request.path(), r -> new Answer(200, "")).apply(request);
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            if (!answer.body().isEmpty()) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
