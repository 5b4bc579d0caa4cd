package com.flexwebchat.agentended;

import static com.flexwebchat.agentended.TaskEvents.ACCOUNT;
import static com.flexwebchat.agentended.TaskEvents.TASK_SID;
import static com.flexwebchat.agentended.TaskEvents.URL;
import static com.flexwebchat.agentended.TaskEvents.canceled;
import static com.flexwebchat.agentended.TaskEvents.completed;
import static com.flexwebchat.agentended.TaskEvents.conversationTask;
import static com.flexwebchat.agentended.TaskEvents.taskEvent;
import static com.flexwebchat.agentended.TaskEvents.wrapup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /webhooks/taskrouter} for Flex Conversations web chats, through the real handler:
 * events signed as TaskRouter signs them, shaped as API Gateway delivers them, and the real SDK
 * over HTTP to the twilio.emulator().
 */
class AgentEndedTest {

    static final String CONVERSATION = "/conversations/v1/Services/" + ACCOUNT.conversationsServiceSid()
            + "/Conversations/CH[0-9a-f]{32}";
    static final String MESSAGES = CONVERSATION + "/Messages";

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.freshForEachTest();

    APIGatewayV2HTTPResponse deliver(Map<String, List<String>> event) {
        return TaskEvents.deliver(twilio, event);
    }

    List<Map<String, Object>> notices(WebChannels chat) {
        return twilio.emulator().messages(chat.getConversationSid()).stream()
                .filter(m -> "Concierge".equals(m.get("author"))).toList();
    }

    String state(WebChannels chat) {
        return (String) twilio.emulator().conversation(chat.getConversationSid()).orElseThrow().get("state");
    }

    static void assertNoContent(APIGatewayV2HTTPResponse response) {
        assertEquals(204, response.getStatusCode(), response.getBody());
        assertEquals("", response.getBody());
    }

    static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // --- the agent ends the chat ----------------------------------------------------------------------------

    @Test
    void theAgentEndingTheChatPostsTheClosingNoticeThenClosesTheConversation() {
        WebChannels chat = twilio.startChat();

        APIGatewayV2HTTPResponse response = deliver(wrapup(conversationTask(chat.getConversationSid())));

        assertNoContent(response);
        List<RecordedRequest> writes = twilio.emulator().writes();
        assertEquals(2, writes.size(), writes.toString());
        RecordedRequest notice = writes.get(0);
        assertTrue(notice.path().matches(MESSAGES), notice.toString());
        assertEquals("Concierge", notice.formValue("Author"));
        assertEquals(WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE, notice.formValue("Body"));
        assertNull(notice.header("X-Twilio-Webhook-Enabled"), "the notice raises no webhooks, so no Studio flow starts");
        JsonNode attributes = parse(notice.formValue("Attributes"));
        assertEquals("agent_ended", attributes.get("chatEnding").asText());
        assertEquals(TASK_SID, attributes.get("taskSid").asText());

        RecordedRequest close = writes.get(1);
        assertTrue(close.path().matches(CONVERSATION), close.toString());
        assertTrue(close.path().endsWith(chat.getConversationSid()));
        assertEquals("closed", close.formValue("State"));
        assertEquals("true", close.header("X-Twilio-Webhook-Enabled"), "the close is heard as a timer's close would be");

        assertEquals("closed", state(chat));
        assertEquals(1, notices(chat).size());
        assertTrue(twilio.logs().text().contains("\"outcome\":\"agent_ended\""), twilio.logs().text());
    }

    @Test
    void aReplayedWrapupReadsTheStateOnceAndDoesNothingMore() {
        WebChannels chat = twilio.startChat();
        Map<String, List<String>> event = wrapup(conversationTask(chat.getConversationSid()));
        deliver(event);
        twilio.emulator().clearRequests();

        APIGatewayV2HTTPResponse again = deliver(event);

        assertNoContent(again);
        assertEquals(1, twilio.emulator().requests().size(), twilio.emulator().requests().toString());
        assertTrue(twilio.emulator().requests("GET", CONVERSATION).size() == 1);
        assertEquals(1, notices(chat).size());
        assertTrue(twilio.logs().text().contains("\"outcome\":\"already_ended\""), twilio.logs().text());
    }

