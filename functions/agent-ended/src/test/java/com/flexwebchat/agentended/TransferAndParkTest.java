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
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.EmulatedTwilio.SentToFlex;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannel;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannelUpdater;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.freshForEachTest();

    void updateChannel(SentToFlex routed, InteractionChannel.UpdateChannelStatus status, Map<String, Object> routing) {
        twilio.runtime().twilio().call("update the interaction channel", client -> {
            InteractionChannelUpdater update = new InteractionChannelUpdater(routed.interactionSid(), routed.channelSid(), status);
            if (routing != null) {
                update.setRouting(routing);
            }
            return update.update(client);
        });
        twilio.emulator().clearRequests();
    }

    APIGatewayV2HTTPResponse deliver(Map<String, List<String>> event) {
        return TaskEvents.deliver(twilio, event);
    }

    List<RecordedRequest> channelReads() {
        return twilio.emulator().requests("GET", CHANNEL_READS);
    }

    String state(WebChannels chat) {
        return (String) twilio.emulator().conversation(chat.getConversationSid()).orElseThrow().get("state");
    }

    @Test
    void aWrapupAfterATransferLeavesTheChatOpen() {
        WebChannels chat = twilio.startChat();
        SentToFlex routed = twilio.sendToFlex(chat.getConversationSid());

        APIGatewayV2HTTPResponse response = deliver(wrapup(
                interactionTask(chat.getConversationSid(), routed.interactionSid(), routed.channelSid())));

        assertEquals(204, response.getStatusCode());
        assertEquals(List.of(), twilio.emulator().writes());
        assertEquals(1, channelReads().size());
        assertEquals("active", state(chat));
        assertTrue(twilio.logs().text().contains("\"outcome\":\"chat_continues\""), twilio.logs().text());
        assertTrue(twilio.logs().text().contains("\"interactionStatus\":\"active\""), twilio.logs().text());
    }

    @Test
    void aCompletedTaskOfAParkedChatLeavesTheChatOpen() {
        WebChannels chat = twilio.startChat();
        SentToFlex routed = twilio.sendToFlex(chat.getConversationSid());
        // Parking: the channel goes inactive and its tasks end, the conversation stays open.
        updateChannel(routed, InteractionChannel.UpdateChannelStatus.INACTIVE, Map.of("status", "closed"));

        assertEquals(204, deliver(completed(interactionTask(chat.getConversationSid(), routed.interactionSid(),
                routed.channelSid()))).getStatusCode());

        assertEquals(List.of(), twilio.emulator().writes());
        assertEquals("active", state(chat));
    }

    @Test
    void aChatWhoseInteractionFlexClosedIsEndedWithTheNotice() {
        WebChannels chat = twilio.startChat();
        // Flex closed the interaction, and this chat's conversation is still open: the
        // interaction's media is another conversation, so closing it left this one as it was.
        SentToFlex routed = twilio.sendToFlex(twilio.startChat().getConversationSid());
        updateChannel(routed, InteractionChannel.UpdateChannelStatus.CLOSED, null);

        assertEquals(204, deliver(wrapup(interactionTask(chat.getConversationSid(), routed.interactionSid(),
                routed.channelSid()))).getStatusCode());

        assertEquals(2, twilio.emulator().writes().size(), twilio.emulator().writes().toString());
        assertEquals("Concierge", twilio.emulator().writes().get(0).formValue("Author"));
        assertEquals("closed", twilio.emulator().writes().get(1).formValue("State"));
        assertEquals("closed", state(chat));
    }

    @Test
    void anInteractionFlexNoLongerHasLeavesTheChatOpen() {
        WebChannels chat = twilio.startChat();

        assertEquals(204, deliver(wrapup(interactionTask(chat.getConversationSid(), UNKNOWN_INTERACTION, UNKNOWN_CHANNEL)))
                .getStatusCode());

        assertEquals(1, channelReads().size());
        assertEquals(List.of(), twilio.emulator().writes());
        assertTrue(twilio.logs().text().contains("\"interactionStatus\":\"not_found\""), twilio.logs().text());
    }

    @Test
    void anAbandonedChatIsEndedWhateverItsInteraction() {
        WebChannels chat = twilio.startChat();
        SentToFlex routed = twilio.sendToFlex(chat.getConversationSid());

        assertEquals(204, deliver(canceled(interactionTask(chat.getConversationSid(), routed.interactionSid(),
                routed.channelSid()))).getStatusCode());

        assertEquals(List.of(), channelReads(), "a task nobody took has no agent who could have transferred it");
        assertEquals("closed", state(chat));
    }

    @Test
    void aClosedChatIsNotAskedAboutItsInteraction() {
        WebChannels chat = twilio.startChat();
        twilio.emulator().closeConversation(chat.getConversationSid());
        twilio.emulator().clearRequests();

        assertEquals(204, deliver(wrapup(interactionTask(chat.getConversationSid(), UNKNOWN_INTERACTION, UNKNOWN_CHANNEL)))
                .getStatusCode());

        assertEquals(List.of(), channelReads());
        assertEquals(1, twilio.emulator().requests().size());
    }
}
