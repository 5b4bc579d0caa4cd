package com.flexwebchat.agentended;

import com.flexwebchat.shared.Priming;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannel;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannelFetcher;
import java.util.Optional;

/**
 * Flex Conversations' interactions ({@code GET /v1/Interactions/{KD}/Channels/{UO}}): whether Flex
 * itself considers a chat over. A task also wraps up or completes when its agent leaves a chat that
 * goes on: a transfer, or a parked interaction, whose agent participant is closed while "the
 * channel, Conversation in this case, remains active"
 * (https://www.twilio.com/docs/flex/developer/conversations/park-an-interaction). The agent's "End
 * chat" closes the interaction channel, which puts its tasks in wrapping
 * (https://www.twilio.com/docs/flex/developer/conversations/interactions-api/channels-subresource)
 * and closes the conversation too (https://www.twilio.com/docs/api/errors/80906): with Flex UI's own
 * "End chat" the wrap-up usually finds the chat closed already, and there is nothing to add.
 */
final class Interactions {

    private final TwilioGateway twilio;

    Interactions(TwilioGateway twilio) {
        this.twilio = twilio;
    }

    /** The channel's status, or empty when Flex has no such channel (deleted after 180 days of inactivity). */
    Optional<InteractionChannel.ChannelStatus> channelStatus(String interactionSid, String channelSid) {
        return twilio.find("read the interaction channel's status", client ->
                new InteractionChannelFetcher(interactionSid, channelSid).fetch(client).getStatus());
    }

    /** For the SnapStart snapshot: the SDK's JSON for the channel, without a call. */
    void prime() {
        twilio.call("prime the Flex client", client -> InteractionChannel.fromJson(
                Priming.json("{\"sid\":\"UO00000000000000000000000000000000\",\"status\":\"closed\"}"),
                client.getObjectMapper()));
    }
}
