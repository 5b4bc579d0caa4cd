package com.flexwebchat.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SignedWebhooks;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.Burst;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.LocalStore;
import com.flexwebchat.shared.testing.PersonalData;
import com.twilio.rest.conversations.v1.service.conversation.ParticipantCreator;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once {@code onParticipantAdded} effects on a real DynamoDB-compatible store (dynalite):
 * deliveries of one event (one {@code I-Twilio-Idempotency-Token}) arriving together, signed as
 * Twilio signs them, through the real handler, each on its own instance.
 */
class ConversationsWebhookEffectsTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String PATH = "/webhooks/conversations";
    static final String AGENT = "alice_40example_2Ecom";
    static final String WORKER_LOOKUPS = "/taskrouter/v1/Workspaces/" + ACCOUNT.taskrouterWorkspaceSid() + "/Workers";
    static final String MESSAGE_POSTS = "/conversations/v1/Services/.*/Messages";
    /** template.yaml's Timeout for the function. */
    static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(6);

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.freshForEachTest().withStore()
            .with("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());

    final PersonalData personal = new PersonalData();

    @AfterEach
    void nothingPersonalIsKept() {
        EmulatedTwilio.dynamo().resume();
        personal.assertNoneIn(EmulatedTwilio.dynamo().items(), twilio.logs().text());
    }

    static ConversationsWebhookHandler instance() {
        return new ConversationsWebhookHandler(twilio.runtime());
    }

    static ConversationsWebhookHandler instance(Map<String, String> extra) {
        Map<String, String> env = twilio.environment();
        env.putAll(extra);
        return new ConversationsWebhookHandler(EmulatedTwilio.runtime(env, Clock.systemUTC()));
    }

    /** A chat an agent (a Flex worker with this public name) has just joined: answers the participant's SID. */
    String agentJoined(WebChannels chat, String identity, String publicName) {
        String realName = identity.substring(0, identity.indexOf('_')) + " Real";
        ObjectNode attributes = Json.object().put("contact_uri", "client:" + identity).put("full_name", realName)
                .put("public_identity", publicName);
        twilio.emulator().addWorker(realName, Json.write(attributes));
        String sid = twilio.runtime().twilio().call("add the agent", client ->
                new ParticipantCreator(ACCOUNT.conversationsServiceSid(), chat.getConversationSid())
                        .setIdentity(identity).create(client)).getSid();
        twilio.emulator().clearRequests();
        return sid;
    }

    WebChannels chat() {
        WebChannels chat = twilio.startChat();
        personal.used(chat.getIdentity());
        return chat;
    }

    /** One delivery of an event, as Twilio posts it: signed, with the event's idempotency token. */
    static APIGatewayV2HTTPResponse deliver(ConversationsWebhookHandler handler, Map<String, List<String>> form, String token) {
        Map<String, String> headers = new LinkedHashMap<>(SignedWebhooks.headers("application/x-www-form-urlencoded; charset=UTF-8",
                TwilioEmulator.signature(ACCOUNT.authToken(), SignedWebhooks.url(PATH), form)));
        headers.put("i-twilio-idempotency-token", token);
        return handler.handle(HttpApiEvents.request("POST", PATH, PATH, "", headers, SignedWebhooks.encode(form), true),
                new LocalContext("ConversationsWebhookFunction", FUNCTION_TIMEOUT));
    }

    List<Map<String, Object>> notices(WebChannels chat) {
        return twilio.emulator().messages(chat.getConversationSid()).stream()
                .filter(m -> "Concierge".equals(m.get("author"))).toList();
    }

    @Test
    void twoConcurrentDeliveriesOfOneEventPostOneNotice() {
        assertOneEffectFor(2);
    }

    @Test
    void eightConcurrentDeliveriesOfOneEventPostOneNotice() {
        assertOneEffectFor(8);
    }

    void assertOneEffectFor(int deliveries) {
        WebChannels chat = chat();
        String participant = agentJoined(chat, AGENT, "Sam");
        Map<String, List<String>> event = ConversationsWebhookTest.participantAdded(chat.getConversationSid(), participant, AGENT);
        List<ConversationsWebhookHandler> instances = IntStream.range(0, deliveries).mapToObj(i -> instance()).toList();
        // Twilio is slow to answer, so every delivery arrives while the first is still at work.
        twilio.emulator().delayNext("GET", WORKER_LOOKUPS, Duration.ofMillis(300), deliveries);

        List<APIGatewayV2HTTPResponse> answers = Burst.of(deliveries,
                i -> deliver(instances.get(i), event, "idem-9f3c2b1a-" + chat.getConversationSid()));

        answers.forEach(answer -> assertEquals(200, answer.getStatusCode(), answer.getBody()));
        List<Map<String, Object>> notices = notices(chat);
        assertEquals(1, notices.size(), notices.toString());
        assertEquals("Sam joined the chat", notices.get(0).get("body"));
        assertEquals(1, twilio.emulator().requests("GET", WORKER_LOOKUPS).size(), "only one delivery reached Twilio");
        assertEquals(1, twilio.emulator().requests("POST", MESSAGE_POSTS).size());
        assertEquals(1, twilio.emulator().requests("POST", "/conversations/v1/Services/.*/Users/.*").size(), "one rename");
        assertEquals(deliveries - 1, twilio.logs().lines().stream()
                .filter(l -> l.path("outcome").asText().equals("duplicate_delivery")).count());
    }

    @Test
    void aDeliveryWhoseNoticeFailedLeavesTheEventToTwiliosRetry() {
        WebChannels chat = chat();
        String participant = agentJoined(chat, AGENT, "Sam");
        Map<String, List<String>> event = ConversationsWebhookTest.participantAdded(chat.getConversationSid(), participant, AGENT);
        twilio.emulator().failNext("POST", MESSAGE_POSTS, 500, 20500, 1);

        assertEquals(502, deliver(instance(), event, "idem-retry").getStatusCode());
        assertEquals(List.of(), notices(chat));

        assertEquals(200, deliver(instance(), event, "idem-retry").getStatusCode());
        assertEquals(1, notices(chat).size(), "the retry took effect");
        assertEquals(200, deliver(instance(), event, "idem-retry").getStatusCode());
        assertEquals(1, notices(chat).size());
    }

    @Test
    void anotherEventTakesItsOwnEffect() {
        WebChannels chat = chat();
        String first = agentJoined(chat, AGENT, "Sam");
        deliver(instance(), ConversationsWebhookTest.participantAdded(chat.getConversationSid(), first, AGENT), "idem-first");
        String second = agentJoined(chat, "carol_40example_2Ecom", "Jo");

        deliver(instance(), ConversationsWebhookTest.participantAdded(chat.getConversationSid(), second, "carol_40example_2Ecom"),
                "idem-second");

        assertEquals(List.of("Sam joined the chat", "Jo joined the chat"), notices(chat).stream().map(m -> m.get("body")).toList());
    }

    @Test
    void withTheStoreNotAnsweringTheNoticeIsPostedWithinTheBudget() {
        WebChannels chat = chat();
        String participant = agentJoined(chat, AGENT, "Sam");
        Map<String, List<String>> event = ConversationsWebhookTest.participantAdded(chat.getConversationSid(), participant, AGENT);
        ConversationsWebhookHandler handler = instance();
        EmulatedTwilio.dynamo().pause();
        try {
            long started = System.nanoTime();
            APIGatewayV2HTTPResponse answer = deliver(handler, event, "idem-paused");
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(200, answer.getStatusCode(), answer.getBody());
            assertTrue(tookMillis < ConversationsWebhookHandler.BUDGET.toMillis(), "took " + tookMillis + " ms");
        } finally {
            EmulatedTwilio.dynamo().resume();
        }
        assertEquals(1, notices(chat).size());
        assertTrue(twilio.logs().text().contains("Event not recorded: the store did not answer"), twilio.logs().text());
        assertTrue(twilio.logs().text().contains("\"failOpen\":true"));
    }

    @Test
    void withTheStoreGoneTheNoticeIsPosted() {
        WebChannels chat = chat();
        String participant = agentJoined(chat, AGENT, "Sam");

        assertEquals(200, deliver(instance(LocalStore.refusingEnvironment()),
                ConversationsWebhookTest.participantAdded(chat.getConversationSid(), participant, AGENT), "idem-gone").getStatusCode());

        assertEquals(1, notices(chat).size());
        assertTrue(twilio.logs().text().contains("Event not recorded"), twilio.logs().text());
    }

    /** Screening a message changes nothing that could be repeated, so it never waits on the store. */
    @Test
    void screeningAMessageDoesNotAskTheStore() {
        WebChannels chat = chat();
        ConversationsWebhookHandler handler = instance();
        Map<String, List<String>> message = ConversationsWebhookTest.messageAdd(chat.getConversationSid(), chat.getIdentity(),
                "Where is my order?");
        EmulatedTwilio.dynamo().pause();
        try {
            long started = System.nanoTime();
            assertEquals(200, deliver(handler, message, "idem-message").getStatusCode());
            assertTrue((System.nanoTime() - started) / 1_000_000 < WebChatRuntime.STORE_TIMEOUT.toMillis());
        } finally {
            EmulatedTwilio.dynamo().resume();
        }
        assertEquals(List.of(), EmulatedTwilio.dynamo().items());
    }
}
