package com.flexwebchat.shared.webhook;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.net.URI;
import java.util.Map;

/**
 * The URL Twilio called, which is what it signed. Getting this wrong is the usual way webhook
 * validation breaks behind gateways and proxies, so there are two explicit sources:
 * <ul>
 *   <li>{@code PUBLIC_BASE_URL}, when set: that base + the route's path + the query. For custom
 *       domains, CDNs and proxies, where the Host API Gateway sees is not the one Twilio used.
 *       The base is everything the public URL has before the route ({@code https://chat.example.com}
 *       or {@code https://example.com/support}).</li>
 *   <li>Otherwise rebuilt from the event as API Gateway received it: {@code X-Forwarded-Proto},
 *       {@code Host}, the raw path (which on a named stage starts with the stage) and the raw
 *       query string.</li>
 * </ul>
 * A port in the URL is handled by the validator, which tries the URL with and without it.
 */
public final class WebhookUrl {

    private WebhookUrl() {
    }

    /** @param headers the event's headers, names in lower case */
    public static String of(APIGatewayV2HTTPEvent event, Map<String, String> headers, URI publicBaseUrl) {
        String rawPath = event.getRawPath() == null ? "/" : event.getRawPath();
        String query = event.getRawQueryString() == null || event.getRawQueryString().isEmpty()
                ? "" : "?" + event.getRawQueryString();
        if (publicBaseUrl != null) {
            return publicBaseUrl + routePath(event, rawPath) + query;
        }
        String proto = headers.getOrDefault("x-forwarded-proto", "https");
        // Behind CloudFront or another proxy the header can hold a list; the first is the client's.
        proto = proto.split(",")[0].trim();
        String host = headers.get("host");
        if (host == null && event.getRequestContext() != null) {
            host = event.getRequestContext().getDomainName();
        }
        return proto + "://" + host + rawPath + query;
    }

    /** The path without a named stage's prefix: what follows PUBLIC_BASE_URL. */
    private static String routePath(APIGatewayV2HTTPEvent event, String rawPath) {
        String stage = event.getRequestContext() == null ? null : event.getRequestContext().getStage();
        if (stage != null && !"$default".equals(stage) && rawPath.startsWith("/" + stage + "/")) {
            return rawPath.substring(stage.length() + 1);
        }
        return rawPath;
    }
}
