package com.flexwebchat.webchannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.protection.BlockList;
import com.flexwebchat.shared.testing.Burst;
import com.flexwebchat.shared.testing.ClientEvents;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.LocalStore;
import com.flexwebchat.shared.testing.MovableClock;
import com.flexwebchat.shared.testing.PersonalData;
import com.flexwebchat.shared.token.AccessTokenVerifier;
import com.flexwebchat.standins.CaptchaProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The abuse protections of {@code POST /initWebchat}, through the real handler, the real SDK against
 * the emulator, and a real DynamoDB-compatible store (dynalite): per-address and per-account limits,
 * the block list, the CAPTCHA, one chat per submit, and what happens when the store is down. Concurrent
 * requests come from several handlers, each on its own runtime, as from several Lambda instances.
 */
class InitWebchatProtectionTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String WEB_CHATS = "/flex-api/v2/WebChats";
    /** What the function is given by Lambda: template.yaml's Timeout. */
    static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(15);

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass().clock(CLOCK).withStore();

    final PersonalData personal = new PersonalData();
    CaptchaProvider captcha;

    /** Nothing a test sent is kept in the clear, whatever it did: not in the store, not in the logs. */
    @AfterEach
    void nothingPersonalIsKept() {
        try {
            EmulatedTwilio.dynamo().resume();
            personal.assertNoneIn(EmulatedTwilio.dynamo().items(), twilio.logs().text());
        } finally {
            if (captcha != null) {
                captcha.close();
            }
        }
    }

    // --- requests -------------------------------------------------------------------------------------------

    /** One function instance: its own runtime (store client, block list copy) with these settings on the test's. */
    static WebChannelHandler instance(Clock clock, String... settings) {
        return new WebChannelHandler(runtime(clock, settings));
    }

    static WebChatRuntime runtime(Clock clock, String... settings) {
        Map<String, String> env = twilio.environment();
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        return EmulatedTwilio.runtime(env, clock);
    }

    /** A widget's POST from the allowed origin, connecting from {@code ip}. */
    APIGatewayV2HTTPResponse post(WebChannelHandler handler, String ip, String body, String... headers) {
        Map<String, String> all = new LinkedHashMap<>(Map.of("origin", EmulatedTwilio.ORIGIN, "content-type", "application/json"));
        for (int i = 0; i < headers.length; i += 2) {
            all.put(headers[i], headers[i + 1]);
        }
        personal.used(ip);
        APIGatewayV2HTTPResponse response = handler.handle(
                ClientEvents.from(ip, HttpApiEvents.request("POST", "/initWebchat", "/initWebchat", "", all, body, false)),
                new LocalContext("WebChannelFunction", FUNCTION_TIMEOUT));
        if (response.getStatusCode() == 200) {
            personal.used(identity(response));
        }
        return response;
    }

    /** A form with this name and email (registered as personal data). */
    String form(String name, String email) {
        personal.used(email);
        return "{\"formData\":{\"friendlyName\":\"" + name + "\",\"email\":\"" + email + "\",\"query\":\"Where is my order?\"}}";
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) {
        try {
            return Json.parse(response.getBody());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String identity(APIGatewayV2HTTPResponse response) {
        return new AccessTokenVerifier(ACCOUNT.accountSid(), ACCOUNT.apiKey(), ACCOUNT.apiSecret(),
                ACCOUNT.conversationsServiceSid(), Clock.fixed(NOW, ZoneOffset.UTC)).verify(json(response).get("token").asText());
    }

    static void assertRefused(APIGatewayV2HTTPResponse response, int status, String code) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals(code, json(response).path("error").path("code").asText(), response.getBody());
    }

    List<RecordedRequest> chatsCreated() {
        return twilio.emulator().requests("POST", WEB_CHATS);
    }

    /** Every request Twilio saw was a creation, or about one of these chats: nothing for a refused request. */
    void assertTwilioSawOnly(Set<String> conversationSids) {
        for (RecordedRequest request : twilio.emulator().requests()) {
            assertTrue(request.path().equals(WEB_CHATS) || conversationSids.stream().anyMatch(request.path()::contains),
                    "a request for none of the started chats: " + request);
        }
    }

    static Set<String> conversationSids(List<APIGatewayV2HTTPResponse> responses) {
        return responses.stream().filter(r -> r.getStatusCode() == 200).map(r -> json(r).get("conversationSid").asText())
                .collect(Collectors.toSet());
    }

    // --- limits -------------------------------------------------------------------------------------------------

    @Test
    void ofTwentyConcurrentChatsFromOneAddressOverALimitOfFiveExactlyFiveStart() {
        List<WebChannelHandler> instances = IntStream.range(0, 4)
                .mapToObj(i -> instance(CLOCK, "RATE_LIMIT_CHATS_PER_IP", "5/PT1H")).toList();

        List<APIGatewayV2HTTPResponse> responses = Burst.of(20, i -> post(instances.get(i % 4), "198.51.100.7",
                form("Visitor " + i, "visitor" + i + "@example.com")));

        List<APIGatewayV2HTTPResponse> limited = responses.stream().filter(r -> r.getStatusCode() == 429).toList();
        assertEquals(5, responses.stream().filter(r -> r.getStatusCode() == 200).count());
        assertEquals(15, limited.size(), responses.stream().map(APIGatewayV2HTTPResponse::getStatusCode).toList().toString());
        for (APIGatewayV2HTTPResponse response : limited) {
            assertRefused(response, 429, "rate_limited");
            assertEquals("3600", response.getHeaders().get("Retry-After"), "the window is the clock hour from 10:00");
            assertEquals(EmulatedTwilio.ORIGIN, response.getHeaders().get("Access-Control-Allow-Origin"));
        }
        Set<String> started = conversationSids(responses);
        assertEquals(5, started.size());
        assertEquals(5, chatsCreated().size(), "no Twilio call for the 15 over the limit");
        assertTwilioSawOnly(started);

        assertEquals(200, post(instances.get(0), "198.51.100.8", form("Grace", "grace@example.com")).getStatusCode(),
                "another address still gets through");
    }

    @Test
    void theAccountsCeilingHoldsAcrossAddresses() {
        List<WebChannelHandler> instances = IntStream.range(0, 4).mapToObj(i -> instance(CLOCK,
                "RATE_LIMIT_CHATS_PER_ACCOUNT", "5/PT1M", "RATE_LIMIT_CHATS_PER_IP", "off")).toList();

        List<APIGatewayV2HTTPResponse> responses = Burst.of(20, i -> post(instances.get(i % 4), "198.51.100." + (10 + i),
                form("Visitor " + i, "visitor" + i + "@example.com")));

        assertEquals(5, responses.stream().filter(r -> r.getStatusCode() == 200).count());
        List<APIGatewayV2HTTPResponse> limited = responses.stream().filter(r -> r.getStatusCode() == 429).toList();
        assertEquals(15, limited.size());
        limited.forEach(r -> assertEquals("60", r.getHeaders().get("Retry-After")));
        assertEquals(5, chatsCreated().size());
        assertTwilioSawOnly(conversationSids(responses));
    }

    @Test
    void xForwardedForIsIgnoredUnlessTrusted() {
        WebChannelHandler direct = instance(CLOCK, "RATE_LIMIT_CHATS_PER_IP", "1/PT1H");
        personal.used("203.0.113.9");

        assertEquals(200, post(direct, "198.51.100.1", form("A", "a@example.com"), "x-forwarded-for", "203.0.113.9").getStatusCode());
        assertEquals(200, post(direct, "198.51.100.2", form("B", "b@example.com"), "x-forwarded-for", "203.0.113.9").getStatusCode(),
                "another connecting address is another client, whatever the header says");
        assertRefused(post(direct, "198.51.100.1", form("C", "c@example.com"), "x-forwarded-for", "203.0.113.10"), 429,
                "rate_limited");
        assertEquals(2, chatsCreated().size());
    }

    @Test
    void behindCloudFrontTheLastForwardedAddressIsTheClient() {
        WebChannelHandler behindCloudFront = instance(CLOCK, "RATE_LIMIT_CHATS_PER_IP", "1/PT1H", "TRUST_X_FORWARDED_FOR", "true");
        String cloudFront = "130.176.0.1";
        personal.used("203.0.113.9");
        personal.used("203.0.113.10");

        assertEquals(200, post(behindCloudFront, cloudFront, form("A", "a@example.com"),
                "x-forwarded-for", "6.6.6.6, 203.0.113.9").getStatusCode());
        assertRefused(post(behindCloudFront, cloudFront, form("B", "b@example.com"),
                "x-forwarded-for", "7.7.7.7, 203.0.113.9"), 429, "rate_limited");
        assertEquals(200, post(behindCloudFront, cloudFront, form("C", "c@example.com"),
                "x-forwarded-for", "203.0.113.10").getStatusCode(), "another viewer through the same CloudFront address");
        assertEquals(2, chatsCreated().size());

        twilio.runtime().blockList().add(BlockList.Kind.IP, "203.0.113.10", "abuse", null);
        assertRefused(post(instance(CLOCK, "TRUST_X_FORWARDED_FOR", "true"), cloudFront, form("D", "d@example.com"),
                "x-forwarded-for", "203.0.113.10"), 403, "blocked");
    }

    // --- the block list -----------------------------------------------------------------------------------------

    @Test
    void aBlockedAddressGetsNoChatAndTwilioIsNotAsked() {
        twilio.runtime().blockList().add(BlockList.Kind.IP, personal.used("198.51.100.66"), "abuse", null);
        WebChannelHandler handler = instance(CLOCK);

        APIGatewayV2HTTPResponse response = post(handler, "198.51.100.66", form("Mallory", "mallory@example.com"));

        assertRefused(response, 403, "blocked");
        assertEquals("This chat is not available", json(response).path("error").path("message").asText(), "the reason stays private");
        assertEquals(List.of(), twilio.emulator().requests());
        assertEquals(200, post(handler, "198.51.100.67", form("Ada", "ada@example.com")).getStatusCode());
    }

    @Test
    void everyAddressOfABlockedRangeIsRefused() {
        twilio.runtime().blockList().add(BlockList.Kind.IP, "203.0.113.0/24", "botnet", null);
        WebChannelHandler handler = instance(CLOCK);

        assertRefused(post(handler, "203.0.113.200", form("Bot", "bot1@example.com")), 403, "blocked");
        assertRefused(post(handler, "203.0.113.17", form("Bot", "bot2@example.com")), 403, "blocked");
        assertEquals(List.of(), twilio.emulator().requests());
        assertEquals(200, post(handler, "203.0.114.17", form("Ada", "ada@example.com")).getStatusCode());
    }

    @Test
    void aBlockedEmailIsRefusedWhateverItsCase() {
        twilio.runtime().blockList().add(BlockList.Kind.EMAIL, personal.used("Spammer@Example.com"), "spam", null);
        WebChannelHandler handler = instance(CLOCK);

        assertRefused(post(handler, "198.51.100.70", form("Spam", "spammer@example.com")), 403, "blocked");
        assertEquals(List.of(), twilio.emulator().requests());
        assertEquals(200, post(handler, "198.51.100.70", form("Ada", "ada@example.com")).getStatusCode());
    }

    @Test
    void aBlockTakesEffectOnAnInstanceAlreadyRunningWithinTheRefresh() {
        MovableClock clock = new MovableClock(NOW);
        WebChannelHandler running = instance(clock, "BLOCK_LIST_REFRESH", "PT2S");
        WebChatRuntime operations = runtime(clock, "BLOCK_LIST_REFRESH", "PT2S");
        assertEquals(200, post(running, "198.51.100.80", form("Eve", "eve1@example.com")).getStatusCode()); // its copy, read now

        operations.blockList().add(BlockList.Kind.IP, "198.51.100.80", "abuse", null);
        assertEquals(200, post(running, "198.51.100.80", form("Eve", "eve2@example.com")).getStatusCode(),
                "until its copy is due, the running instance answers from it");
        clock.advance(Duration.ofSeconds(2));
        twilio.emulator().clearRequests();

        assertRefused(post(running, "198.51.100.80", form("Eve", "eve3@example.com")), 403, "blocked");
        assertEquals(List.of(), twilio.emulator().requests());
    }

    // --- the CAPTCHA --------------------------------------------------------------------------------------------

    WebChannelHandler withCaptcha(String provider, String... more) {
        if (captcha == null) {
            captcha = CaptchaProvider.start(0, "captcha-secret-for-tests");
        }
        String[] settings = {"CAPTCHA_PROVIDER", provider, "CAPTCHA_SECRET", captcha.secret(), "CAPTCHA_VERIFY_URL", captcha.verifyUrl()};
        String[] all = java.util.Arrays.copyOf(settings, settings.length + more.length);
        System.arraycopy(more, 0, all, settings.length, more.length);
        return instance(CLOCK, all);
    }

    String formWithToken(String name, String email, String token) {
        personal.used(email);
        return "{\"formData\":{\"friendlyName\":\"" + name + "\",\"email\":\"" + email + "\",\"captchaToken\":\"" + token + "\"}}";
    }

    @Test
    void aValidCaptchaStartsTheChatAndItsTokenNeverReachesFlex() throws Exception {
        WebChannelHandler handler = withCaptcha("turnstile");

        APIGatewayV2HTTPResponse response = post(handler, "198.51.100.90", formWithToken("Ada", "ada@example.com", "ok:0.9:ada"));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(1, chatsCreated().size());
        JsonNode preEngagement = Json.parse(chatsCreated().get(0).formValue("PreEngagementData"));
        assertEquals(Json.parse("{\"friendlyName\":\"Ada\",\"email\":\"ada@example.com\"}"), preEngagement);
        for (RecordedRequest request : twilio.emulator().requests()) {
            assertFalse(request.toString().contains("ok:0.9:ada"), "the token reached Twilio: " + request);
            assertFalse(String.valueOf(request.form()).contains("captchaToken"), request.toString());
        }
        CaptchaProvider.Verification verification = captcha.verifications().get(0);
        assertEquals("captcha-secret-for-tests", verification.secret());
        assertEquals("ok:0.9:ada", verification.response());
        assertEquals("198.51.100.90", verification.remoteIp());
    }

    @Test
    void aMissingInvalidReplayedOrLowScoringCaptchaGetsNoChat() {
        WebChannelHandler turnstile = withCaptcha("turnstile");
        WebChannelHandler recaptcha = withCaptcha("recaptcha", "CAPTCHA_MIN_SCORE", "0.5");
        assertEquals(200, post(turnstile, "198.51.100.91", formWithToken("Ada", "ada@example.com", "ok:0.9:spent")).getStatusCode());
        twilio.emulator().clearRequests();

        assertRefused(post(turnstile, "198.51.100.91", form("Missing", "missing@example.com")), 403, "captcha_failed");
        assertRefused(post(turnstile, "198.51.100.91", formWithToken("Forged", "forged@example.com", "forged")), 403, "captcha_failed");
        assertRefused(post(turnstile, "198.51.100.92", formWithToken("Replay", "replay@example.com", "ok:0.9:spent")), 403,
                "captcha_failed");
        assertRefused(post(recaptcha, "198.51.100.93", formWithToken("Bot", "bot@example.com", "ok:0.2:bot")), 403, "captcha_failed");

        assertEquals(List.of(), twilio.emulator().requests());
        assertEquals(200, post(recaptcha, "198.51.100.93", formWithToken("Human", "human@example.com", "ok:0.7:human"))
                .getStatusCode(), "a score at or over the minimum passes");
    }

    @Test
    void aRefusedCaptchaGivesTheSubmitUpSoTheVisitorCanTryAgain() {
        WebChannelHandler handler = withCaptcha("turnstile");
        String email = "ada@example.com";

        assertRefused(post(handler, "198.51.100.94", formWithToken("Ada", email, "expired-token")), 403, "captcha_failed");
        APIGatewayV2HTTPResponse retry = post(handler, "198.51.100.94", formWithToken("Ada", email, "ok:0.9:fresh"));

        assertEquals(200, retry.getStatusCode(), "the same form with a good token is not a repeat of the refused one");
        assertEquals(1, chatsCreated().size());
    }

    @Test
    void whenTheCaptchaProviderIsDownNoChatStarts() {
        WebChannelHandler handler = withCaptcha("hcaptcha");
        captcha.failWith(503);

        APIGatewayV2HTTPResponse response = post(handler, "198.51.100.95", formWithToken("Ada", "ada@example.com", "ok:0.9:x"));

        assertRefused(response, 502, "captcha_unavailable");
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void aCaptchaSecretTheProviderRefusesIsA502AnErrorForUsAndNothingReachesTwilio() {
        captcha = CaptchaProvider.start(0, "captcha-secret-for-tests");
        String wrongSecret = "captcha-secret-of-another-site";
        WebChannelHandler misconfigured = instance(CLOCK, "CAPTCHA_PROVIDER", "turnstile", "CAPTCHA_SECRET", wrongSecret,
                "CAPTCHA_VERIFY_URL", captcha.verifyUrl());
        String body = formWithToken("Ada", "ada@example.com", "ok:0.9:ada");

        APIGatewayV2HTTPResponse response = post(misconfigured, "198.51.100.97", body);

        assertRefused(response, 502, "captcha_unavailable");
        assertEquals(EmulatedTwilio.ORIGIN, response.getHeaders().get("Access-Control-Allow-Origin"));
        assertEquals(List.of(), twilio.emulator().requests(), "nothing reached Twilio");
        assertEquals(wrongSecret, captcha.verifications().get(0).secret());
        JsonNode error = twilio.logs().lines().stream().filter(l -> l.path("message").asText().contains("CAPTCHA_SECRET"))
                .findFirst().orElseThrow(() -> new AssertionError("no line naming CAPTCHA_SECRET in " + twilio.logs().text()));
        assertEquals("ERROR", error.path("level").asText());
        assertEquals("invalid-input-secret", error.path("reason").asText());
        assertFalse(twilio.logs().text().contains(wrongSecret), "the secret itself is never logged");
        assertFalse(response.getBody().contains("secret"), "the visitor is not told about our configuration: " + response.getBody());

        // Once the secret is put right, the same submit starts its chat: it was given up, and its token not spent.
        APIGatewayV2HTTPResponse retry = post(withCaptcha("turnstile"), "198.51.100.97", body);
        assertEquals(200, retry.getStatusCode(), retry.getBody());
        assertEquals(1, chatsCreated().size());
    }

    // --- one chat per submit ------------------------------------------------------------------------------------

    @Test
    void twoIdenticalConcurrentSubmitsStartOneChatAndBothGetIt() {
        assertOneChatFor(2);
    }

    @Test
    void eightIdenticalConcurrentSubmitsStartOneChatAndAllGetIt() {
        assertOneChatFor(8);
    }

    void assertOneChatFor(int submits) {
        List<WebChannelHandler> instances = IntStream.range(0, submits).mapToObj(i -> instance(CLOCK)).toList();
        // Flex takes its time, so every repeat arrives while the first is still at Twilio.
        twilio.emulator().delayNext("POST", WEB_CHATS, Duration.ofMillis(400), submits);
        String body = form("Ada", "ada@example.com");

        List<APIGatewayV2HTTPResponse> responses = Burst.of(submits, i -> post(instances.get(i), "198.51.100.100", body));

        responses.forEach(r -> assertEquals(200, r.getStatusCode(), r.getBody()));
        assertEquals(1, chatsCreated().size(), "one conversation at Twilio");
        assertEquals(1, conversationSids(responses).size(), "every answer names it");
        assertEquals(1, responses.stream().map(InitWebchatProtectionTest::identity).distinct().count(),
                "every token is for the same visitor");
        String conversationSid = conversationSids(responses).iterator().next();
        assertEquals(identity(responses.get(0)),
                twilio.emulator().participants(conversationSid).get(0).get("identity"), "the visitor of that conversation");
        assertEquals(2, twilio.emulator().messages(conversationSid).size(), "the first question and the welcome, once");
    }

    @Test
    void theFieldsOrderDoesNotMakeANewSubmit() {
        WebChannelHandler handler = instance(CLOCK);
        personal.used("ada@example.com");

        String first = json(post(handler, "198.51.100.101", "{\"formData\":{\"friendlyName\":\"Ada\",\"email\":\"ada@example.com\"}}"))
                .get("conversationSid").asText();
        String again = json(post(handler, "198.51.100.101", "{\"formData\":{\"email\":\"ada@example.com\",\"friendlyName\":\"Ada\"}}"))
                .get("conversationSid").asText();

        assertEquals(first, again);
        assertEquals(1, chatsCreated().size());
    }

    @Test
    void anotherFormOrAnotherAddressIsANewChat() {
        WebChannelHandler handler = instance(CLOCK);

        String first = json(post(handler, "198.51.100.102", form("Ada", "ada@example.com"))).get("conversationSid").asText();
        String otherForm = json(post(handler, "198.51.100.102", form("Ada", "ada.l@example.com"))).get("conversationSid").asText();
        String otherAddress = json(post(handler, "198.51.100.103", form("Ada", "ada@example.com"))).get("conversationSid").asText();

        assertEquals(3, Set.of(first, otherForm, otherAddress).size());
        assertEquals(3, chatsCreated().size());
    }

    @Test
    void theSameFormFromTheSameAddressInAnotherBrowserIsANewChat() {
        WebChannelHandler handler = instance(CLOCK);
        String body = form("Ada", "ada@example.com");
        String chrome = personal.used("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        String firefox = personal.used("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");

        String first = json(post(handler, "198.51.100.107", body, "user-agent", chrome)).get("conversationSid").asText();
        String repeat = json(post(handler, "198.51.100.107", body, "user-agent", chrome)).get("conversationSid").asText();
        String otherBrowser = json(post(handler, "198.51.100.107", body, "user-agent", firefox)).get("conversationSid").asText();

        assertEquals(first, repeat, "the same browser's repeat gets the first chat");
        assertNotEquals(first, otherBrowser, "two visitors behind one address who typed the same thing");
        assertEquals(2, chatsCreated().size());
    }

    @Test
    void twoBrowsersBehindOneAddressSubmittingTheSameFormAtOnceGetAChatEach() {
        List<WebChannelHandler> instances = IntStream.range(0, 4).mapToObj(i -> instance(CLOCK)).toList();
        twilio.emulator().delayNext("POST", WEB_CHATS, Duration.ofMillis(400), 4);
        String body = form("Ada", "ada@example.com");
        List<String> browsers = List.of(
                personal.used("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"),
                personal.used("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"));

        // Each browser double-clicks: four requests, two submits.
        List<APIGatewayV2HTTPResponse> responses = Burst.of(4, i -> post(instances.get(i), "198.51.100.108", body,
                "user-agent", browsers.get(i % 2)));

        responses.forEach(r -> assertEquals(200, r.getStatusCode(), r.getBody()));
        assertEquals(2, chatsCreated().size(), "one chat per browser");
        assertEquals(json(responses.get(0)).get("conversationSid"), json(responses.get(2)).get("conversationSid"));
        assertEquals(json(responses.get(1)).get("conversationSid"), json(responses.get(3)).get("conversationSid"));
        assertNotEquals(json(responses.get(0)).get("conversationSid"), json(responses.get(1)).get("conversationSid"));
    }

    @Test
    void afterTheWindowTheSameSubmitStartsANewChat() {
        MovableClock clock = new MovableClock(NOW);
        WebChannelHandler handler = instance(clock, "DUPLICATE_SUBMIT_WINDOW", "PT10S");
        String body = form("Ada", "ada@example.com");

        String first = json(post(handler, "198.51.100.104", body)).get("conversationSid").asText();
        clock.advance(Duration.ofSeconds(9));
        assertEquals(first, json(post(handler, "198.51.100.104", body)).get("conversationSid").asText());
        clock.advance(Duration.ofSeconds(1));
        String later = json(post(handler, "198.51.100.104", body)).get("conversationSid").asText();

        assertNotEquals(first, later);
        assertEquals(2, chatsCreated().size());
    }

    @Test
    void aSubmitThatFailedAtTwilioCanBeRetriedAtOnce() {
        WebChannelHandler handler = instance(CLOCK);
        String body = form("Ada", "ada@example.com");
        twilio.emulator().failNext("POST", WEB_CHATS, 500, 20500, 1);

        assertEquals(502, post(handler, "198.51.100.105", body).getStatusCode());
        long started = System.nanoTime();
        APIGatewayV2HTTPResponse retry = post(handler, "198.51.100.105", body);

        assertEquals(200, retry.getStatusCode(), retry.getBody());
        assertTrue((System.nanoTime() - started) / 1_000_000 < 1_000, "the retry did not wait on a claim");
        assertEquals(2, chatsCreated().size(), "the failed attempt, then the chat");
    }

    @Test
    void aRepeatedSubmitIsNotCountedAgainstTheLimit() {
        WebChannelHandler handler = instance(CLOCK, "RATE_LIMIT_CHATS_PER_IP", "1/PT1H");
        String body = form("Ada", "ada@example.com");

        assertEquals(200, post(handler, "198.51.100.106", body).getStatusCode());
        assertEquals(200, post(handler, "198.51.100.106", body).getStatusCode(), "a double click is not a second chat");
        assertRefused(post(handler, "198.51.100.106", form("Ada", "other@example.com")), 429, "rate_limited");
    }

    // --- the store down -----------------------------------------------------------------------------------------

    @Test
    void withTheStoreNotAnsweringTheChatStartsAfterOneStoreTimeoutAndTheFailuresAreLogged() {
        // The classes a first request loads, loaded now, so the time below is the store's. On an instance
        // of its own: the timed one reads the block list (a store call) as a new instance does.
        assertEquals(200, post(instance(CLOCK), "198.51.100.110", form("Warm", "warm@example.com")).getStatusCode());
        twilio.emulator().clearRequests();
        WebChannelHandler handler = instance(CLOCK, "RATE_LIMIT_CHATS_PER_IP", "1/PT1H");
        EmulatedTwilio.dynamo().pause();
        try {
            long started = System.nanoTime();
            APIGatewayV2HTTPResponse response = post(handler, "198.51.100.111", form("Ada", "ada@example.com"));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(200, response.getStatusCode(), response.getBody());
            assertEquals(1, chatsCreated().size(), "the chat, created once");
            assertTrue(tookMillis < 2 * WebChatRuntime.STORE_TIMEOUT.toMillis(),
                    "one store timeout, then the request's other store calls fail at once (each waiting its own, four took"
                            + " 3.3 s): took " + tookMillis + " ms");
        } finally {
            EmulatedTwilio.dynamo().resume();
        }
        assertFailedOpen("Block list not refreshed", "Submit not checked for repeats", "Limit not applied");
        assertEquals(2, twilio.logs().lines().stream().filter(l -> l.path("message").asText().startsWith("Limit not applied"))
                .count(), "per address and per account");
        JsonNode completed = twilio.logs().lines().stream().filter(l -> l.path("message").asText().equals("Request completed"))
                .reduce((first, last) -> last).orElseThrow();
        double storeMillis = completed.path("storeMillis").asDouble();
        assertTrue(storeMillis >= 750 && storeMillis < 1_200, "one wait on the store: " + completed);
    }

    @Test
    void withTheStoreGoneTheChatStartsAndTheCaptchaStillDecides() {
        captcha = CaptchaProvider.start(0, "captcha-secret-for-tests");
        Map<String, String> env = new HashMap<>(twilio.environment());
        env.putAll(LocalStore.refusingEnvironment());
        env.putAll(Map.of("CAPTCHA_PROVIDER", "turnstile", "CAPTCHA_SECRET", captcha.secret(), "CAPTCHA_VERIFY_URL", captcha.verifyUrl()));
        WebChannelHandler handler = new WebChannelHandler(EmulatedTwilio.runtime(env, CLOCK));

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response = post(handler, "198.51.100.113", formWithToken("Ada", "ada@example.com", "ok:0.9:a"));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertTrue((System.nanoTime() - started) / 1_000_000 < 3_000);
        assertEquals(1, chatsCreated().size());
        assertFailedOpen("Block list not refreshed", "Submit not checked for repeats", "Limit not applied");

        // the CAPTCHA does not use the store: without one it still refuses
        assertRefused(post(handler, "198.51.100.114", formWithToken("Bot", "bot@example.com", "forged")), 403, "captcha_failed");
        assertEquals(1, chatsCreated().size());
    }

    /** Each of these was logged as a warning that the protection let the request through. */
    void assertFailedOpen(String... messages) {
        for (String message : messages) {
            JsonNode line = twilio.logs().lines().stream().filter(l -> l.path("message").asText().startsWith(message)).findFirst()
                    .orElseThrow(() -> new AssertionError("no '" + message + "' in " + twilio.logs().text()));
            assertEquals("WARN", line.path("level").asText());
            assertTrue(line.path("failOpen").asBoolean(), line.toString());
        }
    }

    /** For the transcript by address (POST /email): the store keeps which chat the form's email started, hashed. */
    @Test
    void theFormsEmailIsRememberedWithItsChatForTheTranscript() {
        WebChatRuntime runtime = runtime(CLOCK);
        APIGatewayV2HTTPResponse started = post(new WebChannelHandler(runtime), "203.0.113.70", form("Ada", "ada.recent@example.com"));
        assertEquals(200, started.getStatusCode(), started.getBody());

        assertEquals(java.util.Optional.of(json(started).get("conversationSid").asText()),
                runtime.recentChats().chatOf("ADA.recent@example.com"));
        assertEquals(java.util.Optional.empty(), runtime.recentChats().chatOf("someone.else@example.com"));
    }
}
