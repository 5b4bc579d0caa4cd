package com.flexwebchat.local.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SignedWebhooks;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.property.Cards;
import com.flexwebchat.shared.testing.property.Gen;
import com.flexwebchat.shared.testing.property.Property;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What the input campaign's properties share: the routes, events as API Gateway sends them and the
 * Lambda runtime deserialises them ({@link HttpApiEvents}), webhooks signed as Twilio signs them
 * ({@link SignedWebhooks}), the error shape every refusal must have, and what reached Twilio (the
 * emulator's journal: paths, queries, form names and values, bodies).
 */
final class InputCampaign {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String ORIGIN = com.flexwebchat.shared.testing.EmulatedTwilio.ORIGIN;
    static final List<String> BROWSER_ROUTES = List.of("/initWebchat", "/endChat", "/refreshToken");
    static final String STUDIO = "/webhooks/studio";
    static final String CONVERSATIONS = "/webhooks/conversations";
    static final String TASKROUTER = "/webhooks/taskrouter";
    static final List<String> WEBHOOK_ROUTES = List.of(STUDIO, CONVERSATIONS, TASKROUTER);

    private InputCampaign() {
    }

    static LocalContext context(String function) {
        return new LocalContext(function, Duration.ofSeconds(10));
    }

    static APIGatewayV2HTTPEvent browserEvent(String method, String route, Map<String, String> headers, String body, boolean base64) {
        return HttpApiEvents.request(method, route, route, "", headers, body, base64);
    }

    static Map<String, String> browserHeaders(String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("origin", ORIGIN);
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        headers.put("user-agent", "Mozilla/5.0 (campaign)");
        return headers;
    }

    /** {@code {"error": {"code", "message"[, "field"]}}}, nothing else, codes and messages not blank. */
    static void assertErrorShape(APIGatewayV2HTTPResponse response) throws Exception {
        assertEquals("application/json", response.getHeaders().get("Content-Type"), "Content-Type");
        JsonNode body = Json.parse(response.getBody());
        assertTrue(body.isObject() && body.size() == 1 && body.path("error").isObject(), () -> "not the error shape: " + response.getBody());
        JsonNode error = body.get("error");
        Set<String> names = new HashSet<>();
        error.fieldNames().forEachRemaining(names::add);
        assertTrue(Set.of("code", "message", "field").containsAll(names) && names.contains("code") && names.contains("message"),
                () -> "error fields: " + names);
        assertTrue(error.get("code").isTextual() && error.get("code").asText().matches("[a-z_]+"), () -> "code: " + error.get("code"));
        assertTrue(error.get("message").isTextual() && !error.get("message").asText().isBlank(), () -> "message: " + error.get("message"));
        if (error.has("field")) {
            assertTrue(error.get("field").isTextual(), () -> "field: " + error.get("field"));
        }
    }

    static void assert4xxWithErrorShape(APIGatewayV2HTTPResponse response) throws Exception {
        assertTrue(response.getStatusCode() >= 400 && response.getStatusCode() < 500,
                () -> "expected a 4xx, got " + response.getStatusCode() + " " + response.getBody());
        assertErrorShape(response);
    }

    static void assertNothingReachedTwilio(TwilioEmulator emulator) {
        List<RecordedRequest> requests = emulator.requests();
        assertEquals(List.of(), requests.stream().map(RecordedRequest::toString).toList(), "requests that reached Twilio");
    }

    static void assertNothingWrittenToTwilio(TwilioEmulator emulator) {
        List<String> writes = emulator.requests().stream().filter(r -> !"GET".equals(r.method())).map(RecordedRequest::toString).toList();
        assertEquals(List.of(), writes, "writes that reached Twilio");
    }

    /** Every piece of text that reached Twilio: paths, queries, form names and values, bodies. */
    static List<String> twilioTexts(TwilioEmulator emulator) {
        List<String> texts = new ArrayList<>();
        for (RecordedRequest request : emulator.requests()) {
            texts.add(request.path());
            if (request.query() != null) {
                texts.add(request.query());
                request.queryParams().forEach((k, v) -> {
                    texts.add(k);
                    texts.addAll(v);
                });
            }
            request.form().forEach((k, v) -> {
                texts.add(k);
                texts.addAll(v);
            });
            texts.add(request.body());
        }
        return texts;
    }

    /** Fails when any of the cards can be read, whole, in any of the texts (JSON decoded where it is JSON). */
    static void assertNoCard(List<String> pans, List<String> texts, String where) {
        for (String pan : pans) {
            for (String text : texts) {
                for (String piece : Cards.texts(text)) {
                    assertFalse(Cards.shows(piece, pan), () -> "card " + pan + " reached " + where + " in " + Property.show(piece));
                }
            }
        }
    }

    /** The log lines written since {@code from} characters into the capture. */
    static String logsSince(String all, int from) {
        return all.substring(Math.min(from, all.length()));
    }

    // --- webhooks ---------------------------------------------------------------------------------------

    static APIGatewayV2HTTPEvent signedForm(String route, Map<String, List<String>> params) {
        return SignedWebhooks.formPost(route, params, params, ACCOUNT.authToken());
    }

    static APIGatewayV2HTTPEvent signedJson(String route, String body) {
        return SignedWebhooks.jsonPost(route, body, ACCOUNT.authToken());
    }

    // --- generators ---------------------------------------------------------------------------------------

    /** Text of every kind: ASCII, Latin, Cyrillic, CJK, RTL, emoji, invisible and control characters (never a lone surrogate). */
    static final Gen<Integer> ANY_CODE_POINT = Gen.codePoints(new int[] {0x20, 0x7E}, new int[] {0x00, 0x1F},
            new int[] {0xA0, 0x24F}, new int[] {0x400, 0x4FF}, new int[] {0x590, 0x6FF}, new int[] {0x2000, 0x206F},
            new int[] {0x4E00, 0x9FFF}, new int[] {0xFE00, 0xFFFD}, new int[] {0x1F300, 0x1FAFF}, new int[] {0xE0000, 0xE007F});

    static Gen<String> text(int min, int max) {
        return Gen.strings(ANY_CODE_POINT, min, max);
    }

    /** A short text mostly, sometimes a huge one. */
    static Gen<String> anyText() {
        return Gen.oneOf(text(0, 12), text(0, 12), text(0, 60), Gen.element("", " ", "null", "undefined", "0", "-1", "1e999",
                "true", "{}", "[]", "\u0000", "\uFEFF", "\u202E", "%00", "%", "&", "=", "<script>", "'; DROP TABLE x;--",
                "../../etc/passwd", "${jndi:ldap://x}", "\\", "\"", "\r\n"), text(2_000, 5_000));
    }

    /** SIDs that are not SIDs: wrong prefix or length, not hex, unicode, blank; and well-formed ones nobody has. */
    static Gen<String> badSid(String prefix) {
        return Gen.oneOf(
                random -> prefix + hex(random, 32),
                random -> prefix + hex(random, random.nextInt(40)),
                random -> Gen.element("XX", "ch", "MB", "CH", "WT", "IS", "").next(random) + hex(random, 32),
                random -> prefix + "g".repeat(32),
                random -> prefix + text(32, 32).next(random),
                random -> prefix + "0".repeat(31) + "\u0661",
                random -> prefix + hex(random, 32) + "/../Messages",
                anyText());
    }

    static String hex(SplittableRandom random, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append("0123456789abcdef".charAt(random.nextInt(16)));
        }
        return out.toString();
    }
}
