package com.flexwebchat.agentended;

import static com.flexwebchat.agentended.TaskEvents.ACCOUNT;
import static com.flexwebchat.agentended.TaskEvents.canceled;
import static com.flexwebchat.agentended.TaskEvents.completed;
import static com.flexwebchat.agentended.TaskEvents.interactionTask;
import static com.flexwebchat.agentended.TaskEvents.wrapup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.LogCapture;
import com.twilio.rest.flexapi.v2.WebChannels;
import com.twilio.rest.flexapi.v2.WebChannelsCreator;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Flex Conversations task also wraps up or completes when its agent leaves a chat that goes on:
 * a transfer, a parked interaction. Its interaction channel then stays open, and the chat is left
 * as it is; only a closed interaction channel (the agent's "End chat") ends it.
 */
class TransferAndParkTest {

    static final String INTERACTION = "KD00112233445566778899aabbccddeeff";
    static final String INTERACTION_CHANNEL = "UO00112233445566778899aabbccddeeff";

    TwilioEmulator twilio;
    InteractionsFront flex;
    WebChatRuntime runtime;
    AgentEndedHandler handler;
    LogCapture logs;

    @BeforeEach
    void setUp() {
        twilio = TwilioEmulator.start(0);
        flex = new InteractionsFront(twilio);
        logs = new LogCapture();
        Map<String, String> env = new HashMap<>(EmulatedTwilio.environment(twilio));
        env.put("TWILIO_API_BASE_URL", flex.baseUrl());
        runtime = EmulatedTwilio.runtime(env, Clock.systemUTC());
        handler = new AgentEndedHandler(runtime);
        twilio.clearRequests();
    }

    @AfterEach
    void tearDown() {
        logs.close();
        flex.close();
        try {
            assertEquals(List.of(), twilio.contractViolations());
        } finally {
            twilio.close();
        }
    }

    WebChannels startChat() {
        WebChannels chat = runtime.twilio().call("start a chat", client ->
                new WebChannelsCreator(ACCOUNT.addressSid()).setCustomerFriendlyName("Ada").create(client));
        twilio.clearRequests();
        return chat;
    }

    APIGatewayV2HTTPResponse deliver(Map<String, List<String>> event) {
        return TaskEvents.deliver(handler, event);
    }

    List<RecordedRequest> writes() {
        return twilio.requests().stream().filter(r -> !r.method().equals("GET")).toList();
    }

    String state(WebChannels chat) {
        return (String) twilio.conversation(chat.getConversationSid()).orElseThrow().get("state");
    }

    @Test
    void aWrapupAfterATransferLeavesTheChatOpen() {
        WebChannels chat = startChat();
        flex.channel(INTERACTION, INTERACTION_CHANNEL, "active");

        APIGatewayV2HTTPResponse response = deliver(wrapup(interactionTask(chat.getConversationSid(), INTERACTION, INTERACTION_CHANNEL)));

        assertEquals(204, response.getStatusCode());
        assertEquals(List.of(), writes());
        assertEquals(List.of("/flex-api/v1/Interactions/" + INTERACTION + "/Channels/" + INTERACTION_CHANNEL), flex.channelReads());
        assertEquals("active", state(chat));
        assertTrue(logs.text().contains("\"outcome\":\"chat_continues\""), logs.text());
        assertTrue(logs.text().contains("\"interactionStatus\":\"active\""), logs.text());
    }

    @Test
    void aCompletedTaskOfAParkedChatLeavesTheChatOpen() {
        WebChannels chat = startChat();
        flex.channel(INTERACTION, INTERACTION_CHANNEL, "inactive");

        assertEquals(204, deliver(completed(interactionTask(chat.getConversationSid(), INTERACTION, INTERACTION_CHANNEL)))
                .getStatusCode());

        assertEquals(List.of(), writes());
        assertEquals("active", state(chat));
    }

    @Test
    void aChatWhoseInteractionFlexClosedIsEndedWithTheNotice() {
        WebChannels chat = startChat();
        flex.channel(INTERACTION, INTERACTION_CHANNEL, "closed");

        assertEquals(204, deliver(wrapup(interactionTask(chat.getConversationSid(), INTERACTION, INTERACTION_CHANNEL)))
                .getStatusCode());

        assertEquals(2, writes().size(), writes().toString());
        assertEquals("Concierge", writes().get(0).formValue("Author"));
        assertEquals("closed", writes().get(1).formValue("State"));
        assertEquals("closed", state(chat));
    }

    @Test
    void anInteractionFlexNoLongerHasLeavesTheChatOpen() {
        WebChannels chat = startChat();

        assertEquals(204, deliver(wrapup(interactionTask(chat.getConversationSid(), INTERACTION, INTERACTION_CHANNEL)))
                .getStatusCode());

        assertEquals(1, flex.channelReads().size());
        assertEquals(List.of(), writes());
        assertTrue(logs.text().contains("\"interactionStatus\":\"not_found\""), logs.text());
    }

    @Test
    void anAbandonedChatIsEndedWhateverItsInteraction() {
        WebChannels chat = startChat();
        flex.channel(INTERACTION, INTERACTION_CHANNEL, "active");

        assertEquals(204, deliver(canceled(interactionTask(chat.getConversationSid(), INTERACTION, INTERACTION_CHANNEL)))
                .getStatusCode());

        assertEquals(List.of(), flex.channelReads(), "a task nobody took has no agent who could have transferred it");
        assertEquals("closed", state(chat));
    }

    @Test
    void aClosedChatIsNotAskedAboutItsInteraction() {
        WebChannels chat = startChat();
        twilio.closeConversation(chat.getConversationSid());
        twilio.clearRequests();

        assertEquals(204, deliver(wrapup(interactionTask(chat.getConversationSid(), INTERACTION, INTERACTION_CHANNEL)))
                .getStatusCode());

        assertEquals(List.of(), flex.channelReads());
        assertEquals(1, twilio.requests().size());
    }
}
