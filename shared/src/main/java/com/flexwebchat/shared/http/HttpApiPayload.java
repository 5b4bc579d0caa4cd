package com.flexwebchat.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API Gateway's HTTP API payload format 2.0, read and written with our own JSON mapper
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 *
 * <p>Why not the Java runtime's serialiser: for a {@code RequestHandler} the runtime builds its own
 * reflective Jackson serialisers for the event and the response while it loads the handler, and
 * uses them on every request. They are the runtime's, out of our code's reach before a snapshot,
 * and they were most of what a restored function's first request still loaded. Here the event is
 * read through the tree model into the same {@link APIGatewayV2HTTPEvent}, and the answer written
 * the same way: our mapper, whose classes and caches every earlier request has already warmed.
 *
 * <p>Read: every field of the format except {@code requestContext.authorizer} and
 * {@code requestContext.authentication} (no route has an authorizer or mutual TLS). Written: the
 * response fields API Gateway reads, those that are set.
 */
public final class HttpApiPayload {

    private HttpApiPayload() {
    }

    /**
     * The event in {@code input}, or null when it is not a JSON object (API Gateway always sends
     * one; the adapters answer anything else 400).
     */
    public static APIGatewayV2HTTPEvent read(InputStream input) throws IOException {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(input);
        } catch (JacksonException e) {
            return null;
        }
        return json instanceof ObjectNode object ? event(object) : null;
    }

    /** The event in a JSON document, as {@link #read(InputStream)} reads it. */
    public static APIGatewayV2HTTPEvent event(JsonNode json) {
        JsonNode context = json.path("requestContext");
        JsonNode http = context.path("http");
        return APIGatewayV2HTTPEvent.builder()
                .withVersion(text(json, "version"))
                .withRouteKey(text(json, "routeKey"))
                .withRawPath(text(json, "rawPath"))
                .withRawQueryString(text(json, "rawQueryString"))
                .withCookies(list(json.get("cookies")))
                .withHeaders(map(json.get("headers")))
                .withQueryStringParameters(map(json.get("queryStringParameters")))
                .withPathParameters(map(json.get("pathParameters")))
                .withStageVariables(map(json.get("stageVariables")))
                .withBody(text(json, "body"))
                .withIsBase64Encoded(json.path("isBase64Encoded").asBoolean(false))
                .withRequestContext(context.isObject() ? APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(text(context, "routeKey"))
                        .withAccountId(text(context, "accountId"))
                        .withStage(text(context, "stage"))
                        .withApiId(text(context, "apiId"))
                        .withDomainName(text(context, "domainName"))
                        .withDomainPrefix(text(context, "domainPrefix"))
                        .withTime(text(context, "time"))
                        .withTimeEpoch(context.path("timeEpoch").asLong(0))
                        .withRequestId(text(context, "requestId"))
                        .withHttp(http.isObject() ? APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(text(http, "method"))
                                .withPath(text(http, "path"))
                                .withProtocol(text(http, "protocol"))
                                .withSourceIp(text(http, "sourceIp"))
                                .withUserAgent(text(http, "userAgent"))
                                .build() : null)
                        .build() : null)
                .build();
    }

    /** The answer as the JSON API Gateway reads: the fields that are set. */
    public static void write(APIGatewayV2HTTPResponse response, OutputStream output) throws IOException {
        output.write(Json.write(json(response)).getBytes(StandardCharsets.UTF_8));
    }

    /** The answer as a JSON document, as {@link #write} writes it. */
    public static ObjectNode json(APIGatewayV2HTTPResponse response) {
        ObjectNode json = Json.object();
        json.put("statusCode", response.getStatusCode());
        if (response.getHeaders() != null) {
            ObjectNode headers = json.putObject("headers");
            response.getHeaders().forEach(headers::put);
        }
        if (response.getMultiValueHeaders() != null) {
            ObjectNode headers = json.putObject("multiValueHeaders");
            response.getMultiValueHeaders().forEach((name, values) -> values.forEach(headers.withArray(name)::add));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(json.putArray("cookies")::add);
        }
        if (response.getBody() != null) {
            json.put("body", response.getBody());
        }
        json.put("isBase64Encoded", response.getIsBase64Encoded());
        return json;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Map<String, String> map(JsonNode json) {
        if (json == null || !json.isObject()) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        json.properties().forEach(entry -> map.put(entry.getKey(), entry.getValue().isNull() ? null : entry.getValue().asText()));
        return map;
    }

    private static List<String> list(JsonNode json) {
        if (json == null || !json.isArray()) {
            return null;
        }
        List<String> list = new ArrayList<>(json.size());
        json.forEach(value -> list.add(value.asText()));
        return list;
    }
}
