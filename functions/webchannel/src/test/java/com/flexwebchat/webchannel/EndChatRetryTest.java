package com.flexwebchat.webchannel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.ClientEvents;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.PersonalData;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.twilio.rest.conversations.v1.service.conversation.MessageCreator;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /endChat} is several steps (the customer-left notice, the Flex interaction's close, the
 * conversation's close); when a later one fails, the widget's retry must not repeat an earlier
 * one. Through the real handler, on a real DynamoDB-compatible store (dynalite).
 */
class EndChatRetryTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String CONVERSATIONS = "/conversations/v1/Services/" + ACCOUNT.conversationsServiceSid() + "/Conversations/";
    static final String CHANNEL_UPDATES = "/flex-api/v1/Interactions/KD[0-9a-f]{32}/Channels/UO[0-9a-f]{32}";

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass().clock(CLOCK).withStore()
            .with("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());

    final PersonalData personal = new PersonalData();

    @AfterEach
    void nothingPersonalIsKept() {
        EmulatedTwilio.dynamo().resume();
        personal.assertNoneIn(EmulatedTwilio.dynamo().items(), twilio.logs().text());
    }

    String tokenFor(String identity) {
        personal.used(identity);
        return new AccessTokenIssuer(ACCOUNT.accountSid(), ACCOUNT.apiKey(), ACCOUNT.apiSecret(), ACCOUNT.conversationsServiceSid(),
                Duration.ofHours(1), CLOCK).issue(identity).jwt();
    }

    APIGatewayV2HTTPResponse endChat(String token) {
        return new WebChannelHandler(twilio.runtime()).handle(ClientEvents.from(personal.used("198.51.100.21"),
                        HttpApiEvents.request("POST", "/endChat", "/endChat", "", Map.of("origin", EmulatedTwilio.ORIGIN,
                                "content-type", "application/json"), Json.write(Json.object().put("token", token)), false)),
                new LocalContext("WebChannelFunction", Duration.ofSeconds(15)));
    }

    List<Map<String, Object>> notices(WebChannels chat) {
        return twilio.emulator().messages(chat.getConversationSid()).stream()
                .filter(m -> "Concierge".equals(m.get("author"))).toList();
    }

    String state(WebChannels chat) {
        return (String) twilio.emulator().conversation(chat.getConversationSid()).orElseThrow().get("state");
    }

    static JsonNode attributes(Map<String, Object> message) {
        try {
            return Json.parse((String) message.get("attributes"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRetryAfterTheCloseFailedPostsNoSecondNotice() {
        WebChannels chat = twilio.startChat();
        String token = tokenFor(chat.getIdentity());
        twilio.emulator().failNext("POST", CONVERSATIONS + chat.getConversationSid(), 500, 20500, 1);

        assertEquals(502, endChat(token).getStatusCode());
        assertEquals("active", state(chat));
        assertEquals(1, notices(chat).size(), "the notice was posted before the close failed");

        APIGatewayV2HTTPResponse retry = endChat(token);

        assertEquals(200, retry.getStatusCode(), retry.getBody());
        assertEquals("closed", state(chat));
        assertEquals(List.of(WebChatConfig.Endings.CUSTOMER_LEFT_MESSAGE), notices(chat).stream().map(m -> m.get("body")).toList(),
                "the agent reads it once");
        assertEquals("customer_left", attributes(notices(chat).get(0)).path("chatEnding").asText(),
                "the notice says what it is, so a retry (or the agent's ending) finds it");
    }

    @Test
    void aRetryAfterTheInteractionCloseFailedPostsNoSecondNotice() {
        WebChannels chat = twilio.startChat();
        twilio.sendToFlex(chat.getConversationSid());
        String token = tokenFor(chat.getIdentity());
        twilio.emulator().failNext("POST", CHANNEL_UPDATES, 500, 20500, 1);

        assertEquals(502, endChat(token).getStatusCode());
        assertEquals("active", state(chat));
        assertEquals(1, notices(chat).size());

        APIGatewayV2HTTPResponse retry = endChat(token);

        assertEquals(200, retry.getStatusCode(), retry.getBody());
        assertEquals("closed", state(chat));
        assertEquals(1, notices(chat).size(), "the agent reads it once");
        assertEquals(2, twilio.emulator().requests("POST", CHANNEL_UPDATES).size(), "the failed close, then the retry's");
    }

    /** The agent's ending posted its notice, then failed to close: the visitor's End chat closes it without a second word. */
    @Test
    void anEndingNoticeAlreadyThereIsNotFollowedByAnother() {
        WebChannels chat = twilio.startChat();
        String token = tokenFor(chat.getIdentity());
        twilio.runtime().twilio().call("the agent-ended notice", client ->
                new MessageCreator(ACCOUNT.conversationsServiceSid(), chat.getConversationSid()).setAuthor("Concierge")
                        .setBody(WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE)
                        .setAttributes("{\"chatEnding\":\"agent_ended\",\"taskSid\":\"WT00112233445566778899aabbccddeeff\"}")
                        .create(client));

        assertEquals(200, endChat(token).getStatusCode());

        assertEquals("closed", state(chat));
        assertEquals(List.of(WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE), notices(chat).stream().map(m -> m.get("body")).toList());
    }
}
