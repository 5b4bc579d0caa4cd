package com.flexwebchat.shared.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an API Gateway HTTP API (payload 2.0) event into an {@link HttpRequest}, runs the
 * route's {@link Endpoint}, and turns the outcome into the response API Gateway expects. Every
 * browser route gets the same treatment here: origin check, body limit, deadline, CORS headers,
 * one access log line, and JSON errors (never a stack trace, never a 500 for bad input).
 */
public final class ApiGatewayAdapter {

    /** The widget sends a few hundred bytes; the limit for a whole body. */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    private final OriginPolicy origins;
    private final int maxBodyBytes;

    public ApiGatewayAdapter(OriginPolicy origins) {
        this(origins, MAX_BODY_BYTES);
    }

    /** @param maxBodyBytes the largest body the route takes: {@link #MAX_BODY_BYTES} unless the widget sends more */
    public ApiGatewayAdapter(OriginPolicy origins, int maxBodyBytes) {
        this.origins = origins;
        this.maxBodyBytes = maxBodyBytes;
    }

    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context, Endpoint endpoint) {
        String[] allowedOrigin = {null};
        HttpResponse response = Invocation.run(event == null ? null : event.getRouteKey(), context, null, () -> {
            HttpRequest request = toRequest(event, context == null ? null : context.getAwsRequestId());
            allowedOrigin[0] = origins.check(request.header("origin"));
            if (!"POST".equals(request.method())) {
                throw ApiError.methodNotAllowed("Use POST");
            }
            if (request.body().getBytes(StandardCharsets.UTF_8).length > maxBodyBytes) {
                throw ApiError.payloadTooLarge("The body is larger than " + maxBodyBytes + " bytes");
            }
            return endpoint.handle(request);
        });
        return toResponse(response, allowedOrigin[0]);
    }

    private static HttpRequest toRequest(APIGatewayV2HTTPEvent event, String requestId) {
        if (event == null) {
            throw ApiError.badRequest("bad_event", "Not an HTTP API event");
        }
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod()
                : "POST";
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            // HTTP APIs base64-encode bodies whose content type they do not treat as text.
            try {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("bad_event", "The body is marked base64 but is not");
            }
        }
        String sourceIp = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getSourceIp() : null;
        return new HttpRequest(method, event.getRawPath(), headers, body, requestId, sourceIp);
    }

    private static APIGatewayV2HTTPResponse toResponse(HttpResponse response, String allowedOrigin) {
        Map<String, String> headers = new HashMap<>(response.headers());
        headers.put("Content-Type", "application/json");
        // Tokens must not sit in shared caches.
        headers.put("Cache-Control", "no-store");
        if (allowedOrigin != null) {
            headers.put("Access-Control-Allow-Origin", allowedOrigin);
            headers.put("Vary", "Origin");
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(headers)
                .withBody(Json.write(response.body()))
                .withIsBase64Encoded(false)
                .build();
    }
}
