package com.flexwebchat.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The emulator's REST API, called as an operator, Flex or Studio would call Twilio's: form
 * requests with the emulator account's credentials, JSON answers. For the local runner's own
 * set-up ({@link LocalApi}) and the scripted chat ({@link ChatPlayer}); the functions reach the
 * emulator through the SDK like they reach Twilio.
 */
final class EmulatorRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final TwilioEmulator emulator;

    EmulatorRest(TwilioEmulator emulator) {
        this.emulator = emulator;
    }

    /** A form field; a list of them keeps repeated names ({@code Filters}) and order. */
    static Map.Entry<String, String> field(String name, String value) {
        return Map.entry(name, value);
    }

    /** {@code POST {path}} with {@code form} and extra headers (name, value, ...); the answer must be 2xx. */
    JsonNode post(String path, List<Map.Entry<String, String>> form, String... headers) {
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> field : form) {
            body.append(body.length() == 0 ? "" : "&")
                    .append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8));
        }
        HttpRequest.Builder request = request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send("POST", path, request.build());
    }

    /** {@code GET {path}}; the answer must be 2xx. */
    JsonNode get(String path) {
        return send("GET", path, request(path).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        EmulatorAccount account = emulator.account();
        String credentials = account.accountSid() + ":" + account.authToken();
        return HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode send(String method, String path, HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("the emulator refused " + method + " " + path + ": HTTP "
                        + response.statusCode() + " " + response.body());
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
