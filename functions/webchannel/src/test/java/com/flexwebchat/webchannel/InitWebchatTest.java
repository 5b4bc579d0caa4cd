package com.flexwebchat.webchannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.EmulatedTwilio.OwnEmulator;
import com.flexwebchat.shared.token.AccessTokenVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /initWebchat} through the real handler, the real SDK, over HTTP to the emulator. */
class InitWebchatTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final Map<String, String> BROWSER = Map.of("origin", EmulatedTwilio.ORIGIN, "content-type", "application/json");

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass().clock(CLOCK);

    /** The function, on the class's Twilio. */
    static WebChannelHandler handler() {
        return new WebChannelHandler(twilio.runtime());
    }

    static APIGatewayV2HTTPResponse post(WebChannelHandler handler, String body, Map<String, String> headers, Duration timeout) {
        return handler.handle(
                HttpApiEvents.request("POST", "/initWebchat", "/initWebchat", "", headers, body, false),
                new LocalContext("WebChannelFunction", timeout));
    }

    /** From the widget's page. */
    static APIGatewayV2HTTPResponse post(String body) {
        return post(handler(), body, BROWSER, Duration.ofSeconds(10));
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.parse(response.getBody());
    }

    List<RecordedRequest> webChatCreations() {
        return twilio.emulator().requests("POST", "/flex-api/v2/WebChats");
    }

    List<RecordedRequest> messagePosts() {
        return twilio.emulator().requests("POST", "/conversations/v1/.*Messages");
    }

    @Test
    void startsAChatThroughFlexOrchestrationAndAnswersWhatTheWidgetStores() throws Exception {
        APIGatewayV2HTTPResponse response = post(
                "{\"formData\":{\"friendlyName\":\"Ada\",\"email\":\"ada@example.com\",\"query\":\"Hi\",\"age\":36,\"vip\":true}}");

        assertEquals(200, response.getStatusCode());
        JsonNode body = json(response);
        assertEquals(3, body.size());
        String conversationSid = body.get("conversationSid").asText();
        assertEquals(NOW.plusSeconds(3600).toEpochMilli(), body.get("expiration").asLong());

        RecordedRequest create = webChatCreations().get(0);
        assertEquals(List.of(ACCOUNT.addressSid()), create.form().get("AddressSid"));
        assertEquals(List.of("Webchat widget"), create.form().get("ChatFriendlyName"));
        assertEquals(List.of("Ada"), create.form().get("CustomerFriendlyName"));
        assertEquals(Json.parse("{\"friendlyName\":\"Ada\",\"email\":\"ada@example.com\",\"query\":\"Hi\",\"age\":36,\"vip\":true}"),
                Json.parse(create.form().get("PreEngagementData").get(0)));
        assertTrue(create.headers().containsKey("ui-version"));

        String identity = twilio.emulator().participants(conversationSid).get(0).get("identity").toString();
        AccessTokenVerifier verifier = new AccessTokenVerifier(ACCOUNT.accountSid(), ACCOUNT.apiKey(),
                ACCOUNT.apiSecret(), ACCOUNT.conversationsServiceSid(), CLOCK);
        assertEquals(identity, verifier.verify(body.get("token").asText()));
    }

    @Test
    void postsTheQueryAsTheVisitorWithWebhooksThenTheWelcomeWithout() throws Exception {
        APIGatewayV2HTTPResponse response = post("{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"Where is my order?\"}}");
        assertEquals(200, response.getStatusCode());

        List<RecordedRequest> posts = messagePosts();
        assertEquals(2, posts.size());
        String conversationSid = json(response).get("conversationSid").asText();
        List<Map<String, Object>> messages = twilio.emulator().messages(conversationSid);
        assertEquals("Where is my order?", messages.get(0).get("body"));
        assertEquals(twilio.emulator().participants(conversationSid).get(0).get("identity"), messages.get(0).get("author"));
        assertEquals(List.of("true"), posts.get(0).headers().get("x-twilio-webhook-enabled"));

        assertEquals("Welcome Ada! An agent will be with you in just a moment.", messages.get(1).get("body"));
        assertEquals("Concierge", messages.get(1).get("author"));
        assertNull(posts.get(1).headers().get("x-twilio-webhook-enabled"));
    }

    @Test
    void aCardNumberTypedIntoTheFormNeverReachesTwilio() throws Exception {
        assertEquals(200, post("{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"My card 4111 1111 1111 1111 was charged twice\"}}")
                .getStatusCode());

        RecordedRequest create = webChatCreations().get(0);
        assertEquals("My card •••• •••• •••• 1111 was charged twice",
                Json.parse(create.form().get("PreEngagementData").get(0)).get("query").asText());
        assertEquals(List.of("My card •••• •••• •••• 1111 was charged twice"), messagePosts().get(0).form().get("Body"));
        for (RecordedRequest request : twilio.emulator().requests()) {
            assertFalse(String.valueOf(request.form()).contains("4111 1111 1111 1111"), request.path());
        }
    }

    @Test
    void friendlyNameDefaultsToCustomer() throws Exception {
        assertEquals(200, post("{\"formData\":{\"query\":\"Hi\"}}").getStatusCode());

        RecordedRequest create = webChatCreations().get(0);
        assertEquals(List.of("Customer"), create.form().get("CustomerFriendlyName"));
        assertEquals("Customer", Json.parse(create.form().get("PreEngagementData").get(0)).get("friendlyName").asText());
        assertTrue(messagePosts().get(1).form().get("Body").get(0).startsWith("Welcome Customer!"));
    }

    @Test
    void withoutAQueryNoMessageIsPosted() {
        assertEquals(200, post("{\"formData\":{\"friendlyName\":\"Ada\"}}").getStatusCode());
        assertEquals(1, webChatCreations().size());
        assertEquals(List.of(), messagePosts());
    }

    static final String CONVERSATION_UPDATE = "/conversations/v1/Services/IS[0-9a-f]{32}/Conversations/CH[0-9a-f]{32}";

    List<RecordedRequest> timerUpdates() {
        return twilio.emulator().requests("POST", CONVERSATION_UPDATE);
    }

    @Test
    void theConversationGetsItsClosedTimer() throws Exception {
        APIGatewayV2HTTPResponse response = post("{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"Hi\"}}");
        assertEquals(200, response.getStatusCode());
        String conversationSid = json(response).get("conversationSid").asText();

        List<RecordedRequest> updates = timerUpdates();
        assertEquals(1, updates.size());
        assertEquals("/conversations/v1/Services/" + ACCOUNT.conversationsServiceSid() + "/Conversations/" + conversationSid,
                updates.get(0).path());
        assertEquals(List.of("P1D"), updates.get(0).form().get("Timers.Closed"));
        assertNull(updates.get(0).form().get("Timers.Inactive"));
        assertEquals(Set.of("Timers.Closed"), updates.get(0).form().keySet(), "nothing else of the conversation changes");

        @SuppressWarnings("unchecked")
        Map<String, Object> timers = (Map<String, Object>) twilio.emulator().conversation(conversationSid).orElseThrow().get("timers");
        Instant closes = Instant.parse(timers.get("date_closed").toString());
        assertTrue(Duration.between(Instant.now().plus(Duration.ofDays(1)), closes).abs().compareTo(Duration.ofMinutes(1)) < 0,
                "closes a day from now: " + closes);
        assertNull(timers.get("date_inactive"));
    }

    @Test
    void theInactiveTimerIsSetWhenConfigured() throws Exception {
        Map<String, String> env = twilio.environment();
        env.put("CLOSE_AFTER", "PT2H");
        env.put("INACTIVE_AFTER", "PT30M");
        WebChannelHandler timed = new WebChannelHandler(EmulatedTwilio.runtime(env, CLOCK));

        APIGatewayV2HTTPResponse response = post(timed, "{\"formData\":{\"query\":\"Hi\"}}",
                BROWSER, Duration.ofSeconds(10));

        assertEquals(200, response.getStatusCode());
        RecordedRequest update = timerUpdates().get(0);
        assertEquals(List.of("PT2H"), update.form().get("Timers.Closed"));
        assertEquals(List.of("PT30M"), update.form().get("Timers.Inactive"));
        @SuppressWarnings("unchecked")
        Map<String, Object> timers = (Map<String, Object>) twilio.emulator().conversation(json(response).get("conversationSid").asText())
                .orElseThrow().get("timers");
        Instant inactive = Instant.parse(timers.get("date_inactive").toString());
        Instant closes = Instant.parse(timers.get("date_closed").toString());
        assertEquals(Duration.ofMinutes(90), Duration.between(inactive, closes), "both measured from the update");
    }

    @Test
    void theTimerUpdateRunsAtTheSameTimeAsTheOpeningMessages() throws Exception {
        post("{\"formData\":{\"query\":\"warm up\"}}"); // classes and connections, so only the delays are timed
        twilio.emulator().clearRequests();
        twilio.emulator().delayNext("POST", "/conversations/v1/.*Messages", Duration.ofMillis(500), 1);
        twilio.emulator().delayNext("POST", CONVERSATION_UPDATE, Duration.ofMillis(500), 1);

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response = post("{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"Where is my order?\"}}");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(200, response.getStatusCode());
        assertTrue(tookMillis >= 500, "the delays were applied: " + tookMillis + " ms");
        assertTrue(tookMillis < 900, "the timer update overlapped the messages (1,000 ms one after the other): " + tookMillis + " ms");
        assertEquals(1, timerUpdates().size(), "joined before answering");
        List<Map<String, Object>> messages = twilio.emulator().messages(json(response).get("conversationSid").asText());
        assertEquals(List.of("Where is my order?", "Welcome Ada! An agent will be with you in just a moment."),
                messages.stream().map(m -> m.get("body")).toList(), "visitor first, then the welcome");
    }

    @Test
    void aTimerUpdateThatFailedOnceIsSentAgainAndTheChatStarts() throws Exception {
        twilio.emulator().failNext("POST", CONVERSATION_UPDATE, 500, 20500, 1);

        APIGatewayV2HTTPResponse response = post("{\"formData\":{\"query\":\"Hi\"}}");

        assertEquals(200, response.getStatusCode());
        assertEquals(2, messagePosts().size());
        assertEquals(2, timerUpdates().size(), "a timer update only sets the timer: sent again after a 5xx (InitWebchatTimerTest)");
        JsonNode warning = twilio.logs().lines().stream()
                .filter(l -> l.path("message").asText().startsWith("Could not set the closed timer"))
                .findFirst().orElseThrow();
        assertEquals("WARN", warning.get("level").asText());
        assertEquals(json(response).get("conversationSid").asText(), warning.get("conversationSid").asText(),
                "the log line from the other thread carries the invocation's context");
        assertFalse(warning.path("requestId").asText().isEmpty());
    }

    @Test
    void withoutAQueryTheTimerUpdateIsTheOnlyCallAfterTheCreate() {
        assertEquals(200, post("{\"formData\":{\"friendlyName\":\"Ada\"}}").getStatusCode());

        List<String> calls = twilio.emulator().requests().stream().map(r -> r.method() + " " + r.path()).toList();
        assertEquals(2, calls.size(), calls.toString());
        assertEquals("POST /flex-api/v2/WebChats", calls.get(0));
        assertTrue(calls.get(1).matches("POST " + CONVERSATION_UPDATE), calls.get(1));
    }

    @Test
    void anEmptyBodyStartsAChatLikeTheExpressServer() {
        assertEquals(200, post("").getStatusCode());
        assertEquals(1, webChatCreations().size());
    }

    static List<Arguments> badInput() {
        String tooMany = "{\"formData\":{" + java.util.stream.IntStream.range(0, 31)
                .mapToObj(i -> "\"f" + i + "\":\"v\"").collect(java.util.stream.Collectors.joining(",")) + "}}";
        return List.of(
                Arguments.of("not JSON", "{formData:", 400, "invalid_json", null),
                Arguments.of("an array body", "[1,2]", 400, "invalid_json", null),
                Arguments.of("formData not an object", "{\"formData\":\"Ada\"}", 400, "invalid_field", "formData"),
                Arguments.of("a nested value", "{\"formData\":{\"address\":{\"city\":\"Oslo\"}}}", 400, "invalid_field", "formData.address"),
                Arguments.of("an array value", "{\"formData\":{\"tags\":[1]}}", 400, "invalid_field", "formData.tags"),
                Arguments.of("a null value", "{\"formData\":{\"email\":null}}", 400, "invalid_field", "formData.email"),
                Arguments.of("31 fields", tooMany, 400, "invalid_field", "formData"),
                Arguments.of("a 65-character key", "{\"formData\":{\"" + "k".repeat(65) + "\":\"v\"}}", 400, "invalid_field", "formData"),
                Arguments.of("a 1,001-character value", "{\"formData\":{\"query\":\"" + "q".repeat(1001) + "\"}}", 400, "invalid_field", "formData.query"),
                Arguments.of("an email that is not one", "{\"formData\":{\"email\":\"not-an-address\"}}", 400, "invalid_field", "formData.email"),
                Arguments.of("a numeric friendlyName", "{\"formData\":{\"friendlyName\":42}}", 400, "invalid_field", "formData.friendlyName"),
                Arguments.of("a body over 16 KB", "{\"formData\":{},\"pad\":\"" + "x".repeat(16 * 1024) + "\"}", 413, "payload_too_large", null),
                Arguments.of("deep nesting", "{\"a\":".repeat(40) + "1" + "}".repeat(40), 400, "invalid_json", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputIsRefusedWithTheRightStatusAndNothingIsCreated(String what, String body, int status, String code, String field)
            throws Exception {
        APIGatewayV2HTTPResponse response = post(body);

        assertEquals(status, response.getStatusCode(), what);
        JsonNode error = json(response).get("error");
        assertEquals(code, error.get("code").asText());
        assertFalse(error.get("message").asText().isBlank());
        if (field != null) {
            assertEquals(field, error.get("field").asText());
        }
        assertEquals(List.of(), twilio.emulator().requests(), "no Twilio call on bad input");
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupported() throws Exception {
        APIGatewayV2HTTPResponse response = post(handler(), "friendlyName=Ada",
                Map.of("origin", EmulatedTwilio.ORIGIN, "content-type", "application/x-www-form-urlencoded"), Duration.ofSeconds(10));
        assertEquals(415, response.getStatusCode());
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void aDisallowedOriginIsRefusedWithoutCallingTwilio() throws Exception {
        APIGatewayV2HTTPResponse response = post(handler(), "{\"formData\":{\"query\":\"Hi\"}}",
                Map.of("origin", "https://evil.example", "content-type", "application/json"), Duration.ofSeconds(10));

        assertEquals(403, response.getStatusCode());
        assertEquals("origin_not_allowed", json(response).get("error").get("code").asText());
        assertNull(response.getHeaders().get("Access-Control-Allow-Origin"));
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void aRequestWithoutOriginIsRefused() {
        APIGatewayV2HTTPResponse response = post(handler(), "{}", Map.of("content-type", "application/json"), Duration.ofSeconds(10));
        assertEquals(403, response.getStatusCode());
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void emptyAllowedOriginsRefusesEveryRequestAndSaysWhy() {
        Map<String, String> env = twilio.environment();
        env.remove("ALLOWED_ORIGINS");
        WebChannelHandler closed = new WebChannelHandler(EmulatedTwilio.runtime(env, CLOCK));

        APIGatewayV2HTTPResponse response = post(closed, "{}",
                BROWSER, Duration.ofSeconds(10));

        assertEquals(403, response.getStatusCode());
        assertEquals(List.of(), twilio.emulator().requests());
        assertTrue(twilio.logs().text().contains("ALLOWED_ORIGINS is empty"));
    }

    @Test
    void allowedOriginsGetCorsHeaders() {
        APIGatewayV2HTTPResponse response = post("{}");
        assertEquals(EmulatedTwilio.ORIGIN, response.getHeaders().get("Access-Control-Allow-Origin"));
        assertEquals("Origin", response.getHeaders().get("Vary"));
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        assertEquals("no-store", response.getHeaders().get("Cache-Control"));
    }

    @Test
    void aTwilioErrorIsA502AndTheCreateIsNotRetried() throws Exception {
        twilio.emulator().failNext("POST", "/flex-api/v2/WebChats", 500, 20500, 5);

        APIGatewayV2HTTPResponse response = post("{\"formData\":{\"query\":\"Hi\"}}");

        assertEquals(502, response.getStatusCode());
        assertEquals("twilio_error", json(response).get("error").get("code").asText());
        assertEquals(1, webChatCreations().size());
        assertEquals(List.of(), messagePosts());
        JsonNode failure = twilio.logs().lines().stream().filter(l -> l.path("message").asText().equals("Twilio call failed"))
                .findFirst().orElseThrow();
        assertEquals(500, failure.get("twilioStatus").asInt());
        assertEquals(20500, failure.get("twilioCode").asInt());
    }

    @Test
    void aRateLimitIsRetriedWithBackoff() {
        twilio.emulator().failNext("POST", "/flex-api/v2/WebChats", 429, 20429, 2);

        assertEquals(200, post("{}").getStatusCode());
        assertEquals(3, webChatCreations().size());
    }

    @Test
    void twilioNotAnsweringInTimeIsA504WithinTheFunctionsBudgetAndNotRetried() throws Exception {
        twilio.emulator().delayNext("POST", "/flex-api/v2/WebChats", Duration.ofMillis(2_500), 1);

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response = post(handler(), "{}",
                BROWSER, Duration.ofMillis(2_000));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(504, response.getStatusCode());
        assertEquals("twilio_timeout", json(response).get("error").get("code").asText());
        assertTrue(tookMillis < 2_000, "answered after " + tookMillis + " ms, past the function's timeout");
        // The emulator journals a request when it answers it: wait out the delay, then count.
        Thread.sleep(2_500 - tookMillis + 300);
        assertEquals(1, webChatCreations().size(), "a create is not retried after a timeout");
    }

    @Test
    void aFailedMessagePostDoesNotFailTheChatStart() {
        twilio.emulator().failNext("POST", "/conversations/v1/.*Messages", 500, 20500, 1);

        assertEquals(200, post("{\"formData\":{\"query\":\"Hi\"}}").getStatusCode());
        assertEquals(1, messagePosts().size(), "no welcome after the visitor's message failed");
        assertTrue(twilio.logs().text().contains("Could not post the visitor's first message"));
    }

    @Test
    void logsAreJsonWithRequestIdAndConversationButNoTokenSecretOrVisitorData() throws Exception {
        APIGatewayV2HTTPResponse response = post(
                "{\"formData\":{\"friendlyName\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"query\":\"my card is 4111\"}}");
        String token = json(response).get("token").asText();
        String conversationSid = json(response).get("conversationSid").asText();

        List<JsonNode> lines = twilio.logs().lines();
        JsonNode completed = lines.stream().filter(l -> l.path("message").asText().equals("Request completed"))
                .findFirst().orElseThrow();
        assertFalse(completed.path("requestId").asText().isEmpty());
        assertEquals(conversationSid, completed.path("conversationSid").asText());
        assertEquals("INFO", completed.path("level").asText());

        String text = twilio.logs().text();
        for (String secret : new String[] {token, token.split("\\.")[2], ACCOUNT.authToken(), ACCOUNT.apiSecret(),
                "Ada Lovelace", "ada@example.com", "my card is 4111"}) {
            assertFalse(text.contains(secret), "log contains " + secret);
        }
    }

    @Test
    @OwnEmulator // it moves the emulator's clock a day forward
    void aChatNobodyEndsIsClosedByTwilioWhenItsTimerRunsOut() throws Exception {
        String conversationSid = json(post("{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"Hi\"}}"))
                .get("conversationSid").asText();
        assertEquals("active", twilio.emulator().conversation(conversationSid).orElseThrow().get("state"));

        twilio.emulator().advanceClock(Duration.ofDays(1).plusMinutes(1));

        assertEquals("closed", twilio.emulator().conversation(conversationSid).orElseThrow().get("state"));
    }
}
