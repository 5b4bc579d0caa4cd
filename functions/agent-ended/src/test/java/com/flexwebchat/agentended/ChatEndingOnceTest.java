package com.flexwebchat.agentended;

import static com.flexwebchat.agentended.TaskEvents.canceled;
import static com.flexwebchat.agentended.TaskEvents.completed;
import static com.flexwebchat.agentended.TaskEvents.conversationTask;
import static com.flexwebchat.agentended.TaskEvents.wrapup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.testing.Burst;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.PersonalData;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A chat ends once, whichever of its endings arrive together, and never closes without the notice
 * the visitor is owed: different TaskRouter events of one chat at the same moment (the agent's
 * wrap-up and the task's completion), and a notice Twilio fails to post. Through the real handler,
 * each delivery on an instance of its own, on a real DynamoDB-compatible store (dynalite).
 */
class ChatEndingOnceTest {

    static final String CONVERSATION = AgentEndedEffectsTest.CONVERSATION;
    static final String MESSAGES = AgentEndedEffectsTest.MESSAGES;
    static final String COMPLETED_SID = "EV" + "0".repeat(31) + "2";

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.freshForEachTest().withStore();

    final PersonalData personal = new PersonalData();

    @AfterEach
    void nothingPersonalIsKept() {
        EmulatedTwilio.dynamo().resume();
        personal.assertNoneIn(EmulatedTwilio.dynamo().items(), twilio.logs().text());
    }

    WebChannels chat() {
        WebChannels chat = twilio.startChat();
        personal.used(chat.getIdentity());
        personal.used("ada@example.com");
        return chat;
    }

    List<Object> notices(WebChannels chat) {
        return twilio.emulator().messages(chat.getConversationSid()).stream()
                .filter(m -> "Concierge".equals(m.get("author"))).map(m -> m.get("body")).toList();
    }

    String state(WebChannels chat) {
        return (String) twilio.emulator().conversation(chat.getConversationSid()).orElseThrow().get("state");
    }

    Map<String, List<String>> completedEvent(WebChannels chat) {
        Map<String, List<String>> event = completed(conversationTask(chat.getConversationSid()));
        event.put("Sid", List.of(COMPLETED_SID));
        return event;
    }

    // --- Class 1: two endings of one chat at once ------------------------------------------------------------

    /** The wrap-up and the completion together: one notice (the agent ended it), one close, whichever is first. */
    @Test
    void aWrapupAndACompletionArrivingTogetherEndTheChatOnceWithTheAgentEndedNotice() {
        assertOneEndingFor(2, chat -> List.of(wrapup(conversationTask(chat.getConversationSid())), completedEvent(chat)));
    }

    /** Each of the two delivered four times, every delivery at once. */
    @Test
    void eightDeliveriesOfAWrapupAndACompletionEndTheChatOnce() {
        assertOneEndingFor(8, chat -> IntStream.range(0, 8).mapToObj(i -> i % 2 == 0
                ? wrapup(conversationTask(chat.getConversationSid())) : completedEvent(chat)).toList());
    }

    /** The completion alone, its wrap-up's notice never posted (failed, lost): the visitor is still told. */
    @Test
    void aCompletionOfAnOpenChatTellsTheVisitorTheAgentEndedIt() {
        WebChannels chat = chat();

        assertEquals(204, TaskEvents.deliver(new AgentEndedHandler(twilio.runtime()), completedEvent(chat)).getStatusCode());

        assertEquals(List.of(WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE), notices(chat));
        assertEquals("closed", state(chat));
    }

    void assertOneEndingFor(int deliveries, Function<WebChannels, List<Map<String, List<String>>>> events) {
        WebChannels chat = chat();
        List<Map<String, List<String>>> each = events.apply(chat);
        List<AgentEndedHandler> instances = IntStream.range(0, deliveries).mapToObj(i -> new AgentEndedHandler(twilio.runtime())).toList();
        // Twilio is slow to answer, so every delivery finds the chat open before any has ended it.
        twilio.emulator().delayNext("GET", CONVERSATION, Duration.ofMillis(300), deliveries);

        List<APIGatewayV2HTTPResponse> answers = Burst.of(deliveries, i -> TaskEvents.deliver(instances.get(i), each.get(i)));

        answers.forEach(answer -> assertEquals(204, answer.getStatusCode(), answer.getBody()));
        assertEquals(List.of(WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE), notices(chat), "the visitor is told once");
        assertEquals(1, twilio.emulator().requests("POST", MESSAGES).size(), "one notice posted");
        assertEquals(1, twilio.emulator().requests("POST", CONVERSATION).size(), "one close");
        assertEquals("closed", state(chat));
    }

    // --- Class 4: never closed without the owed notice ------------------------------------------------------

    @Test
    void whenTheAgentEndedNoticeFailsTheChatStaysOpenAndTheEventIsLeftToTaskRoutersRetry() {
        assertANoticeFailureLeavesTheChatOpen(sid -> wrapup(conversationTask(sid)), WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE);
    }

    @Test
    void whenTheAbandonedNoticeFailsTheChatStaysOpenAndTheEventIsLeftToTaskRoutersRetry() {
        assertANoticeFailureLeavesTheChatOpen(sid -> canceled(conversationTask(sid)), WebChatConfig.Endings.DEFAULT_ABANDONED_MESSAGE);
    }

    void assertANoticeFailureLeavesTheChatOpen(Function<String, Map<String, List<String>>> events, String notice) {
        WebChannels chat = chat();
        Map<String, List<String>> event = events.apply(chat.getConversationSid());
        twilio.emulator().failNext("POST", MESSAGES, 500, 20500, 1);

        APIGatewayV2HTTPResponse failed = TaskEvents.deliver(new AgentEndedHandler(twilio.runtime()), event);

        assertTrue(failed.getStatusCode() >= 500, "a 5xx, which Twilio retries when the callback URL's retry policy"
                + " names it: " + failed.getStatusCode() + " " + failed.getBody());
        assertEquals("active", state(chat), "not closed without the notice");
        assertEquals(List.of(), twilio.emulator().requests("POST", CONVERSATION), "no close was even tried");
        assertEquals(List.of(), EmulatedTwilio.dynamo().items(), "every record given up");

        assertEquals(204, TaskEvents.deliver(new AgentEndedHandler(twilio.runtime()), event).getStatusCode());

        assertEquals(List.of(notice), notices(chat), "the retry took effect");
        assertEquals("closed", state(chat));
    }

    /** A post Twilio refuses for good (a 4xx that no retry changes): the chat is closed, and that is logged as an error. */
    @Test
    void whenPostingTheNoticeIsImpossibleTheChatIsClosedAndThatIsLoggedAsSuch() {
        WebChannels chat = chat();
        twilio.emulator().failNext("POST", MESSAGES, 403, 20403, 1);

        assertEquals(204, TaskEvents.deliver(new AgentEndedHandler(twilio.runtime()),
                wrapup(conversationTask(chat.getConversationSid()))).getStatusCode());

        assertEquals("closed", state(chat));
        assertEquals(List.of(), notices(chat));
        JsonNode error = twilio.logs().lines().stream().filter(l -> l.path("outcome").asText().equals("notice_impossible"))
                .findFirst().orElseThrow(() -> new AssertionError(twilio.logs().text()));
        assertEquals("ERROR", error.path("level").asText());
        assertEquals(403, error.path("twilioStatus").asInt());
    }
}
