package com.flexwebchat.local;

import com.flexwebchat.harness.SamTemplate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an HTTP API with a CORS configuration does on its own, before and after the functions
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html):
 * <blockquote>If you configure CORS for an API, API Gateway automatically sends a response to
 * preflight OPTIONS requests, even if there isn't an OPTIONS route configured for your API. For a
 * CORS request, API Gateway adds the configured CORS headers to the response from an integration.
 * [...] If you configure CORS for an API, API Gateway ignores CORS headers returned from your
 * backend integration. [...] To return CORS headers, your request must contain an origin header.
 * For OPTIONS method, your request must contain an origin header and an
 * Access-Control-Request-Method header.</blockquote>
 *
 * <p>The allowed origins come from the ALLOWED_ORIGINS setting: the template feeds the CORS
 * configuration and the functions' ALLOWED_ORIGINS from the one AllowedOrigins parameter.
 * Access-Control-Allow-Origin is sent only for an allowed origin (the request's own origin, or
 * {@code *} when everything is allowed); a preflight from another origin still gets its 204, and
 * without that header the browser refuses the call.
 */
final class GatewayCors {

    private final SamTemplate.Cors configuration;
    private final Set<String> allowedOrigins;

    GatewayCors(SamTemplate.Cors configuration, String allowedOriginsSetting) {
        this.configuration = configuration;
        this.allowedOrigins = parseOrigins(allowedOriginsSetting);
    }

    Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    SamTemplate.Cors configuration() {
        return configuration;
    }

    /** A CORS preflight, which API Gateway answers itself. Header names are lower case. */
    static boolean isPreflight(String method, Map<String, String> lowerCaseHeaders) {
        return "OPTIONS".equalsIgnoreCase(method)
                && lowerCaseHeaders.containsKey("origin")
                && lowerCaseHeaders.containsKey("access-control-request-method");
    }

    /** The 204's headers. */
    Map<String, String> preflightHeaders(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        String allowOrigin = allowOrigin(origin);
        if (allowOrigin != null) {
            headers.put("Access-Control-Allow-Origin", allowOrigin);
            if (configuration.allowCredentials()) {
                headers.put("Access-Control-Allow-Credentials", "true");
            }
        }
        if (!configuration.allowMethods().isEmpty()) {
            headers.put("Access-Control-Allow-Methods", String.join(",", configuration.allowMethods()));
        }
        if (!configuration.allowHeaders().isEmpty()) {
            headers.put("Access-Control-Allow-Headers", String.join(",", configuration.allowHeaders()));
        }
        if (configuration.maxAgeSeconds() != null) {
            headers.put("Access-Control-Max-Age", String.valueOf(configuration.maxAgeSeconds()));
        }
        return headers;
    }

    /** The headers added to a function's response (after dropping the function's own CORS headers). */
    Map<String, String> responseHeaders(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        String allowOrigin = allowOrigin(origin);
        if (allowOrigin == null) {
            return headers;
        }
        headers.put("Access-Control-Allow-Origin", allowOrigin);
        if (configuration.allowCredentials()) {
            headers.put("Access-Control-Allow-Credentials", "true");
        }
        if (!configuration.exposeHeaders().isEmpty()) {
            headers.put("Access-Control-Expose-Headers", String.join(",", configuration.exposeHeaders()));
        }
        return headers;
    }

    static boolean isCorsHeader(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith("access-control-");
    }

    private String allowOrigin(String origin) {
        if (origin == null) {
            return null;
        }
        if (allowedOrigins.contains("*")) {
            return "*";
        }
        return allowedOrigins.contains(normalize(origin)) ? origin : null;
    }

    /** As WebChatConfig reads ALLOWED_ORIGINS: comma-separated, trimmed, without a trailing slash. */
    static Set<String> parseOrigins(String value) {
        if (value == null) {
            return Set.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .map(GatewayCors::normalize)
                .filter(origin -> !origin.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static String normalize(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }
}
