package com.flexwebchat.shared.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import java.util.Map;

/**
 * A request as our services see it, free of Lambda types: method, raw path, headers with
 * lower-case names (as API Gateway HTTP APIs deliver them), the decoded body, and the address API
 * Gateway received it from ({@code requestContext.http.sourceIp}; null when unknown).
 */
public record HttpRequest(String method, String path, Map<String, String> headers, String body, String requestId,
                          String sourceIp) {

    public HttpRequest {
        headers = Map.copyOf(headers);
        body = body == null ? "" : body;
    }

    public HttpRequest(String method, String path, Map<String, String> headers, String body, String requestId) {
        this(method, path, headers, body, requestId, null);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The body as a JSON object; an empty body counts as {@code {}}. Anything else is a 400, and a
     * {@code Content-Type} that is not {@code application/json} (read as a media type, see
     * {@link MediaType}: {@code application/jsonp} is not) a 415. No Content-Type at all is taken as JSON.
     */
    public JsonNode jsonObject() {
        String contentType = header("content-type");
        if (contentType != null && !contentType.isBlank() && !MediaType.isJson(contentType)) {
            throw ApiError.unsupportedMediaType("Send the body as application/json");
        }
        if (body.isBlank()) {
            return Json.object();
        }
        JsonNode node;
        try {
            node = Json.parse(body);
        } catch (StreamConstraintsException e) {
            throw ApiError.badRequest("invalid_json", "The body is nested too deeply");
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("invalid_json", "The body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("invalid_json", "The body must be a JSON object");
        }
        return node;
    }
}
