package com.flexwebchat.agentended;

import static com.flexwebchat.agentended.TaskEvents.ACCOUNT;
import static com.flexwebchat.agentended.TaskEvents.canceled;
import static com.flexwebchat.agentended.TaskEvents.completed;
import static com.flexwebchat.agentended.TaskEvents.conversationTask;
import static com.flexwebchat.agentended.TaskEvents.legacyTask;
import static com.flexwebchat.agentended.TaskEvents.wrapup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.LogCapture;
import com.twilio.rest.flexapi.v1.WebChannelCreator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Legacy web chats (FLEX_FLOW_SID): Programmable Chat channels from {@code POST /v1/WebChannels},
 * ended the way Flex ends them, through the real handler against the emulator.
 */
class LegacyChatEndedTest {

    static final String CHANNEL = "/chat/v2/Services/" + ACCOUNT.chatServiceSid() + "/Channels/CH[0-9a-f]{32}";
    static final String MESSAGES = CHANNEL + "/Messages";
    static final String WEB_CHANNEL = "/flex-api/v1/WebChannels/CH[0-9a-f]{32}";

    TwilioEmulator twilio;
    WebChatRuntime runtime;
    AgentEndedHandler handler;
    LogCapture logs;

    @BeforeEach
    void setUp() {
        twilio = TwilioEmulator.start(0);
        logs = new LogCapture();
        runtime = EmulatedTwilio.runtime(EmulatedTwilio.legacyEnvironment(twilio), Clock.systemUTC());
        handler = new AgentEndedHandler(runtime);
        twilio.clearRequests();
    }

    @AfterEach
    void tearDown() {
        logs.close();
        try {
            assertEquals(List.of(), twilio.contractViolations());
        } finally {
            twilio.close();
        }
    }

    /** A legacy web chat as /initWebchat starts it in legacy mode. Returns the channel's SID. */
    String startChat() {
        String sid = runtime.twilio().call("create a web channel", client ->
                new WebChannelCreator(ACCOUNT.flexFlowSid(), "legacy-visitor-1", "Ada", "Webchat widget")
                        .setPreEngagementData("{\"friendlyName\":\"Ada\",\"query\":\"Hi\"}")
                        .create(client)).getSid();
        twilio.clearRequests();
        return sid;
    }

    APIGatewayV2HTTPResponse deliver(Map<String, List<String>> event) {
        return TaskEvents.deliver(handler, event);
    }


