package com.flexwebchat.webchannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.Burst;
import com.flexwebchat.shared.testing.ClientEvents;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.LocalStore;
import com.flexwebchat.shared.testing.PersonalData;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /endChat}'s limit per visitor, and each chat ended once however many calls end it at
 * the same moment, through the real handler, with a real DynamoDB-compatible store (dynalite).
 */
class EndChatProtectionTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String LOOKUPS = "/conversations/v1/Services/" + ACCOUNT.conversationsServiceSid() + "/ParticipantConversations";
    static final String CONVERSATIONS = "/conversations/v1/Services/" + ACCOUNT.conversationsServiceSid() + "/Conversations/";

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass().clock(CLOCK).withStore()
            .with("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());

    final PersonalData personal = new PersonalData();

    @AfterEach
    void nothingPersonalIsKept() {
        EmulatedTwilio.dynamo().resume();
        personal.assertNoneIn(EmulatedTwilio.dynamo().items(), twilio.logs().text());
    }

    static WebChannelHandler instance(Map<String, String> extra) {
        Map<String, String> env = twilio.environment();
        env.putAll(extra);
        return new WebChannelHandler(EmulatedTwilio.runtime(env, CLOCK));
    }

    String tokenFor(String identity) {
        personal.used(identity);
        return new AccessTokenIssuer(ACCOUNT.accountSid(), ACCOUNT.apiKey(), ACCOUNT.apiSecret(), ACCOUNT.conversationsServiceSid(),
                Duration.ofHours(1), CLOCK).issue(identity).jwt();
    }

    APIGatewayV2HTTPResponse endChat(WebChannelHandler handler, String token) {
        return handler.handle(ClientEvents.from(personal.used("198.51.100.20"), HttpApiEvents.request("POST", "/endChat",
                        "/endChat", "", Map.of("origin", EmulatedTwilio.ORIGIN, "content-type", "application/json"),
                        Json.write(Json.object().put("token", token)), false)),
                new LocalContext("WebChannelFunction", Duration.ofSeconds(15)));
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) {
        try {
            return Json.parse(response.getBody());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    String state(WebChannels chat) {
        return (String) twilio.emulator().conversation(chat.getConversationSid()).orElseThrow().get("state");
    }

    @Test
    void endingsAreCountedPerVisitorAndTheOneOverTheLimitAsksTwilioNothing() {
        WebChannelHandler handler = instance(Map.of("RATE_LIMIT_ENDINGS_PER_VISITOR", "2/PT1H"));
        WebChannels chat = twilio.startChat();
        String token = tokenFor(chat.getIdentity());

        assertEquals(200, endChat(handler, token).getStatusCode());
        assertEquals("closed", state(chat));
        assertEquals(200, endChat(handler, token).getStatusCode(), "a second ending finds nothing open and answers the same");
        twilio.emulator().clearRequests();

        APIGatewayV2HTTPResponse third = endChat(handler, token);

        assertEquals(429, third.getStatusCode(), third.getBody());
        assertEquals("rate_limited", json(third).path("error").path("code").asText());
        assertEquals("3600", third.getHeaders().get("Retry-After"));
        assertEquals(List.of(), twilio.emulator().requests());
        assertEquals(200, endChat(handler, tokenFor("another-visitor")).getStatusCode(), "another visitor is counted apart");
    }

    @Test
    void ofEightConcurrentEndingsOverALimitOfTwoTwoGetThrough() {
        List<WebChannelHandler> instances = IntStream.range(0, 4)
                .mapToObj(i -> instance(Map.of("RATE_LIMIT_ENDINGS_PER_VISITOR", "2/PT1H"))).toList();
        String token = tokenFor("visitor-without-a-chat");

        List<APIGatewayV2HTTPResponse> responses = Burst.of(8, i -> endChat(instances.get(i % 4), token));

        assertEquals(2, responses.stream().filter(r -> r.getStatusCode() == 200).count());
        assertEquals(6, responses.stream().filter(r -> r.getStatusCode() == 429).count());
        assertEquals(2, twilio.emulator().requests("GET", LOOKUPS).size(), "Twilio was asked twice, not eight times");
        assertEquals(2, twilio.emulator().requests().size());
    }

    // --- each chat ended once ----------------------------------------------------------------------------------

    List<Map<String, Object>> notices(WebChannels chat) {
        return twilio.emulator().messages(chat.getConversationSid()).stream()
                .filter(m -> "Concierge".equals(m.get("author"))).toList();
    }

    @Test
    void twoConcurrentEndingsOfOneChatEndItOnce() {
        assertEndedOnceBy(2);
    }

    @Test
    void eightConcurrentEndingsOfOneChatEndItOnce() {
        assertEndedOnceBy(8);
    }

    /** A double click, two tabs: {@code calls} /endChat with one token at once, each on an instance of its own. */
    void assertEndedOnceBy(int calls) {
        List<WebChannelHandler> instances = IntStream.range(0, calls).mapToObj(i -> instance(Map.of())).toList();
        WebChannels chat = twilio.startChat();
        String token = tokenFor(chat.getIdentity());
        // Twilio is slow to say which chats are open, so every call finds this one open before any has ended it.
        twilio.emulator().delayNext("GET", LOOKUPS, Duration.ofMillis(300), calls);

        List<APIGatewayV2HTTPResponse> responses = Burst.of(calls, i -> endChat(instances.get(i), token));

        for (APIGatewayV2HTTPResponse response : responses) {
            assertEquals(200, response.getStatusCode(), response.getBody());
            assertTrue(json(response).path("ended").asBoolean(), response.getBody());
            assertEquals(1, json(response).size(), response.getBody());
        }
        assertEquals(calls, twilio.emulator().requests("GET", LOOKUPS).size(), "every call asked which chats are open");
        assertEquals(List.of(WebChatConfig.Endings.CUSTOMER_LEFT_MESSAGE),
                notices(chat).stream().map(m -> m.get("body")).toList(), "one customer-left notice");
        assertEquals(1, twilio.emulator().requests("POST", CONVERSATIONS + chat.getConversationSid() + "/Messages").size());
        assertEquals(1, twilio.emulator().requests("POST", CONVERSATIONS + chat.getConversationSid()).size(), "one close");
        assertEquals("closed", state(chat));
        // Every other call did nothing: it lost the race for the ending, or (on a loaded machine,
        // its lookup answered after the winner had closed the chat) found no open chat at all.
        assertEquals(calls - 1, twilio.logs().lines().stream()
                .filter(l -> l.path("outcome").asText().equals("duplicate_delivery")
                        || l.path("message").asText().equals("No open chat to end")).count(), twilio.logs().text());
    }

    @Test
    void anEndingThatFailedAtTwilioCanBeRetriedAtOnce() {
        WebChannelHandler handler = instance(Map.of());
        WebChannels chat = twilio.startChat();
        String token = tokenFor(chat.getIdentity());
        twilio.emulator().failNext("POST", CONVERSATIONS + ".*/Messages", 500, 20500, 1);

        assertEquals(502, endChat(handler, token).getStatusCode());
        assertEquals("active", state(chat));

        APIGatewayV2HTTPResponse retry = endChat(handler, token);

        assertEquals(200, retry.getStatusCode(), retry.getBody());
        assertEquals("closed", state(chat), "the failed ending gave its record up");
        assertEquals(1, notices(chat).size());
    }

    // --- the store down -----------------------------------------------------------------------------------------

    @Test
    void withTheStoreNotAnsweringTheChatIsStillEndedAfterOneStoreTimeout() {
        // The classes a first ending loads, loaded now, so the time below is the store's.
        assertEquals(200, endChat(instance(Map.of()), tokenFor("warm-up-visitor")).getStatusCode());
        WebChannelHandler handler = instance(Map.of());
        WebChannels chat = twilio.startChat();
        String token = tokenFor(chat.getIdentity());
        EmulatedTwilio.dynamo().pause();
        try {
            long started = System.nanoTime();
            APIGatewayV2HTTPResponse response = endChat(handler, token);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(200, response.getStatusCode(), response.getBody());
            assertTrue(tookMillis < WebChatRuntime.STORE_TIMEOUT.toMillis() + 600,
                    "the limit's store call waits its 800 ms, the ending's record is not even tried (both waiting took"
                            + " 1.6 s): took " + tookMillis + " ms");
        } finally {
            EmulatedTwilio.dynamo().resume();
        }
        assertEquals("closed", state(chat));
        assertEquals(1, notices(chat).size());
        assertTrue(twilio.logs().text().contains("Limit not applied: the store did not answer"), twilio.logs().text());
        assertTrue(twilio.logs().text().contains("Event not recorded: the store did not answer"), twilio.logs().text());
    }

    @Test
    void withTheStoreGoneTheChatIsStillEnded() {
        Map<String, String> env = new HashMap<>(LocalStore.refusingEnvironment());
        WebChannelHandler handler = instance(env);
        WebChannels chat = twilio.startChat();

        assertEquals(200, endChat(handler, tokenFor(chat.getIdentity())).getStatusCode());

        assertEquals("closed", state(chat));
        assertTrue(twilio.logs().text().contains("\"failOpen\":true"), twilio.logs().text());
    }
}
