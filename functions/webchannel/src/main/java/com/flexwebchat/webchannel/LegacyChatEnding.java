package com.flexwebchat.webchannel;

import com.flexwebchat.shared.Priming;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.chat.v2.service.channel.MessageCreator;
import com.twilio.rest.flexapi.v1.WebChannel;
import com.twilio.rest.flexapi.v1.WebChannelUpdater;

/**
 * Ends a legacy Programmable Chat web chat the visitor left: the customer-left notice into the
 * channel from {@code Concierge}, then {@code POST /v1/WebChannels/{Sid}} with
 * {@code ChatStatus=inactive}, Flex's own way to end a web channel: it marks the channel's
 * attributes {@code status: INACTIVE}, which Flex's channel janitor and the agent's task follow
 * (https://www.twilio.com/docs/flex/developer/messaging/manage-flows).
 * A web channel's SID is its chat channel's.
 */
final class LegacyChatEnding implements ChatEnding {

    private final TwilioGateway twilio;
    private final String chatServiceSid;
    private final String customerLeftMessage;

    LegacyChatEnding(TwilioGateway twilio, String chatServiceSid, String customerLeftMessage) {
        this.twilio = twilio;
        this.chatServiceSid = chatServiceSid;
        this.customerLeftMessage = customerLeftMessage;
    }

    @Override
    public void end(String channelSid) {
        twilio.call("tell the agent the visitor left", client ->
                new MessageCreator(chatServiceSid, channelSid)
                        .setFrom(FlexConversations.CONCIERGE)
                        .setBody(customerLeftMessage)
                        .create(client));
        twilio.call("end the web channel", client ->
                new WebChannelUpdater(channelSid).setChatStatus(WebChannel.ChatStatus.INACTIVE).update(client));
    }

    @Override
    public void prime() {
        twilio.call("prime the Twilio client", client ->
                WebChannel.fromJson(Priming.json("{\"sid\":\"CH00000000000000000000000000000000\"}"), client.getObjectMapper()));
    }
}