    @Test
    void theClosingNoticeIsAgentEndedMessage() {
        Map<String, String> env = twilio.environment();
        env.put("AGENT_ENDED_MESSAGE", "Sam has closed this chat. Bye!");
        AgentEndedHandler handler = new AgentEndedHandler(EmulatedTwilio.runtime(env, Clock.systemUTC()));
        WebChannels chat = twilio.startChat();

        TaskEvents.deliver(handler, wrapup(conversationTask(chat.getConversationSid())));

        assertEquals("Sam has closed this chat. Bye!", notices(chat).get(0).get("body"));
    }

    // --- nobody took the chat, and the task's end -----------------------------------------------------------

    @Test
    void aCanceledTaskClosesTheChatWithTheAbandonedMessage() {
        WebChannels chat = twilio.startChat();

        assertNoContent(deliver(canceled(conversationTask(chat.getConversationSid()))));

        List<RecordedRequest> writes = twilio.emulator().writes();
        assertEquals(List.of("POST", "POST"), writes.stream().map(RecordedRequest::method).toList());
        assertEquals(WebChatConfig.Endings.DEFAULT_ABANDONED_MESSAGE, writes.get(0).formValue("Body"));
        assertEquals("abandoned", parse(writes.get(0).formValue("Attributes")).get("chatEnding").asText());
        assertEquals("closed", writes.get(1).formValue("State"));
        assertEquals("closed", state(chat));
    }

    @Test
    void theAbandonedNoticeIsAbandonedMessage() {
        Map<String, String> env = twilio.environment();
        env.put("ABANDONED_MESSAGE", "Sorry, nobody could answer. Please try again later.");
        AgentEndedHandler handler = new AgentEndedHandler(EmulatedTwilio.runtime(env, Clock.systemUTC()));
        WebChannels chat = twilio.startChat();

        TaskEvents.deliver(handler, canceled(conversationTask(chat.getConversationSid())));

        assertEquals("Sorry, nobody could answer. Please try again later.", notices(chat).get(0).get("body"));
    }

    /** Its wrap-up never ended the chat (it failed, or arrives later): the completion tells the visitor, then closes. */
    @Test
    void aCompletedTaskOfAnOpenChatTellsTheVisitorTheAgentEndedItThenClosesIt() {
        WebChannels chat = twilio.startChat();

        assertNoContent(deliver(completed(conversationTask(chat.getConversationSid()))));

        List<RecordedRequest> writes = twilio.emulator().writes();
        assertEquals(2, writes.size(), writes.toString());
        assertEquals("Concierge", writes.get(0).formValue("Author"));
        assertEquals("closed", writes.get(1).formValue("State"));
        assertEquals("closed", state(chat));
        assertEquals(List.of(WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE), notices(chat).stream().map(m -> m.get("body")).toList());
        assertEquals("agent_ended", parse((String) notices(chat).get(0).get("attributes")).path("chatEnding").asText(),
                "the notice its wrap-up would have posted, so a later wrap-up finds it");
    }

    @Test
    void aCompletedTaskOnAClosedChatDoesNothing() {
        WebChannels chat = twilio.startChat();
        twilio.emulator().closeConversation(chat.getConversationSid());
        twilio.emulator().clearRequests();

        assertNoContent(deliver(completed(conversationTask(chat.getConversationSid()))));

        assertEquals(List.of("GET"), twilio.emulator().requests().stream().map(RecordedRequest::method).toList());
    }

