package com.flexwebchat.agentended;

import com.flexwebchat.emulator.TwilioEmulator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator does not serve Flex's Interactions API yet. This stands in front of it for the
 * tests that need one: {@code GET /flex-api/v1/Interactions/{KD}/Channels/{UO}} is answered with
 * the status a test sets ({@code flex.v1.interaction.interaction_channel}, 404 for channels it has
 * none for); every other request goes on to the emulator unchanged, which journals and checks it.
 * To be dropped when the emulator has interactions.
 */
final class InteractionsFront implements AutoCloseable {

    private static final Pattern CHANNEL = Pattern.compile("/flex-api/v1/Interactions/(KD[0-9a-f]{32})/Channels/(UO[0-9a-f]{32})");
    private static final List<String> FORWARDED = List.of("authorization", "content-type", "accept", "x-twilio-webhook-enabled");

    private final TwilioEmulator emulator;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> statuses = new ConcurrentHashMap<>();
    private final List<String> channelReads = new CopyOnWriteArrayList<>();

    InteractionsFront(TwilioEmulator emulator) {
        this.emulator = emulator;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The interaction channel's status as Flex reports it: {@code active}, {@code closed}, {@code inactive}, ... */
    void channel(String interactionSid, String channelSid, String status) {
        statuses.put(interactionSid + "/" + channelSid, status);
    }

    /** The paths of the interaction channels read so far. */
    List<String> channelReads() {
        return List.copyOf(channelReads);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Matcher channel = CHANNEL.matcher(path);
            if (exchange.getRequestMethod().equals("GET") && channel.matches()) {
                channelReads.add(path);
                String status = statuses.get(channel.group(1) + "/" + channel.group(2));
                if (status == null) {
                    send(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource " + path.substring(9)
                            + " was not found\",\"more_info\":\"https://www.twilio.com/docs/errors/20404\",\"status\":404}");
                } else {
                    send(exchange, 200, "{\"sid\":\"" + channel.group(2) + "\",\"interaction_sid\":\"" + channel.group(1)
                            + "\",\"type\":\"web\",\"status\":\"" + status + "\",\"error_code\":null,\"error_message\":null,"
                            + "\"url\":\"https://flex-api.twilio.com" + path.substring(9) + "\",\"links\":{}}");
                }
                return;
            }
            forward(exchange);
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        URI target = URI.create(emulator.baseUrl() + exchange.getRequestURI());
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (FORWARDED.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            send(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
