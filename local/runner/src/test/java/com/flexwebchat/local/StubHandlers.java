package com.flexwebchat.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.shared.http.HttpApiHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Handlers for stub-template.yaml. */
final class StubHandlers {

    private StubHandlers() {
    }

    /** Answers 201 with the event's essentials (all its headers too), base64-encoded, its own CORS header, cookies and X-Echo. */
    public static final class Echo implements HttpApiHandler {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
            ObjectNode echo = JSON.createObjectNode();
            echo.put("routeKey", event.getRouteKey());
            echo.put("method", event.getRequestContext().getHttp().getMethod());
            echo.put("rawPath", event.getRawPath());
            echo.put("rawQueryString", event.getRawQueryString());
            echo.put("isBase64Encoded", event.getIsBase64Encoded());
            echo.put("body", event.getBody());
            echo.put("contentType", event.getHeaders().get("content-type"));
            echo.put("forwardedProto", event.getHeaders().get("x-forwarded-proto"));
            echo.put("sourceIp", event.getRequestContext().getHttp().getSourceIp());
            ObjectNode headers = echo.putObject("headers");
            event.getHeaders().forEach(headers::put);
            echo.put("functionName", context.getFunctionName());
            echo.put("remainingMillis", context.getRemainingTimeInMillis());
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(201)
                    .withHeaders(Map.of("Content-Type", "application/json", "X-Echo", "yes",
                            "Access-Control-Allow-Origin", "*"))
                    .withCookies(List.of("a=1; Path=/", "b=2"))
                    .withBody(Base64.getEncoder().encodeToString(echo.toString().getBytes(StandardCharsets.UTF_8)))
                    .withIsBase64Encoded(true)
                    .build();
        }
    }

    /** An unhandled exception: Lambda reports a function error. */
    public static final class Boom implements HttpApiHandler {
        @Override
        public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
            throw new IllegalStateException("boom (expected by LocalApiGatewayTest)");
        }
    }

    /** Outlives its 1 s timeout. */
    public static final class Slow implements HttpApiHandler {
        @Override
        public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200).build();
        }
    }
}
