package com.flexwebchat.shared.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.http.Invocation;
import com.flexwebchat.shared.http.MediaType;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.metrics.MetricName;
import com.flexwebchat.shared.metrics.Metrics;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The adapter for routes only Twilio may call: the signature is checked first, over the exact
 * bytes received, and a request that fails it gets 403 with nothing else done. Then the body is
 * parsed (HTTP APIs deliver form bodies base64-encoded) and the route's endpoint runs within a
 * deadline, so Twilio gets its answer before its own webhook timeout.
 *
 * <p>Twilio sends {@code application/x-www-form-urlencoded} (or no Content-Type, taken as a form)
 * and, from Studio's HTTP request widget, {@code application/json}; the header is read as a media
 * type ({@link MediaType}), and any other type is 415 before anything else, since there is no
 * telling how it was signed.
 */
public final class WebhookAdapter {

    /** Twilio's webhook bodies are small; anything near this is not one. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final TwilioSignature signature;
    private final URI publicBaseUrl;
    private final Duration budget;

    /**
     * @param budget how long the endpoint may take at most, whatever the function's timeout:
     *               the caller's own webhook timeout less a margin
     */
    public WebhookAdapter(TwilioSignature signature, URI publicBaseUrl, Duration budget) {
        this.signature = signature;
        this.publicBaseUrl = publicBaseUrl;
        this.budget = budget;
    }

    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context, WebhookEndpoint endpoint) {
        return toResponse(Invocation.run(event == null ? null : event.getRouteKey(), context, budget,
                () -> endpoint.handle(verified(event, context == null ? null : context.getAwsRequestId()))));
    }

    private WebhookRequest verified(APIGatewayV2HTTPEvent event, String requestId) {
        if (event == null) {
            throw ApiError.badRequest("bad_event", "Not an HTTP API event");
        }
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        String body = body(event);
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw ApiError.payloadTooLarge("The body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        String url = WebhookUrl.of(event, headers, publicBaseUrl);
        String presented = headers.get("x-twilio-signature");
        String contentType = headers.get("content-type");
        boolean json = contentType != null && MediaType.isJson(contentType);
        if (!json && contentType != null && !contentType.isBlank() && !MediaType.isForm(contentType)) {
            Log.warn("Webhook refused: not a form nor JSON", "url", withoutQuery(url));
            throw ApiError.unsupportedMediaType("Send the body as application/x-www-form-urlencoded or application/json");
        }

        TwilioSignature.Failure failure;
        Map<String, List<String>> form = Map.of();
        JsonNode document = null;
        if (json) {
            failure = signature.checkJson(url, body, presented);
        } else {
            try {
                form = parseForm(body);
                failure = signature.checkForm(url, form, presented);
            } catch (IllegalArgumentException e) {
                failure = TwilioSignature.Failure.MALFORMED_BODY;
            }
        }
        if (failure != null) {
            // The URL tells an operator which URL to configure at Twilio; the signatures stay out.
            Metrics.count(MetricName.WebhooksRefused);
            Log.warn("Webhook refused: not signed by Twilio", "check", failure.name(), "url", withoutQuery(url));
            throw ApiError.forbidden("invalid_signature", "This route only accepts requests signed by Twilio");
        }
        if (json) {
            try {
                document = body.isBlank() ? Json.object() : Json.parse(body);
            } catch (JsonProcessingException e) {
                throw ApiError.badRequest("invalid_json", "The body is not valid JSON");
            }
            if (!document.isObject()) {
                throw ApiError.badRequest("invalid_json", "The body must be a JSON object");
            }
        }
        return new WebhookRequest(event.getRawPath(), form, document, requestId, headers.get("i-twilio-idempotency-token"));
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return "";
        }
        if (event.getIsBase64Encoded()) {
            // HTTP APIs base64-encode application/x-www-form-urlencoded bodies, Twilio's usual encoding.
            try {
                return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("bad_event", "The body is marked base64 but is not");
            }
        }
        return body;
    }

    /** Form parameters in order, repeated keys kept; malformed %-escapes throw IllegalArgumentException. */
    public static Map<String, List<String>> parseForm(String body) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return form;
    }

    private static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static APIGatewayV2HTTPResponse toResponse(HttpResponse response) {
        Map<String, String> headers = new HashMap<>();
        String body = "";
        if (response.body() != null) {
            headers.put("Content-Type", "application/json");
            body = Json.write(response.body());
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }
}