    @Test
    void aChatTwilioDoesNotKnowIsLeftAlone() {
        APIGatewayV2HTTPResponse response = deliver(wrapup(conversationTask("CH" + "ab".repeat(16))));

        assertNoContent(response);
        assertEquals(1, twilio.emulator().requests("GET", CONVERSATION).size());
        assertEquals(List.of(), twilio.emulator().writes());
        assertTrue(twilio.logs().text().contains("\"outcome\":\"chat_not_found\""), twilio.logs().text());
    }

    // --- not ours -------------------------------------------------------------------------------------------

    @Test
    void aVoiceTaskIsNotAWebChat() {
        String attributes = Json.write(Json.object().put("type", "inbound").put("call_sid", "CA" + "1".repeat(32))
                .put("from", "+15555550100").put("direction", "inbound"));

        assertNoContent(deliver(taskEvent("task.wrapup", "wrapping", "voice", attributes)));

        assertEquals(List.of(), twilio.emulator().requests());
        assertTrue(twilio.logs().text().contains("\"outcome\":\"not_web_chat\""), twilio.logs().text());
        assertTrue(twilio.logs().text().contains("\"taskChannel\":\"voice\""), twilio.logs().text());
    }

    @Test
    void anSmsConversationIsNotAWebChat() {
        WebChannels chat = twilio.startChat();
        String attributes = Json.write(Json.object().put("channelType", "sms")
                .put("conversationSid", chat.getConversationSid()).put("from", "+15555550100"));

        assertNoContent(deliver(wrapup(attributes)));

        assertEquals(List.of(), twilio.emulator().requests());
        assertEquals("active", state(chat));
    }

