package com.flexwebchat.webchannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.shared.WebChatRuntime;
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

/** {@code POST /endChat}'s limit per visitor, through the real handler, with a real DynamoDB-compatible store (dynalite). */
class EndChatProtectionTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String LOOKUPS = "/conversations/v1/Services/" + ACCOUNT.conversationsServiceSid() + "/ParticipantConversations";

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
        return handler.handleRequest(ClientEvents.from(personal.used("198.51.100.20"), HttpApiEvents.request("POST", "/endChat",
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

    @Test
    void withTheStoreNotAnsweringTheChatIsStillEnded() {
        WebChannelHandler handler = instance(Map.of());
        WebChannels chat = twilio.startChat();
        String token = tokenFor(chat.getIdentity());
        EmulatedTwilio.dynamo().pause();
        try {
            long started = System.nanoTime();
            APIGatewayV2HTTPResponse response = endChat(handler, token);

            assertEquals(200, response.getStatusCode(), response.getBody());
            assertTrue((System.nanoTime() - started) / 1_000_000 < WebChatRuntime.STORE_TIMEOUT.toMillis() + 2_000);
        } finally {
            EmulatedTwilio.dynamo().resume();
        }
        assertEquals("closed", state(chat));
        assertTrue(twilio.logs().text().contains("Limit not applied: the store did not answer"), twilio.logs().text());
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
