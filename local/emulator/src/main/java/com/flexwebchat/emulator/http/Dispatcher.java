package com.flexwebchat.emulator.http;

import com.flexwebchat.emulator.RecordedRequest;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Answers one HTTP exchange: optional injected delay, Basic auth, optional injected failure, then the routed
 * operation under the state lock. Every exchange is journaled before its response is written, so a client that
 * has its answer always finds the request in the journal.
 */
final class Dispatcher implements HttpHandler {

    private final Router router;
    private final Credentials credentials;
    private final Faults faults;
    private final Journal journal;
    private final StateLock stateLock;

    Dispatcher(Router router, Credentials credentials, Faults faults, Journal journal, StateLock stateLock) {
        this.router = router;
        this.credentials = credentials;
        this.faults = faults;
        this.journal = journal;
        this.stateLock = stateLock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            Map<String, List<String>> headers = lowerCaseHeaders(exchange);
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> form = isForm(headers) ? FormCodec.decode(body) : Map.of();

            Optional<Duration> delay = faults.takeDelay(method, path);
            if (delay.isPresent() && !sleep(delay.get())) {
                return; // the emulator is closing
            }
            ApiResponse response = answer(new ApiRequest(method, path, Map.of(), FormCodec.decode(query), form, headers));
            String json = response.body() == null ? "" : Json.write(response.body());
            journal.add(new RecordedRequest(method, path, query, headers, form, body, response.status(), json));
            send(exchange, response, json);
        }
    }

    private ApiResponse answer(ApiRequest request) {
        try {
            credentials.check(request.header("Authorization"), request.path());
            Optional<Faults.Failure> failure = faults.takeFailure(request.method(), request.path());
            if (failure.isPresent()) {
                return TwilioError.injected(failure.get().status(), failure.get().code()).toResponse();
            }
            Router.Match match = router.route(request.method(), request.path());
            ApiRequest routed = new ApiRequest(request.method(), request.path(), match.pathParams(), request.query(),
                    request.form(), request.headers());
            return stateLock.locked(() -> match.route().handler().handle(routed));
        } catch (TwilioError e) {
            return e.toResponse();
        } catch (RuntimeException e) {
            // A bug in the emulator: answer like Twilio's 500 and keep serving.
            e.printStackTrace();
            return TwilioError.internal(e.toString()).toResponse();
        }
    }

    private static void send(HttpExchange exchange, ApiResponse response, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (response.body() != null) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        // Every Twilio response carries a request id (RQ...) that support can look up.
        exchange.getResponseHeaders().set("Twilio-Request-Id", Sids.random("RQ"));
        response.headers().forEach(exchange.getResponseHeaders()::set);
        boolean empty = response.status() == 204 || bytes.length == 0;
        exchange.sendResponseHeaders(response.status(), empty ? -1 : bytes.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, List<String>> lowerCaseHeaders(HttpExchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        return headers;
    }

    private static boolean isForm(Map<String, List<String>> headers) {
        List<String> contentType = headers.get("content-type");
        return contentType == null || contentType.isEmpty()
                || contentType.get(0).toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private static boolean sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
