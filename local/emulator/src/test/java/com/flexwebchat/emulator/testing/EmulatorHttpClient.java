package com.flexwebchat.emulator.testing;

import com.twilio.constant.EnumConstants;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A twilio-java {@link HttpClient} that sends the SDK's requests to the emulator: {@code https://{sub}.twilio.com}
 * (with or without region/edge labels) becomes {@code {baseUrl}/{sub}}. Everything else (method, query, form body,
 * headers, Basic credentials) goes over the wire as the SDK built it.
 */
final class EmulatorHttpClient extends HttpClient {

    private static final Pattern TWILIO_ORIGIN = Pattern.compile("^https://([a-z0-9-]+)(?:\\.[a-z0-9-]+)*?\\.twilio\\.com");

    private final String baseUrl;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    EmulatorHttpClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    @Override
    public Response makeRequest(Request request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(rewrite(request.constructURL().toString())))
                .timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json");
        request.getHeaderParams().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        if (request.requiresAuthentication()) {
            builder.header("Authorization", request.getAuthString());
        }
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.DELETE) {
            builder.method(method.toString(), HttpRequest.BodyPublishers.noBody());
        } else if (request.getContentType() == EnumConstants.ContentType.JSON) {
            builder.header("Content-Type", "application/json");
            builder.method(method.toString(), HttpRequest.BodyPublishers.ofString(request.getBody()));
        } else {
            builder.header("Content-Type", "application/x-www-form-urlencoded");
            builder.method(method.toString(), HttpRequest.BodyPublishers.ofString(request.encodeFormBody()));
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.body(), response.statusCode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String rewrite(String twilioUrl) {
        Matcher origin = TWILIO_ORIGIN.matcher(twilioUrl);
        if (!origin.find()) {
            throw new IllegalArgumentException("not a Twilio URL: " + twilioUrl);
        }
        return baseUrl + "/" + origin.group(1) + twilioUrl.substring(origin.end());
    }
}
