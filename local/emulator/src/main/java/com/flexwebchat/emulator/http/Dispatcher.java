package com.flexwebchat.emulator.http;

import com.flexwebchat.emulator.Fault;
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
 * Answers one HTTP exchange: optional injected delay, Basic auth, optional injected fault, then the routed
 * operation under the state lock, and the answer sent as the fault says (as it is, cut short, not at all). Every
 * exchange is journaled before its response is written (or withheld), so a client that has its answer, or has
 * given up on it, always finds the request in the journal.
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
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String body = new String(raw, StandardCharsets.UTF_8);
            Map<String, List<String>> form = isForm(headers) ? FormCodec.decode(body) : Map.of();

            Optional<Duration> delay = faults.takeDelay(method, path);
            if (delay.isPresent() && !sleep(delay.get())) {
                return; // the emulator is closing
            }
            Outcome outcome = answer(new ApiRequest(method, path, Map.of(), FormCodec.decode(query), form, headers, raw));
            ApiResponse response = outcome.response();
            byte[] answer = bytes(response);
            Fault fault = outcome.fault();
            String faultName = fault == null ? (delay.isPresent() ? Fault.slow(delay.get()).describe() : null) : fault.describe();
            journal.add(new RecordedRequest(method, path, query, headers, form, body, response.status(), journaled(response, answer),
                    faultName));
            if (fault instanceof Fault.Garbled) {
                sendGarbled(exchange, response, answer);
            } else if (fault instanceof Fault.Dropped) {
                return; // closing an exchange before its response headers closes the connection, without a byte of answer
            } else if (fault instanceof Fault.NoAnswer) {
                faults.hold(Fault.MAX_HOLD);
            } else {
                send(exchange, response, answer);
            }
        }
    }

    /** The answer, and the fault that applies to how it is sent (null: sent as it is). */
    private record Outcome(ApiResponse response, Fault fault) {
    }

    private Outcome answer(ApiRequest request) {
        Fault fault = null;
        try {
            Optional<Router.Match> unauthenticated = router.unauthenticated(request.method(), request.path());
            if (unauthenticated.isEmpty()) {
                credentials.check(request.header("Authorization"), request.path());
            }
            fault = faults.takeFault(request.method(), request.path()).orElse(null);
            if (fault instanceof Fault.ErrorAnswer error) {
                return new Outcome(TwilioError.injected(error.status(), error.twilioCode()).toResponse(), error);
            }
            Router.Match match = unauthenticated.isPresent() ? unauthenticated.get()
                    : router.route(request.method(), request.path());
            ApiRequest routed = new ApiRequest(request.method(), request.path(), match.pathParams(), request.query(),
                    request.form(), request.headers(), request.body());
            return new Outcome(stateLock.locked(() -> match.route().handler().handle(routed)), fault);
        } catch (TwilioError e) {
            return new Outcome(e.toResponse(), fault);
        } catch (RuntimeException e) {
            // A bug in the emulator: answer like Twilio's 500 and keep serving.
            e.printStackTrace();
            return new Outcome(TwilioError.internal(e.toString()).toResponse(), fault);
        }
    }

    /** The body as it goes on the wire: JSON, a file as it is, nothing for 204. */
    private static byte[] bytes(ApiResponse response) {
        if (response.isFile()) {
            return (byte[]) response.body();
        }
        return response.body() == null ? new byte[0] : Json.write(response.body()).getBytes(StandardCharsets.UTF_8);
    }

    /** What the journal keeps of the answer: its JSON or other text; a binary file only as its length. */
    private static String journaled(ApiResponse response, byte[] answer) {
        if (!response.isFile()) {
            return new String(answer, StandardCharsets.UTF_8);
        }
        String type = response.headers().getOrDefault("Content-Type", "").toLowerCase(Locale.ROOT);
        boolean text = type.startsWith("text/") || type.contains("xml") || type.contains("json");
        return text ? new String(answer, StandardCharsets.UTF_8) : "";
    }

    /**
     * The answer's status with the first half of its body: what a client gets when the body is cut short (for a
     * file, the first half of its bytes, sent as if whole).
     */
    private static void sendGarbled(HttpExchange exchange, ApiResponse response, byte[] answer) throws IOException {
        byte[] cut;
        if (response.isFile()) {
            cut = java.util.Arrays.copyOf(answer, answer.length / 2);
            response.headers().forEach(exchange.getResponseHeaders()::set);
        } else {
            String json = new String(answer, StandardCharsets.UTF_8);
            cut = (json.length() < 2 ? "{\"" : json.substring(0, json.length() / 2)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        exchange.getResponseHeaders().set("Twilio-Request-Id", Sids.random("RQ"));
        exchange.sendResponseHeaders(response.status() == 204 ? 200 : response.status(), cut.length == 0 ? -1 : cut.length);
        if (cut.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(cut);
            }
        }
    }

    private static void send(HttpExchange exchange, ApiResponse response, byte[] bytes) throws IOException {
        if (response.body() != null && !response.isFile()) {
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
            } catch (IOException clientGone) {
                // A client may stop reading a file it has had enough of (and close the connection): its business.
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
