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
import com.twilio.rest.flexapi.v1.Interaction;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannel;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannelReader;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannelUpdater;
import com.twilio.rest.flexapi.v2.WebChannels;
import com.twilio.rest.flexapi.v2.WebChannelsCreator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Flex Conversations task also wraps up or completes when its agent leaves a chat that goes on:
 * a transfer, a parked interaction. Its interaction channel then stays open, and the chat is left
 * as it is; only a closed interaction channel (the agent's "End chat") ends it. The interactions
 * are the emulator's, made as Studio's Send to Flex makes them.
 */
class TransferAndParkTest {

    static final String UNKNOWN_INTERACTION = "KD00112233445566778899aabbccddeeff";
    static final String UNKNOWN_CHANNEL = "UO00112233445566778899aabbccddeeff";
    static final String CHANNEL_READS = "/flex-api/v1/Interactions/KD[0-9a-f]{32}/Channels/UO[0-9a-f]{32}";

    TwilioEmulator twilio;
    WebChatRuntime runtime;
    AgentEndedHandler handler;
    LogCapture logs;

    /** The interaction Flex routes a chat with, and its channel. */
    record Routed(String interactionSid, String channelSid) {
    }

    @BeforeEach
    void setUp() {
        twilio = TwilioEmulator.start(0);
        logs = new LogCapture();
        runtime = EmulatedTwilio.runtime(EmulatedTwilio.environment(twilio), Clock.systemUTC());
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

    WebChannels startChat() {
        WebChannels chat = runtime.twilio().call("start a chat", client ->
                new WebChannelsCreator(ACCOUNT.addressSid()).setCustomerFriendlyName("Ada").create(client));
        twilio.clearRequests();
        return chat;
    }

    /** Send to Flex: an interaction whose channel's media is {@code conversationSid}. */
    Routed sendToFlex(String conversationSid) {
        Routed routed = runtime.twilio().call("send to Flex", client -> {
            Interaction interaction = Interaction.creator(Map.of("type", "web", "initiated_by", "customer",
                            "properties", Map.of("media_channel_sid", conversationSid)))
                    .setRouting(Map.of("properties", Map.of("workspace_sid", ACCOUNT.taskrouterWorkspaceSid(),
                            "task_channel_unique_name", "chat",
                            "attributes", Map.of("channelType", "web", "conversationSid", conversationSid))))
                    .create(client);
            InteractionChannel channel = new InteractionChannelReader(interaction.getSid()).firstPage(client).getRecords().get(0);
            return new Routed(interaction.getSid(), channel.getSid());
        });
        twilio.clearRequests();
        return routed;
    }

    void updateChannel(Routed routed, InteractionChannel.UpdateChannelStatus status, Map<String, Object> routing) {
        runtime.twilio().call("update the interaction channel", client -> {
            InteractionChannelUpdater update = new InteractionChannelUpdater(routed.interactionSid(), routed.channelSid(), status);
            if (routing != null) {
                update.setRouting(routing);
            }
            return update.update(client);
        });
        twilio.clearRequests();
    }

    APIGatewayV2HTTPResponse deliver(Map<String, List<String>> event) {
        return TaskEvents.deliver(handler, event);
    }

    List<RecordedRequest> channelReads() {
        return twilio.requests("GET", CHANNEL_READS);
    }

    String state(WebChannels chat) {
        return (String) twilio.conversation(chat.getConversationSid()).orElseThrow().get("state");
    }

    @Test
    void aWrapupAfterATransferLeavesTheChatOpen() {
        WebChannels chat = startChat();
        Routed routed = sendToFlex(chat.getConversationSid());

        APIGatewayV2HTTPResponse response = deliver(wrapup(
                interactionTask(chat.getConversationSid(), routed.interactionSid(), routed.channelSid())));

        assertEquals(204, response.getStatusCode());
        assertEquals(List.of(), twilio.writes());
        assertEquals(1, channelReads().size());
        assertEquals("active", state(chat));
        assertTrue(logs.text().contains("\"outcome\":\"chat_continues\""), logs.text());
        assertTrue(logs.text().contains("\"interactionStatus\":\"active\""), logs.text());
    }

    @Test
    void aCompletedTaskOfAParkedChatLeavesTheChatOpen() {
        WebChannels chat = startChat();
        Routed routed = sendToFlex(chat.getConversationSid());
        // Parking: the channel goes inactive and its tasks end, the conversation stays open.
        updateChannel(routed, InteractionChannel.UpdateChannelStatus.INACTIVE, Map.of("status", "closed"));

        assertEquals(204, deliver(completed(interactionTask(chat.getConversationSid(), routed.interactionSid(),
                routed.channelSid()))).getStatusCode());

        assertEquals(List.of(), twilio.writes());
        assertEquals("active", state(chat));
    }

    @Test
    void aChatWhoseInteractionFlexClosedIsEndedWithTheNotice() {
        WebChannels chat = startChat();
        // Flex closed the interaction, and this chat's conversation is still open: the
        // interaction's media is another conversation, so closing it left this one as it was.
        Routed routed = sendToFlex(startChat().getConversationSid());
        updateChannel(routed, InteractionChannel.UpdateChannelStatus.CLOSED, null);

        assertEquals(204, deliver(wrapup(interactionTask(chat.getConversationSid(), routed.interactionSid(),
                routed.channelSid()))).getStatusCode());

        assertEquals(2, twilio.writes().size(), twilio.writes().toString());
        assertEquals("Concierge", twilio.writes().get(0).formValue("Author"));
        assertEquals("closed", twilio.writes().get(1).formValue("State"));
        assertEquals("closed", state(chat));
    }

    @Test
    void anInteractionFlexNoLongerHasLeavesTheChatOpen() {
        WebChannels chat = startChat();

        assertEquals(204, deliver(wrapup(interactionTask(chat.getConversationSid(), UNKNOWN_INTERACTION, UNKNOWN_CHANNEL)))
                .getStatusCode());

        assertEquals(1, channelReads().size());
        assertEquals(List.of(), twilio.writes());
        assertTrue(logs.text().contains("\"interactionStatus\":\"not_found\""), logs.text());
    }

    @Test
    void anAbandonedChatIsEndedWhateverItsInteraction() {
        WebChannels chat = startChat();
        Routed routed = sendToFlex(chat.getConversationSid());

        assertEquals(204, deliver(canceled(interactionTask(chat.getConversationSid(), routed.interactionSid(),
                routed.channelSid()))).getStatusCode());

        assertEquals(List.of(), channelReads(), "a task nobody took has no agent who could have transferred it");
        assertEquals("closed", state(chat));
    }

    @Test
    void aClosedChatIsNotAskedAboutItsInteraction() {
        WebChannels chat = startChat();
        twilio.closeConversation(chat.getConversationSid());
        twilio.clearRequests();

        assertEquals(204, deliver(wrapup(interactionTask(chat.getConversationSid(), UNKNOWN_INTERACTION, UNKNOWN_CHANNEL)))
                .getStatusCode());

        assertEquals(List.of(), channelReads());
        assertEquals(1, twilio.requests().size());
    }
}
