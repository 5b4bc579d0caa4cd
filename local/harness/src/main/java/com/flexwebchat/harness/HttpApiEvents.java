package com.flexwebchat.harness;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.http.HttpApiHandler;
import com.flexwebchat.shared.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * HTTP API payload format 2.0, both ways, through the Java runtime's own serialisers
 * (aws-lambda-java-serialization): a request becomes the JSON API Gateway sends
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html),
 * then the {@link APIGatewayV2HTTPEvent} the runtime would hand a {@code RequestHandler}; an
 * answer's JSON becomes the {@link APIGatewayV2HTTPResponse} API Gateway reads in it. Our functions
 * are {@code RequestStreamHandler}s with their own reading and writing ({@code HttpApiPayload});
 * the runtime's serialisers here are the independent reading their bytes are checked against.
 */
public final class HttpApiEvents {

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final PojoSerializer<APIGatewayV2HTTPEvent> EVENTS =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, HttpApiEvents.class.getClassLoader());
    private static final PojoSerializer<APIGatewayV2HTTPResponse> RESPONSES =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPResponse.class, HttpApiEvents.class.getClassLoader());

    private HttpApiEvents() {
    }

    /**
     * The event API Gateway sends for one request on the {@code $default} stage.
     *
     * @param headers request headers; API Gateway lower-cases names and joins repeats with commas
     * @param base64  whether API Gateway would base64-encode the body (it does for non-text content types)
     */
    public static APIGatewayV2HTTPEvent request(String method, String routePath, String rawPath, String rawQuery,
                                                Map<String, String> headers, String body, boolean base64) {
        return request(method, routePath, rawPath, rawQuery, headers, body, base64, "127.0.0.1");
    }

    /** As {@link #request(String, String, String, String, Map, String, boolean)}, from {@code sourceIp} (the TCP peer API Gateway saw). */
    public static APIGatewayV2HTTPEvent request(String method, String routePath, String rawPath, String rawQuery,
                                                Map<String, String> headers, String body, boolean base64, String sourceIp) {
        return fromJson(Json.write(requestJson(method, routePath, rawPath, rawQuery, headers, body, base64, sourceIp)));
    }

    /** The JSON document API Gateway sends for that request, as {@link #request} builds it before the runtime reads it. */
    public static ObjectNode requestJson(String method, String routePath, String rawPath, String rawQuery,
                                         Map<String, String> headers, String body, boolean base64, String sourceIp) {
        Map<String, String> lowerCased = new LinkedHashMap<>();
        headers.forEach((name, value) -> lowerCased.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + "," + b));
        Instant now = Instant.now();

        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("routeKey", method + " " + routePath);
        event.put("rawPath", rawPath);
        event.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        ObjectNode headerNode = event.putObject("headers");
        lowerCased.forEach(headerNode::put);
        if (rawQuery != null && !rawQuery.isEmpty()) {
            ObjectNode query = event.putObject("queryStringParameters");
            for (String pair : rawQuery.split("&")) {
                String[] kv = pair.split("=", 2);
                String key = java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
                String value = kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
                query.put(key, query.has(key) ? query.get(key).asText() + "," + value : value);
            }
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "123456789012");
        context.put("apiId", "local");
        context.put("domainName", lowerCased.getOrDefault("host", "127.0.0.1"));
        context.put("domainPrefix", "local");
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", rawPath);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", sourceIp);
        http.put("userAgent", lowerCased.getOrDefault("user-agent", ""));
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", method + " " + routePath);
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        if (body != null && !body.isEmpty()) {
            event.put("body", base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
        }
        event.put("isBase64Encoded", base64);
        return event;
    }

    /**
     * One invocation as the Java runtime makes it of a {@code RequestStreamHandler}: the event's
     * bytes in, the answer's bytes out, with nothing of ours in between.
     *
     * @return the answer's JSON, as the runtime hands it to API Gateway
     */
    public static String invoke(HttpApiHandler handler, String eventJson, Context context) {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), answer, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    /** The answer's JSON read as the runtime's own serialiser reads an {@link APIGatewayV2HTTPResponse}: what API Gateway sees in it. */
    public static APIGatewayV2HTTPResponse responseFromJson(String json) {
        return RESPONSES.fromJson(json);
    }

    /** Deserialises an event document as the Java runtime does. */
    public static APIGatewayV2HTTPEvent fromJson(String json) {
        return EVENTS.fromJson(json);
    }

    /** Serialises a handler's response as the Java runtime does before returning it to API Gateway. */
    public static String toJson(APIGatewayV2HTTPResponse response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RESPONSES.toJson(response, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
