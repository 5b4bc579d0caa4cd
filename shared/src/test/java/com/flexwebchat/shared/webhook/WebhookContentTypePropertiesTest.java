package com.flexwebchat.shared.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.LogCapture;
import com.flexwebchat.shared.testing.property.Gen;
import com.flexwebchat.shared.testing.property.Property;
import com.flexwebchat.shared.testing.property.Seeds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Twilio's webhooks come as {@code application/x-www-form-urlencoded} or (Studio's HTTP request
 * widget) {@code application/json}. The adapter reads the Content-Type as a media type: a type
 * that merely starts like one of them is neither, and gets 415 with nothing run, however it is signed.
 */
@ExtendWith(Seeds.class)
class WebhookContentTypePropertiesTest {

    static final String AUTH_TOKEN = WebhookSignatureTest.AUTH_TOKEN;
    static final String PATH = "/webhooks/studio";
    static final String URL = "https://" + WebhookSignatureTest.HOST + PATH;

    record Post(String contentType, boolean json, boolean accepted) {
    }

    static Gen<Post> posts() {
        return Gen.oneOf(
                Gen.element(new Post("application/json", true, true), new Post("Application/JSON; charset=UTF-8", true, true),
                        new Post("application/x-www-form-urlencoded", false, true),
                        new Post("application/x-www-form-urlencoded; charset=UTF-8", false, true),
                        new Post("APPLICATION/X-WWW-FORM-URLENCODED;charset=utf-8", false, true)),
                Gen.element(new Post("application/jsonp", true, false), new Post("application/json-seq", true, false),
                        new Post("application/json5", true, false), new Post("text/json", true, false),
                        new Post("application/json; charset=utf-16", true, false),
                        new Post("application/x-www-form-urlencodedx", false, false), new Post("text/plain", false, false),
                        new Post("multipart/form-data; boundary=x", false, false), new Post("application/xml", false, false),
                        new Post("application/x-www-form-urlencoded, text/plain", false, false)));
    }

    @Test
    void onlyFormsAndJsonAreTakenHoweverTheyAreSigned(Property property) {
        WebhookAdapter adapter = WebhookSignatureTest.adapter(null);
        property.forAll("webhook Content-Type", 300, posts(), post -> {
            AtomicReference<WebhookRequest> reached = new AtomicReference<>();
            APIGatewayV2HTTPResponse response;
            try (LogCapture logs = new LogCapture()) {
                if (post.json()) {
                    String body = "{\"ConversationSid\":\"CH1\"}";
                    String query = "bodySHA256=" + HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
                    String signature = TwilioEmulator.signature(AUTH_TOKEN, URL + "?" + query, Map.of());
                    response = adapter.handle(WebhookSignatureTest.event("$default", PATH, query,
                            WebhookSignatureTest.headers(signature, post.contentType()), body, false), null, r -> {
                                reached.set(r);
                                return new com.flexwebchat.shared.http.HttpResponse(200, null);
                            });
                } else {
                    Map<String, List<String>> form = WebhookSignatureTest.form("ConversationSid", "CH1");
                    String signature = TwilioEmulator.signature(AUTH_TOKEN, URL, form);
                    response = adapter.handle(WebhookSignatureTest.event("$default", PATH, "",
                            WebhookSignatureTest.headers(signature, post.contentType()), WebhookSignatureTest.encode(form), true), null, r -> {
                                reached.set(r);
                                return new com.flexwebchat.shared.http.HttpResponse(200, null);
                            });
                }
            }
            if (post.accepted()) {
                assertEquals(200, response.getStatusCode(), response.getBody());
                assertEquals("CH1", reached.get().param("ConversationSid"));
            } else {
                assertEquals(415, response.getStatusCode(), response.getBody());
                assertEquals("unsupported_media_type", Json.parse(response.getBody()).at("/error/code").asText());
                assertNull(reached.get(), "the endpoint must not run");
            }
        });
    }
}
