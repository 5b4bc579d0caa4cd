package com.flexwebchat.agentended;

import static com.flexwebchat.agentended.TaskEvents.ACCOUNT;
import static com.flexwebchat.agentended.TaskEvents.canceled;
import static com.flexwebchat.agentended.TaskEvents.conversationTask;
import static com.flexwebchat.agentended.TaskEvents.wrapup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.testing.Burst;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.LocalStore;
import com.flexwebchat.shared.testing.PersonalData;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once endings on a real DynamoDB-compatible store (dynalite): deliveries of one TaskRouter
 * event (one event {@code Sid}) arriving together, signed as TaskRouter signs them, through the real
 * handler, each on its own instance. The event's {@code Sid} is the key, whatever idempotency token
 * each delivery carries; the token only for a delivery without one.
 */
class AgentEndedEffectsTest {

    static final String CONVERSATION = "/conversations/v1/Services/" + ACCOUNT.conversationsServiceSid()
            + "/Conversations/CH[0-9a-f]{32}";
    static final String MESSAGES = CONVERSATION + "/Messages";

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.freshForEachTest().withStore();

    final PersonalData personal = new PersonalData();

    @AfterEach
    void nothingPersonalIsKept() {
        EmulatedTwilio.dynamo().resume();
        personal.assertNoneIn(EmulatedTwilio.dynamo().items(), twilio.logs().text());
    }

    static AgentEndedHandler instance() {
        return new AgentEndedHandler(twilio.runtime());
    }

    WebChannels chat() {
        WebChannels chat = twilio.startChat();
        personal.used(chat.getIdentity());
        personal.used("ada@example.com"); // in the task's attributes, from the visitor's form
        return chat;
    }

    List<Map<String, Object>> notices(WebChannels chat) {
        return twilio.emulator().messages(chat.getConversationSid()).stream()
                .filter(m -> "Concierge".equals(m.get("author"))).toList();
    }

    String state(WebChannels chat) {
        return (String) twilio.emulator().conversation(chat.getConversationSid()).orElseThrow().get("state");
    }

    @Test
    void eightConcurrentDeliveriesOfOneWrapupPostOneClosingNotice() {
        WebChannels chat = chat();
        assertOneEndingFor(8, wrapup(conversationTask(chat.getConversationSid())));

        assertEquals(List.of(WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE), notices(chat).stream().map(m -> m.get("body")).toList());
        assertEquals("closed", state(chat));
    }

    @Test
    void eightConcurrentDeliveriesOfOneCancellationPostOneNotice() {
        WebChannels chat = chat();
        assertOneEndingFor(8, canceled(conversationTask(chat.getConversationSid())));

        assertEquals(List.of(WebChatConfig.Endings.DEFAULT_ABANDONED_MESSAGE), notices(chat).stream().map(m -> m.get("body")).toList());
        assertEquals("closed", state(chat));
    }

    void assertOneEndingFor(int deliveries, Map<String, List<String>> event) {
        List<AgentEndedHandler> instances = IntStream.range(0, deliveries).mapToObj(i -> instance()).toList();
        // Twilio is slow to answer, so every delivery arrives while the first is still at work.
        twilio.emulator().delayNext("GET", CONVERSATION, Duration.ofMillis(300), deliveries);

        List<APIGatewayV2HTTPResponse> answers = Burst.of(deliveries, i -> TaskEvents.deliver(instances.get(i), event));

        answers.forEach(answer -> assertEquals(204, answer.getStatusCode(), answer.getBody()));
        assertEquals(1, twilio.emulator().requests("GET", CONVERSATION).size(), "only one delivery reached Twilio");
        assertEquals(1, twilio.emulator().requests("POST", MESSAGES).size());
        assertEquals(1, twilio.emulator().requests("POST", CONVERSATION).size(), "one close");
        assertEquals(deliveries - 1, twilio.logs().lines().stream()
                .filter(l -> l.path("outcome").asText().equals("duplicate_delivery")).count());
    }

    // --- the key: the event's Sid, then the idempotency token --------------------------------------------------

