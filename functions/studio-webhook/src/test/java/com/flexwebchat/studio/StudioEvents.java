package com.flexwebchat.studio;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests as Studio's Make HTTP Request widget sends them, signed the way Twilio signs them (the
 * emulator's signer, with the account's auth token), shaped as API Gateway delivers them: form
 * bodies base64-encoded, JSON bodies with {@code bodySHA256} in the signed URL.
 */
final class StudioEvents {

    static final String HOST = "abc123.execute-api.eu-west-1.amazonaws.com";
    static final String PATH = "/webhooks/studio";
    static final String URL = "https://" + HOST + PATH;
    static final String AUTH_TOKEN = EmulatorAccount.defaults().authToken();

    private StudioEvents() {
    }

    static Map<String, List<String>> form(String... keyValues) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            form.computeIfAbsent(keyValues[i], k -> new ArrayList<>()).add(keyValues[i + 1]);
        }
        return form;
    }

    static String encode(Map<String, List<String>> form) {
        List<String> pairs = new ArrayList<>();
        form.forEach((key, values) -> values.forEach(value -> pairs.add(URLEncoder.encode(key, StandardCharsets.UTF_8)
                + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8))));
        return String.join("&", pairs);
    }

    static Map<String, String> headers(String contentType, String signature) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", HOST);
        headers.put("x-forwarded-proto", "https");
        headers.put("x-forwarded-port", "443");
        headers.put("content-type", contentType);
        headers.put("user-agent", "TwilioProxy/1.1");
        if (signature != null) {
            headers.put("x-twilio-signature", signature);
        }
        return headers;
    }

    /** A form post signed over {@code signed} and carrying {@code sent}. */
    static APIGatewayV2HTTPEvent formPost(Map<String, List<String>> signed, Map<String, List<String>> sent, String authToken) {
        String signature = TwilioEmulator.signature(authToken, URL, signed);
        return HttpApiEvents.request("POST", PATH, PATH, "",
                headers("application/x-www-form-urlencoded; charset=UTF-8", signature), encode(sent), true);
    }

    static APIGatewayV2HTTPEvent formPost(Map<String, List<String>> params) {
        return formPost(params, params, AUTH_TOKEN);
    }

    /** A JSON post: the signature covers the URL, whose bodySHA256 covers the body. */
    static APIGatewayV2HTTPEvent jsonPost(String body) {
        String query = "bodySHA256=" + sha256(body);
        String signature = TwilioEmulator.signature(AUTH_TOKEN, URL + "?" + query, Map.of());
        return HttpApiEvents.request("POST", PATH, PATH, query, headers("application/json", signature), body, false);
    }

    static APIGatewayV2HTTPResponse invoke(StudioWebhookHandler handler, APIGatewayV2HTTPEvent event) {
        return invoke(handler, event, Duration.ofSeconds(15));
    }

    static APIGatewayV2HTTPResponse invoke(StudioWebhookHandler handler, APIGatewayV2HTTPEvent event, Duration timeout) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new LocalContext("StudioWebhookFunction", timeout));
        // What API Gateway receives goes through the Java runtime's serialiser: it must survive it.
        if (!HttpApiEvents.toJson(response).contains("\"statusCode\":" + response.getStatusCode())) {
            throw new AssertionError("the runtime could not serialise the response");
        }
        return response;
    }

    static String sha256(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