    JsonNode attributes(String channelSid) {
        try {
            return Json.parse((String) twilio.chatChannel(channelSid).orElseThrow().get("attributes"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    List<Map<String, Object>> notices(String channelSid) {
        return twilio.chatMessages(channelSid).stream().filter(m -> "Concierge".equals(m.get("from"))).toList();
    }

    static void assertNoContent(APIGatewayV2HTTPResponse response) {
        assertEquals(204, response.getStatusCode(), response.getBody());
        assertEquals("", response.getBody());
    }

    @Test
    void theAgentEndingALegacyChatPostsTheNoticeThenEndsTheWebChannel() {
        String channel = startChat();

        assertNoContent(deliver(wrapup(legacyTask(channel))));

        List<RecordedRequest> writes = twilio.writes();
        assertEquals(2, writes.size(), writes.toString());
        RecordedRequest notice = writes.get(0);
        assertTrue(notice.path().matches(MESSAGES) && notice.path().contains(channel), notice.toString());
        assertEquals("Concierge", notice.formValue("From"));
        assertEquals(WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE, notice.formValue("Body"));
        assertNull(notice.header("X-Twilio-Webhook-Enabled"));

        RecordedRequest end = writes.get(1);
        assertEquals("/flex-api/v1/WebChannels/" + channel, end.path());
        assertEquals("inactive", end.formValue("ChatStatus"));

        assertEquals("INACTIVE", attributes(channel).get("status").asText());
        assertEquals(1, notices(channel).size());
    }

    @Test
    void aChannelNotMadeByWebChannelsIsEndedThroughItsAttributes() throws Exception {
        String channel = startChat();
        twilio.failNext("POST", WEB_CHANNEL, 404, 20404, 1);

        assertNoContent(deliver(wrapup(legacyTask(channel))));

        List<RecordedRequest> updates = twilio.requests("POST", CHANNEL);
        assertEquals(1, updates.size(), twilio.requests().toString());
        RecordedRequest update = updates.get(0);
        assertEquals("true", update.header("X-Twilio-Webhook-Enabled"), "Flex's own clean-up hears the change");
        JsonNode written = Json.parse(update.formValue("Attributes"));
        assertEquals("INACTIVE", written.get("status").asText());
        assertEquals("Ada", written.get("from").asText(), "the rest of the attributes is kept");
        assertEquals("Hi", written.at("/pre_engagement_data/query").asText());
        assertEquals("web", written.get("channel_type").asText());

        assertEquals("INACTIVE", attributes(channel).get("status").asText());
        assertEquals(1, notices(channel).size());
        assertTrue(logs.text().contains("Not a Flex web channel"), logs.text());
    }

    @Test
    void aReplayOnAnInactiveChannelDoesNothing() {
        String channel = startChat();
        Map<String, List<String>> event = wrapup(legacyTask(channel));
        deliver(event);
        twilio.clearRequests();

        assertNoContent(deliver(event));

        assertEquals(List.of("GET"), twilio.requests().stream().map(RecordedRequest::method).toList());
        assertEquals(1, notices(channel).size());
    }

    @Test
    void aChannelFlexAlreadyMarkedInactiveGetsNoNotice() {
        String channel = startChat();
        twilio.updateChatChannelAttributes(channel, "{\"status\":\"INACTIVE\",\"from\":\"Ada\"}");
        twilio.clearRequests();

        assertNoContent(deliver(canceled(legacyTask(channel))));

        assertEquals(List.of(), twilio.writes());
        assertEquals(0, notices(channel).size());
    }

    @Test
    void aCanceledLegacyChatIsEndedWithTheAbandonedMessage() {
        String channel = startChat();

        assertNoContent(deliver(canceled(legacyTask(channel))));

        assertEquals(WebChatConfig.Endings.DEFAULT_ABANDONED_MESSAGE, notices(channel).get(0).get("body"));
        assertEquals("INACTIVE", attributes(channel).get("status").asText());
    }

    @Test
    void aCompletedLegacyTaskEndsAnActiveChannelWithoutANotice() {
        String channel = startChat();

        assertNoContent(deliver(completed(legacyTask(channel))));

        assertEquals(List.of("/flex-api/v1/WebChannels/" + channel), twilio.writes().stream().map(RecordedRequest::path).toList());
        assertEquals(0, notices(channel).size());
    }

    @Test
    void inLegacyModeTheChatIsAChannelWhicheverNameItsSidCameUnder() {
        String channel = startChat();

        assertNoContent(deliver(wrapup(conversationTask(channel))));

        assertEquals("INACTIVE", attributes(channel).get("status").asText());
        assertEquals(List.of(), twilio.requests(null, "/conversations/.*"));
    }

    @Test
    void aChannelTwilioDoesNotKnowIsLeftAlone() {
        assertNoContent(deliver(wrapup(legacyTask("CH" + "cd".repeat(16)))));

        assertEquals(1, twilio.requests("GET", CHANNEL).size());
        assertEquals(List.of(), twilio.writes());
    }

    @Test
    void whenFlexFailsToEndTheWebChannelTheEventIsAnsweredWithAnError() {
        String channel = startChat();
        twilio.failNext("POST", WEB_CHANNEL, 500, 20500, 1);

        APIGatewayV2HTTPResponse response = deliver(completed(legacyTask(channel)));

        assertEquals(502, response.getStatusCode());
        assertEquals(List.of(), twilio.requests("POST", CHANNEL), "only a 404 means another kind of channel");
        assertEquals("ACTIVE", attributes(channel).get("status").asText());
    }

}