    static String token(int i) {
        return "b8e0c7a4-5f1d-4e2a-9c3b-" + String.format("%012d", i);
    }

    /** One event delivered by two callback configurations: the same Sid, an idempotency token each. */
    @Test
    void twoConcurrentDeliveriesOfOneEventWithDifferentIdempotencyTokensEndTheChatOnce() {
        assertOneEndingWithTokensFor(2);
    }

    @Test
    void eightConcurrentDeliveriesOfOneEventWithDifferentIdempotencyTokensEndTheChatOnce() {
        assertOneEndingWithTokensFor(8);
    }

    void assertOneEndingWithTokensFor(int deliveries) {
        WebChannels chat = chat();
        Map<String, List<String>> event = wrapup(conversationTask(chat.getConversationSid()));
        List<AgentEndedHandler> instances = IntStream.range(0, deliveries).mapToObj(i -> instance()).toList();
        twilio.emulator().delayNext("GET", CONVERSATION, Duration.ofMillis(300), deliveries);

        List<APIGatewayV2HTTPResponse> answers = Burst.of(deliveries,
                i -> TaskEvents.deliverWithToken(instances.get(i), event, token(i)));

        answers.forEach(answer -> assertEquals(204, answer.getStatusCode(), answer.getBody()));
        assertEquals(List.of(WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE), notices(chat).stream().map(m -> m.get("body")).toList());
        assertEquals(1, twilio.emulator().requests("POST", MESSAGES).size(), "one closing notice");
        assertEquals(1, twilio.emulator().requests("POST", CONVERSATION).size(), "one close");
        assertEquals(1, twilio.emulator().requests("GET", CONVERSATION).size(), "only one delivery reached Twilio");
        assertEquals("closed", state(chat));
        assertEquals(deliveries - 1, twilio.logs().lines().stream()
                .filter(l -> l.path("outcome").asText().equals("duplicate_delivery")).count());
    }

    @Test
    void aLaterDeliveryOfTheEventWithAnotherIdempotencyTokenIsTakenAsDone() {
        WebChannels chat = chat();
        Map<String, List<String>> event = wrapup(conversationTask(chat.getConversationSid()));
        assertEquals(204, TaskEvents.deliverWithToken(instance(), event, token(1)).getStatusCode());
        twilio.emulator().clearRequests();

        assertEquals(204, TaskEvents.deliverWithToken(instance(), event, token(2)).getStatusCode());

        assertEquals(List.of(), twilio.emulator().requests(), "taken as done by its Sid: not even a look at the chat");
        assertTrue(twilio.logs().text().contains("\"outcome\":\"duplicate_delivery\""), twilio.logs().text());
        assertEquals(1, notices(chat).size());
    }

    /** Another event of the task is another Sid: handled, even under the same idempotency token. */
    @Test
    void anotherEventIsHandledByItsOwnSidWhateverItsIdempotencyToken() {
        WebChannels chat = chat();
        Map<String, List<String>> wrapup = wrapup(conversationTask(chat.getConversationSid()));
        Map<String, List<String>> completed = TaskEvents.completed(conversationTask(chat.getConversationSid()));
        completed.put("Sid", List.of("EV" + "0".repeat(31) + "2"));
        assertEquals(204, TaskEvents.deliverWithToken(instance(), wrapup, token(7)).getStatusCode());
        twilio.emulator().clearRequests();

        assertEquals(204, TaskEvents.deliverWithToken(instance(), completed, token(7)).getStatusCode());

        assertEquals(1, twilio.emulator().requests("GET", CONVERSATION).size(), "its own look at the chat");
        assertEquals(List.of(), twilio.emulator().writes(), "which has ended: no second notice, no second close");
        assertTrue(twilio.logs().text().contains("\"outcome\":\"already_ended\""), twilio.logs().text());
        assertEquals(1, notices(chat).size());
        assertEquals(3, EmulatedTwilio.dynamo().items().size(), "a record per event, and the chat's ending");
    }