    @Test
    void aWebTaskThatNamesNoChatIsNotOurs() {
        for (String attributes : List.of("{\"channelType\":\"web\"}", "{\"channelType\":\"web\",\"conversationSid\":\"CH123\"}",
                "{\"channelType\":\"web\",\"conversationSid\":42}", "not json", "[\"channelType\",\"web\"]")) {
            assertNoContent(deliver(wrapup(attributes)));
        }
        Map<String, List<String>> withoutAttributes = wrapup("{}");
        withoutAttributes.remove("TaskAttributes");
        assertNoContent(deliver(withoutAttributes));

        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void otherEventsAreAcknowledgedWithNothingDone() {
        WebChannels chat = twilio.startChat();
        String attributes = conversationTask(chat.getConversationSid());
        for (String type : List.of("task.created", "task.updated", "reservation.accepted", "reservation.wrapup",
                "reservation.completed", "task.deleted", "worker.activity.update", "workflow.timeout")) {
            assertNoContent(deliver(taskEvent(type, "assigned", "chat", attributes)));
        }
        Map<String, List<String>> noType = wrapup(attributes);
        noType.remove("EventType");
        assertNoContent(deliver(noType));

        assertEquals(List.of(), twilio.emulator().requests());
        assertEquals("active", state(chat));
    }

    @Test
    void aBadSignatureIsRefusedWithoutCallingTwilio() {
        WebChannels chat = twilio.startChat();
        Map<String, List<String>> event = wrapup(conversationTask(chat.getConversationSid()));
        String forged = TwilioEmulator.signature("not-the-auth-token-0000000000000", URL, event);

        APIGatewayV2HTTPResponse response = TaskEvents.deliver(twilio, event, forged);

        assertEquals(403, response.getStatusCode());
        assertEquals("invalid_signature", parse(response.getBody()).at("/error/code").asText());
        assertEquals(List.of(), twilio.emulator().requests());
        assertEquals("active", state(chat));
    }

    @Test
    void aTamperedEventIsRefusedWithoutCallingTwilio() {
        WebChannels chat = twilio.startChat();
        WebChannels other = twilio.startChat();
        Map<String, List<String>> signed = completed(conversationTask(chat.getConversationSid()));
        Map<String, List<String>> sent = completed(conversationTask(other.getConversationSid()));

        APIGatewayV2HTTPResponse response = TaskEvents.deliver(twilio, sent, TwilioEmulator.signature(ACCOUNT.authToken(), URL, signed));

        assertEquals(403, response.getStatusCode());
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void anUnsignedEventIsRefusedWithoutCallingTwilio() {
        WebChannels chat = twilio.startChat();
        assertEquals(403, TaskEvents.deliver(twilio, wrapup(conversationTask(chat.getConversationSid())), null).getStatusCode());
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void theVisitorsFormNeverReachesTheLogs() {
        WebChannels chat = twilio.startChat();

        deliver(wrapup(conversationTask(chat.getConversationSid())));

        assertFalse(twilio.logs().text().contains("Ada"), twilio.logs().text());
        assertFalse(twilio.logs().text().contains("ada@example.com"));
        assertFalse(twilio.logs().text().contains("Where is order 4711?"));
        assertTrue(twilio.logs().text().contains("\"conversationSid\":\"" + chat.getConversationSid() + "\""), twilio.logs().text());
        assertTrue(twilio.logs().text().contains("\"taskSid\":\"" + TASK_SID + "\""), twilio.logs().text());
    }

    // --- when Twilio fails ----------------------------------------------------------------------------------

    @Test
    void whenTheStateCannotBeReadTheEventIsAnsweredWithAnErrorAndNothingIsWritten() {
        WebChannels chat = twilio.startChat();
        twilio.emulator().failNext("GET", CONVERSATION, 503, 20503, 2);

        APIGatewayV2HTTPResponse response = deliver(wrapup(conversationTask(chat.getConversationSid())));

        assertEquals(502, response.getStatusCode());
        assertEquals("twilio_error", parse(response.getBody()).at("/error/code").asText());
        assertEquals(List.of(), twilio.emulator().writes());
        assertEquals("active", state(chat));
    }

    @Test
    void whenTheCloseFailsARetryClosesTheChatWithoutRepeatingTheNotice() {
        WebChannels chat = twilio.startChat();
        Map<String, List<String>> event = wrapup(conversationTask(chat.getConversationSid()));
        twilio.emulator().failNext("POST", CONVERSATION, 500, 20500, 1);

        assertEquals(502, deliver(event).getStatusCode(), "TaskRouter is told it did not work");
        assertEquals("active", state(chat));
        assertEquals(1, notices(chat).size());
        twilio.emulator().clearRequests();

        assertNoContent(deliver(event));

        assertEquals("closed", state(chat));
        assertEquals(1, notices(chat).size(), "the visitor reads the notice once");
        assertEquals(List.of("POST"), twilio.emulator().writes().stream().map(RecordedRequest::method).toList());
    }

    /** Never closed without the notice the visitor is owed: the event fails, for TaskRouter's retry. */
    @Test
    void whenTheNoticeFailsTheChatStaysOpenAndTheEventIsAnsweredWithAnError() {
        WebChannels chat = twilio.startChat();
        twilio.emulator().failNext("POST", MESSAGES, 500, 20500, 1);

        APIGatewayV2HTTPResponse response = deliver(canceled(conversationTask(chat.getConversationSid())));

        assertEquals(502, response.getStatusCode(), response.getBody());
        assertEquals("active", state(chat));
        assertTrue(notices(chat).isEmpty());
        assertTrue(twilio.logs().text().contains("No closing notice; the chat is left open for the event's retry"),
                twilio.logs().text());
    }

    @Test
    void whenTwilioIsSlowTheAnswerComesWellWithinTaskRoutersFifteenSeconds() {
        WebChannels chat = twilio.startChat();
        twilio.emulator().delayNext("POST", CONVERSATION, Duration.ofSeconds(6), 1);

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response = deliver(completed(conversationTask(chat.getConversationSid())));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(504, response.getStatusCode());
        assertEquals("twilio_timeout", parse(response.getBody()).at("/error/code").asText());
        assertTrue(took.compareTo(AgentEndedHandler.BUDGET) < 0, "answered after " + took.toMillis() + " ms");
    }
}
