package com.flexwebchat.shared.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.json.Json;
import java.util.Map;

/**
 * What a service answers: a status, a JSON body, and the few headers that are the answer's own
 * ({@code Retry-After}); CORS, caching and content type are the adapter's business.
 */
public record HttpResponse(int status, JsonNode body, Map<String, String> headers) {

    public HttpResponse {
        headers = Map.copyOf(headers);
    }

    public HttpResponse(int status, JsonNode body) {
        this(status, body, Map.of());
    }

    public static HttpResponse ok(JsonNode body) {
        return new HttpResponse(200, body);
    }

    /** The error shape every route uses: {@code {"error": {"code", "message", "field"?}}}. */
    public static HttpResponse error(ApiError error) {
        ObjectNode body = Json.object();
        ObjectNode detail = body.putObject("error");
        detail.put("code", error.code());
        detail.put("message", error.getMessage());
        if (error.field() != null) {
            detail.put("field", error.field());
        }
        return new HttpResponse(error.status(), body, error.retryAfterSeconds() > 0
                ? Map.of("Retry-After", String.valueOf(error.retryAfterSeconds())) : Map.of());
    }
}