    /** A delivery without a Sid is keyed by its idempotency token. */
    @Test
    void withoutASidTheIdempotencyTokenIsTheKey() {
        WebChannels chat = chat();
        Map<String, List<String>> event = wrapup(conversationTask(chat.getConversationSid()));
        event.remove("Sid");
        List<AgentEndedHandler> instances = IntStream.range(0, 4).mapToObj(i -> instance()).toList();
        twilio.emulator().delayNext("GET", CONVERSATION, Duration.ofMillis(300), 4);

        List<APIGatewayV2HTTPResponse> answers = Burst.of(4, i -> TaskEvents.deliverWithToken(instances.get(i), event, token(3)));

        answers.forEach(answer -> assertEquals(204, answer.getStatusCode(), answer.getBody()));
        assertEquals(1, twilio.emulator().requests("GET", CONVERSATION).size());
        assertEquals(1, notices(chat).size());
        assertEquals(List.of("event#" + token(3)), EmulatedTwilio.dynamo().items().stream()
                .map(i -> i.path("pk").path("S").asText()).filter(pk -> !pk.startsWith("event#ending#")).toList(),
                "the event's record, besides the chat's ending");
    }

    @Test
    void aDeliveryThatFailedLeavesTheEventToTaskRoutersRetry() {
        WebChannels chat = chat();
        Map<String, List<String>> event = wrapup(conversationTask(chat.getConversationSid()));
        twilio.emulator().failNext("GET", CONVERSATION, 503, 20503, 2);

        assertEquals(502, TaskEvents.deliver(instance(), event).getStatusCode());
        assertEquals("active", state(chat));

        assertEquals(204, TaskEvents.deliver(instance(), event).getStatusCode());
        assertEquals("closed", state(chat), "the retry took effect");
        assertEquals(1, notices(chat).size());
    }

    @Test
    void anotherEventOfTheTaskIsItsOwn() {
        WebChannels chat = chat();
        Map<String, List<String>> wrapup = wrapup(conversationTask(chat.getConversationSid()));
        Map<String, List<String>> completed = TaskEvents.completed(conversationTask(chat.getConversationSid()));
        completed.put("Sid", List.of("EV" + "0".repeat(31) + "2"));
        TaskEvents.deliver(instance(), wrapup);
        twilio.emulator().clearRequests();

        assertEquals(204, TaskEvents.deliver(instance(), completed).getStatusCode());

        assertEquals(1, twilio.emulator().requests("GET", CONVERSATION).size(), "its own look at the chat, which has ended");
        assertTrue(twilio.logs().text().contains("\"outcome\":\"already_ended\""), twilio.logs().text());
    }

    @Test
    void withTheStoreNotAnsweringTheChatIsStillEndedWithinTheBudget() {
        WebChannels chat = chat();
        AgentEndedHandler handler = instance();
        EmulatedTwilio.dynamo().pause();
        try {
            long started = System.nanoTime();
            APIGatewayV2HTTPResponse answer = TaskEvents.deliver(handler, wrapup(conversationTask(chat.getConversationSid())));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertEquals(204, answer.getStatusCode(), answer.getBody());
            assertTrue(took.compareTo(AgentEndedHandler.BUDGET) < 0, "took " + took.toMillis() + " ms");
        } finally {
            EmulatedTwilio.dynamo().resume();
        }
        assertEquals("closed", state(chat));
        assertEquals(1, notices(chat).size());
        assertTrue(twilio.logs().text().contains("Event not recorded: the store did not answer"), twilio.logs().text());
    }

    @Test
    void withTheStoreGoneTheChatIsStillEnded() {
        WebChannels chat = chat();
        Map<String, String> env = twilio.environment();
        env.putAll(LocalStore.refusingEnvironment());
        AgentEndedHandler handler = new AgentEndedHandler(EmulatedTwilio.runtime(env, Clock.systemUTC()));

        assertEquals(204, TaskEvents.deliver(handler, wrapup(conversationTask(chat.getConversationSid()))).getStatusCode());

        assertEquals("closed", state(chat));
        assertTrue(twilio.logs().text().contains("\"failOpen\":true"), twilio.logs().text());
    }
}
