package com.flexwebchat.harness;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.flexwebchat.emulator.TwilioEmulator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Twilio webhooks as a function behind API Gateway receives them: signed the way Twilio signs
 * them (the emulator's signer) for {@code https://}{@value #HOST}{@code + path}, which the event's
 * headers describe; form bodies base64-encoded, JSON bodies with {@code bodySHA256} in the signed
 * URL.
 */
public final class SignedWebhooks {

    public static final String HOST = "abc123.execute-api.eu-west-1.amazonaws.com";

    private SignedWebhooks() {
    }

    public static String url(String path) {
        return "https://" + HOST + path;
    }

    /** Form parameters in order, from alternating names and values; repeated names allowed. */
    public static Map<String, List<String>> form(String... namesAndValues) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.computeIfAbsent(namesAndValues[i], k -> new ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return form;
    }

    public static String encode(Map<String, List<String>> form) {
        List<String> pairs = new ArrayList<>();
        form.forEach((name, values) -> values.forEach(value -> pairs.add(URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8))));
        return String.join("&", pairs);
    }

    /** The headers API Gateway passes on for a request from Twilio; no signature header when {@code signature} is null. */
    public static Map<String, String> headers(String contentType, String signature) {
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

    /** A form post carrying {@code sent} with the given signature header (null: none). */
    public static APIGatewayV2HTTPEvent formPost(String path, Map<String, List<String>> sent, String signature) {
        return HttpApiEvents.request("POST", path, path, "",
                headers("application/x-www-form-urlencoded; charset=UTF-8", signature), encode(sent), true);
    }

    /** A form post signed with {@code authToken} over {@code signed}, carrying {@code sent} (the same, unless tampered with). */
    public static APIGatewayV2HTTPEvent formPost(String path, Map<String, List<String>> signed,
                                                 Map<String, List<String>> sent, String authToken) {
        return formPost(path, sent, TwilioEmulator.signature(authToken, url(path), signed));
    }

    /** A JSON post: the signature covers the URL, whose {@code bodySHA256} covers the body. */
    public static APIGatewayV2HTTPEvent jsonPost(String path, String body, String authToken) {
        String query = "bodySHA256=" + sha256(body);
        String signature = TwilioEmulator.signature(authToken, url(path) + "?" + query, Map.of());
        return HttpApiEvents.request("POST", path, path, query, headers("application/json", signature), body, false);
    }

    private static String sha256(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
