package com.flexwebchat.local.campaign;

import static com.flexwebchat.local.campaign.InputCampaign.assert4xxWithErrorShape;
import static com.flexwebchat.local.campaign.InputCampaign.assertNothingReachedTwilio;
import static com.flexwebchat.local.campaign.InputCampaign.browserEvent;
import static com.flexwebchat.local.campaign.InputCampaign.browserHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.property.Gen;
import com.flexwebchat.shared.testing.property.Property;
import com.flexwebchat.shared.testing.property.Seeds;
import com.flexwebchat.token.RefreshTokenHandler;
import com.flexwebchat.webchannel.WebChannelHandler;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The browser routes' contract over bad input, as properties through the real handlers: whatever
 * is wrong with a request (its body, its JSON, its Content-Type, its origin, its size, a form field,
 * a token), the answer is a 4xx with {@code {"error":{"code","message"[,"field"]}}} and nothing
 * reaches Twilio (the emulator's journal stays empty).
 */
@ExtendWith(Seeds.class)
class InputBrowserRoutesTest {

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass();

    WebChannelHandler webChannel;
    RefreshTokenHandler refresh;

    @BeforeEach
    void handlers() {
        webChannel = new WebChannelHandler(twilio.runtime());
        refresh = new RefreshTokenHandler(twilio.runtime());
    }

    /** A request that is wrong in one way, and why. */
    record Bad(String why, String method, String route, Map<String, String> headers, String body, boolean base64) {
    }

    APIGatewayV2HTTPResponse send(Bad bad) {
        var event = browserEvent(bad.method(), bad.route(), bad.headers(), bad.body(), bad.base64());
        return bad.route().equals("/refreshToken")
                ? refresh.handle(event, new LocalContext("RefreshTokenFunction", java.time.Duration.ofSeconds(10)))
                : webChannel.handle(event, new LocalContext("WebChannelFunction", java.time.Duration.ofSeconds(10)));
    }

    // --- what is wrong with a request ----------------------------------------------------------------------

    /** Bodies that are not a JSON object, or not JSON. */
    static Gen<String> notAnObject() {
        return Gen.oneOf(
                Gen.element("[]", "1", "\"x\"", "null", "true", "{", "}", "{\"a\":}", "{\"a\":1,}", "{'a':1}", "{}{}", "{} x",
                        "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":01}", "\uFEFF{}", "{\"a\":\"\\uD800\"", "[{}]", "{\"token\"}",
                        "{\"formData\":{\"a\":1}", "<xml/>", "formData=x", "\u0000"),
                random -> "[".repeat(33 + random.nextInt(100)) + "]".repeat(33 + random.nextInt(100)),
                random -> "{\"a\":".repeat(33 + random.nextInt(50)) + "1" + "}".repeat(33 + random.nextInt(50)),
                InputCampaign.text(1, 40).map(t -> t.startsWith("{") ? "x" + t : t));
    }

    /** Content types that are not JSON, some that merely start like it. */
    static Gen<String> notJsonTypes() {
        return Gen.element("application/jsonp", "application/json-seq", "application/json5", "application/jsonx",
                "text/json", "application/x-json", "text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/json; charset=iso-8859-1", "application/json, text/plain",
                "application/json garbage", "application/vnd.api+json", "json", "application/");
    }

    static Gen<String> badOrigins() {
        return Gen.element("(none)", "", "null", "http://localhost:3000/", "HTTP://LOCALHOST:3000", "http://localhost:3001",
                "https://localhost:3000", "http://localhost:3000.evil.example", "http://evil.example", "http://localhost",
                " http://localhost:3000", "http://localhost:3000, http://evil.example", "http://4111 1111 1111 1111.example");
    }

    /** A pre-engagement form broken in one way. */
    static Gen<ObjectNode> badForms() {
        Gen<ObjectNode> wrongTypes = random -> {
            ObjectNode form = Json.object().put("friendlyName", "Ada");
            String key = Gen.element("query", "email", "department", "friendlyName", "x").next(random);
            switch (random.nextInt(4)) {
                case 0 -> form.putArray(key).add(1);
                case 1 -> form.putObject(key).put("a", 1);
                case 2 -> form.putNull(key);
                default -> {
                    if (key.equals("friendlyName") || key.equals("email")) {
                        form.put(key, random.nextInt(1000));
                    } else {
                        form.putArray(key);
                    }
                }
            }
            return form;
        };
        Gen<ObjectNode> tooMany = random -> {
            ObjectNode form = Json.object();
            int n = 31 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                form.put("f" + i, i);
            }
            return form;
        };
        Gen<ObjectNode> longKey = random -> Json.object().put(Gen.strings(InputCampaign.ANY_CODE_POINT, 65, 200)
                .map(k -> k.isBlank() ? k + "x" : k).next(random), "v");
        Gen<ObjectNode> blankKey = Gen.element("", " ", "\t", "\u3000 ").map(k -> Json.object().put(k, "v"));
        Gen<ObjectNode> longValue = random -> Json.object().put(Gen.element("query", "friendlyName", "note").next(random),
                Gen.strings(InputCampaign.ANY_CODE_POINT, 1_001, 1_400).next(random));
        Gen<ObjectNode> badEmail = random -> Json.object().put("email", Gen.oneOf(
                Gen.element("ada", "ada@", "@example.com", "ada@example", "ada @example.com", "ada@exa mple.com", "a@b@c.d",
                        "ada@example.com\n", "ada\u00A0@example.com"),
                Gen.strings(Gen.codePoints(new int[] {0x61, 0x7A}, new int[] {0x4E00, 0x4E50}), 1, 30)).next(random));
        Gen<ObjectNode> notAForm = random -> null;
        return Gen.oneOf(wrongTypes, tooMany, longKey, blankKey, longValue, badEmail, notAForm);
    }

    static Gen<String> badTokens() {
        return Gen.oneOf(
                Gen.element("{}", "{\"token\":null}", "{\"token\":1}", "{\"token\":true}", "{\"token\":[]}", "{\"token\":{}}",
                        "{\"token\":\"\"}", "{\"token\":\" \"}", "{\"tokens\":\"x\"}"),
                random -> "{\"token\":" + Json.MAPPER.valueToTree(InputCampaign.anyText().next(random)) + "}",
                random -> "{\"token\":\"" + b64(random, 20) + "." + b64(random, 60) + "." + b64(random, 43) + "\"}",
                random -> "{\"token\":\"eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + b64(random, 80) + ".\"}");
    }

    static String b64(SplittableRandom random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static Gen<Bad> badRequests() {
        Gen<String> route = Gen.element(InputCampaign.BROWSER_ROUTES);
        return Gen.oneOf(
                route.with(notAnObject(), (r, body) -> new Bad("not a JSON object", "POST", r, browserHeaders("application/json"), body, false)),
                route.with(notJsonTypes(), (r, type) -> new Bad("Content-Type " + type, "POST", r, browserHeaders(type),
                        r.equals("/initWebchat") ? "{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"Hi\"}}" : "{\"token\":\"x\"}", false)),
                route.with(badOrigins(), (r, origin) -> {
                    Map<String, String> headers = browserHeaders("application/json");
                    if (origin.equals("(none)")) {
                        headers.remove("origin");
                    } else {
                        headers.put("origin", origin);
                    }
                    return new Bad("origin " + origin, "POST", r, headers,
                            r.equals("/initWebchat") ? "{\"formData\":{\"friendlyName\":\"Ada\"}}" : "{\"token\":\"x\"}", false);
                }),
                route.with(Gen.between(16 * 1024 + 1, 40 * 1024), (r, size) -> new Bad("body of " + size + " bytes", "POST", r,
                        browserHeaders("application/json"), "{\"formData\":{\"query\":\"" + "a".repeat(size) + "\"}}", false)),
                route.with(Gen.element("GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "post", "FOO"), (r, method) ->
                        new Bad("method " + method, method, r, browserHeaders("application/json"), "{}", false)),
                route.with(InputCampaign.text(1, 30), (r, junk) -> new Bad("marked base64 but is not", "POST", r,
                        browserHeaders("application/json"), "!!" + junk.replace("=", ""), true)),
                badForms().map(form -> new Bad("pre-engagement form " + (form == null ? "not an object" : form), "POST", "/initWebchat",
                        browserHeaders("application/json"), form == null ? "{\"formData\":[1]}" : "{\"formData\":" + Json.write(form) + "}", false)),
                Gen.element("/endChat", "/refreshToken").with(badTokens(), (r, body) ->
                        new Bad("token", "POST", r, browserHeaders("application/json"), body, false)));
    }

    @Test
    void badInputIsA4xxWithTheErrorShapeAndNothingReachesTwilio(Property property) {
        property.forAll("bad input to the browser routes", 800, badRequests(), bad -> {
            twilio.emulator().clearRequests();
            APIGatewayV2HTTPResponse response = bad.base64() ? sendRawBase64(bad) : send(bad);
            assert4xxWithErrorShape(response);
            assertNothingReachedTwilio(twilio.emulator());
        });
    }

    /** An event whose isBase64Encoded is true and whose body is not base64, as no harness would build it. */
    APIGatewayV2HTTPResponse sendRawBase64(Bad bad) {
        var event = browserEvent(bad.method(), bad.route(), bad.headers(), bad.body(), false);
        event.setIsBase64Encoded(true);
        return bad.route().equals("/refreshToken")
                ? refresh.handle(event, new LocalContext("RefreshTokenFunction", java.time.Duration.ofSeconds(10)))
                : webChannel.handle(event, new LocalContext("WebChannelFunction", java.time.Duration.ofSeconds(10)));
    }

    @Test
    void aTypeThatMerelyStartsLikeJsonIs415AndStartsNoChat(Property property) {
        property.forAll("near-JSON Content-Type with a valid body", 200, notJsonTypes(), type -> {
            twilio.emulator().clearRequests();
            APIGatewayV2HTTPResponse response = send(new Bad("type", "POST", "/initWebchat", browserHeaders(type),
                    "{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"Hi\"}}", false));
            assertEquals(415, response.getStatusCode(), response.getBody());
            assertEquals("unsupported_media_type", Json.parse(response.getBody()).at("/error/code").asText());
            assertNothingReachedTwilio(twilio.emulator());
        });
    }

    /** Values and keys at and around the limits, in characters of every width: refused exactly when over. */
    @Test
    void limitsCountCharactersAsPeopleDo(Property property) {
        Gen<Integer> wide = Gen.codePoints(new int[] {0x1F600, 0x1F64F}, new int[] {0x1D400, 0x1D433}, new int[] {0x4E00, 0x9FFF});
        record Sized(boolean key, int length, String text) {
        }
        Gen<Sized> sized = Gen.booleans().flatMap(key -> {
            int limit = key ? 64 : 1_000;
            return Gen.element(limit - 1, limit, limit + 1, limit / 2 + 1).flatMap(n ->
                    Gen.strings(wide, n, n).map(t -> new Sized(key, n, t)));
        });
        property.forAll("limits in code points", 60, sized, s -> {
            twilio.emulator().clearRequests();
            ObjectNode form = Json.object().put("friendlyName", "Ada");
            if (s.key()) {
                form.put(s.text(), "v");
            } else {
                form.put("note", s.text());
            }
            APIGatewayV2HTTPResponse response = send(new Bad("limit", "POST", "/initWebchat", browserHeaders("application/json"),
                    "{\"formData\":" + Json.write(form) + "}", false));
            int limit = s.key() ? 64 : 1_000;
            if (s.length() <= limit) {
                assertEquals(200, response.getStatusCode(), response.getBody());
            } else {
                assertEquals(400, response.getStatusCode(), response.getBody());
                assert4xxWithErrorShape(response);
                assertNothingReachedTwilio(twilio.emulator());
            }
        });
    }
}
