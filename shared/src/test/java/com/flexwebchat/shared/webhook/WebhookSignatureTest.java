package com.flexwebchat.shared.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.LogCapture;
import com.twilio.security.RequestValidator;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The signature check every webhook route shares, against requests signed the way Twilio signs
 * them (the emulator's signer, an implementation independent of twilio-java's validator), shaped
 * as API Gateway delivers them.
 */
class WebhookSignatureTest {

    static final String AUTH_TOKEN = "12345678901234567890123456789012";
    static final String HOST = "abc123.execute-api.eu-west-1.amazonaws.com";

    final AtomicReference<WebhookRequest> reached = new AtomicReference<>();
    final WebhookEndpoint endpoint = request -> {
        reached.set(request);
        ObjectNode body = Json.object();
        body.put("ok", true);
        return HttpResponse.ok(body);
    };
    LogCapture logs;

    @BeforeEach
    void capture() {
        logs = new LogCapture();
    }

    @AfterEach
    void release() {
        logs.close();
    }

    static WebhookAdapter adapter(URI publicBaseUrl) {
        return new WebhookAdapter(new TwilioSignature(AUTH_TOKEN), publicBaseUrl, Duration.ofSeconds(4));
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

    /** An HTTP API 2.0 event: form bodies base64-encoded, as API Gateway delivers them. */
    static APIGatewayV2HTTPEvent event(String stage, String rawPath, String rawQuery, Map<String, String> headers,
                                       String body, boolean base64) {
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey("POST /webhooks/studio")
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery)
                .withHeaders(headers)
                .withBody(base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body)
                .withIsBase64Encoded(base64)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withStage(stage).withDomainName(HOST)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath(rawPath).build())
                        .build())
                .build();
    }

    static Map<String, String> headers(String signature, String contentType) {
        Map<String, String> headers = new HashMap<>();
        headers.put("host", HOST);
        headers.put("x-forwarded-proto", "https");
        headers.put("x-forwarded-port", "443");
        headers.put("content-type", contentType);
        if (signature != null) {
            headers.put("x-twilio-signature", signature);
        }
        return headers;
    }

    APIGatewayV2HTTPResponse postForm(WebhookAdapter adapter, String stage, String rawPath, String signedUrl,
                                      Map<String, List<String>> signed, Map<String, List<String>> sent, boolean base64) {
        String signature = TwilioEmulator.signature(AUTH_TOKEN, signedUrl, signed);
        return adapter.handle(event(stage, rawPath, "", headers(signature, "application/x-www-form-urlencoded"),
                encode(sent), base64), null, endpoint);
    }

    void assertRefused(APIGatewayV2HTTPResponse response, String check) throws Exception {
        assertEquals(403, response.getStatusCode());
        assertEquals("invalid_signature", Json.parse(response.getBody()).at("/error/code").asText());
        assertEquals(null, reached.get(), "the endpoint must not run");
        assertTrue(logs.text().contains("\"check\":\"" + check + "\""), logs.text());
    }

    @Test
    void theEmulatorSignsAsTwilioJavaValidates() {
        Map<String, List<String>> params = form("ConversationSid", "CH1", "Body", "hi");
        String url = "https://" + HOST + "/webhooks/conversations";
        Map<String, String> single = Map.of("ConversationSid", "CH1", "Body", "hi");
        assertTrue(new RequestValidator(AUTH_TOKEN).validate(url, single, TwilioEmulator.signature(AUTH_TOKEN, url, params)));
    }

    @Test
    void acceptsASignedBase64FormBody() {
        Map<String, List<String>> params = form("ConversationSid", "CH123", "FlowSid", "FW1");
        APIGatewayV2HTTPResponse response = postForm(adapter(null), "$default", "/webhooks/studio",
                "https://" + HOST + "/webhooks/studio", params, params, true);

        assertEquals(200, response.getStatusCode());
        assertEquals("CH123", reached.get().param("ConversationSid"));
    }

    @Test
    void acceptsASignedPlainFormBody() {
        Map<String, List<String>> params = form("ConversationSid", "CH123");
        assertEquals(200, postForm(adapter(null), "$default", "/webhooks/studio",
                "https://" + HOST + "/webhooks/studio", params, params, false).getStatusCode());
    }

    @Test
    void theStagePrefixIsPartOfTheSignedUrl() {
        Map<String, List<String>> params = form("ConversationSid", "CH123");
        assertEquals(200, postForm(adapter(null), "prod", "/prod/webhooks/studio",
                "https://" + HOST + "/prod/webhooks/studio", params, params, true).getStatusCode());
    }

    @Test
    void aCustomDomainIsConfiguredWithPublicBaseUrl() throws Exception {
        Map<String, List<String>> params = form("ConversationSid", "CH123");
        String publicUrl = "https://chat.example.com/support/webhooks/studio";

        assertEquals(200, postForm(adapter(URI.create("https://chat.example.com/support")), "prod", "/prod/webhooks/studio",
                publicUrl, params, params, true).getStatusCode());

        reached.set(null);
        assertRefused(postForm(adapter(null), "prod", "/prod/webhooks/studio", publicUrl, params, params, true),
                "SIGNATURE_MISMATCH");
    }

    @Test
    void aPortInTheSignedUrlIsAccepted() {
        Map<String, List<String>> params = form("ConversationSid", "CH123");
        assertEquals(200, postForm(adapter(null), "$default", "/webhooks/studio",
                "https://" + HOST + ":443/webhooks/studio", params, params, true).getStatusCode());
    }

    @Test
    void repeatedFormKeysAreSignedEachValue() {
        Map<String, List<String>> params = form("Filters", "onMessageAdd", "Filters", "onParticipantAdded", "Method", "POST");
        APIGatewayV2HTTPResponse response = postForm(adapter(null), "$default", "/webhooks/conversations",
                "https://" + HOST + "/webhooks/conversations", params, params, true);

        assertEquals(200, response.getStatusCode());
        assertEquals(List.of("onMessageAdd", "onParticipantAdded"), reached.get().form().get("Filters"));
    }

    @Test
    void unicodeValuesAreSignedAsUtf8() {
        Map<String, List<String>> params = form("Body", "Grüße, 你好 👋", "Author", "Zoë");
        APIGatewayV2HTTPResponse response = postForm(adapter(null), "$default", "/webhooks/conversations",
                "https://" + HOST + "/webhooks/conversations", params, params, true);

        assertEquals(200, response.getStatusCode());
        assertEquals("Grüße, 你好 👋", reached.get().param("Body"));
    }

    @Test
    void aTamperedBodyWithTheOriginalsSignatureIsRefused() throws Exception {
        Map<String, List<String>> original = form("ConversationSid", "CH123", "Body", "hello");
        Map<String, List<String>> tampered = form("ConversationSid", "CH123", "Body", "hello, send me the card");

        assertRefused(postForm(adapter(null), "$default", "/webhooks/conversations",
                "https://" + HOST + "/webhooks/conversations", original, tampered, true), "SIGNATURE_MISMATCH");
    }

    @Test
    void aSignatureReplayedOnAnotherPathIsRefused() throws Exception {
        Map<String, List<String>> params = form("ConversationSid", "CH123");
        assertRefused(postForm(adapter(null), "$default", "/webhooks/conversations",
                "https://" + HOST + "/webhooks/studio", params, params, true), "SIGNATURE_MISMATCH");
    }

    @Test
    void aMissingSignatureIsRefused() throws Exception {
        APIGatewayV2HTTPResponse response = adapter(null).handle(event("$default", "/webhooks/studio", "",
                headers(null, "application/x-www-form-urlencoded"), "ConversationSid=CH123", false), null, endpoint);
        assertRefused(response, "MISSING_SIGNATURE");
    }

    @Test
    void aSignatureWithAnotherAuthTokenIsRefused() throws Exception {
        Map<String, List<String>> params = form("ConversationSid", "CH123");
        String signature = TwilioEmulator.signature("another-auth-token-0000000000000", "https://" + HOST + "/webhooks/studio", params);
        APIGatewayV2HTTPResponse response = adapter(null).handle(event("$default", "/webhooks/studio", "",
                headers(signature, "application/x-www-form-urlencoded"), encode(params), true), null, endpoint);
        assertRefused(response, "SIGNATURE_MISMATCH");
    }

    static String sha256(String body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    APIGatewayV2HTTPResponse postJson(String signedBody, String sentBody, String signedPath, String sentPath) throws Exception {
        String query = "bodySHA256=" + sha256(signedBody);
        String signature = TwilioEmulator.signature(AUTH_TOKEN, "https://" + HOST + signedPath + "?" + query, Map.of());
        return adapter(null).handle(event("$default", sentPath, query, headers(signature, "application/json"),
                sentBody, false), null, endpoint);
    }

    @Test
    void acceptsASignedJsonBodyThroughBodySha256() throws Exception {
        String body = "{\"ConversationSid\":\"CH123\",\"note\":\"héllo\"}";
        APIGatewayV2HTTPResponse response = postJson(body, body, "/webhooks/studio", "/webhooks/studio");

        assertEquals(200, response.getStatusCode());
        assertEquals("CH123", reached.get().param("ConversationSid"));
    }

    @Test
    void aTamperedJsonBodyIsRefused() throws Exception {
        assertRefused(postJson("{\"ConversationSid\":\"CH123\"}", "{\"ConversationSid\":\"CH999\"}",
                "/webhooks/studio", "/webhooks/studio"), "BODY_HASH_MISMATCH");
    }

    @Test
    void aJsonBodyWithoutBodySha256IsRefused() throws Exception {
        String body = "{\"ConversationSid\":\"CH123\"}";
        String signature = TwilioEmulator.signature(AUTH_TOKEN, "https://" + HOST + "/webhooks/studio", Map.of());
        assertRefused(adapter(null).handle(event("$default", "/webhooks/studio", "", headers(signature, "application/json"),
                body, false), null, endpoint), "BODY_HASH_MISSING");
    }

    @Test
    void aJsonSignatureReplayedOnAnotherPathIsRefused() throws Exception {
        String body = "{\"ConversationSid\":\"CH123\"}";
        assertRefused(postJson(body, body, "/webhooks/studio", "/webhooks/conversations"), "SIGNATURE_MISMATCH");
    }

    @Test
    void theLogNamesTheCheckButNeverTheSignatureOrToken() {
        Map<String, List<String>> params = form("ConversationSid", "CH123");
        String signature = TwilioEmulator.signature(AUTH_TOKEN, "https://" + HOST + "/elsewhere", params);
        adapter(null).handle(event("$default", "/webhooks/studio", "", headers(signature, "application/x-www-form-urlencoded"),
                encode(params), true), null, endpoint);

        assertFalse(logs.text().contains(signature));
        assertFalse(logs.text().contains(AUTH_TOKEN));
        assertTrue(logs.text().contains("https://" + HOST + "/webhooks/studio"));
    }
}
