package com.flexwebchat.studio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.chat.v2.service.Channel;
import com.twilio.rest.chat.v2.service.ChannelFetcher;
import java.util.Optional;

/**
 * Legacy Programmable Chat ({@code FLEX_FLOW_SID} mode): {@code GET /v2/Services/{IS}/Channels/{CH}}
 * in the chat service. Flex's {@code POST /v1/WebChannels} keeps the form in the channel's
 * attributes under {@code pre_engagement_data} and marks an ended chat {@code status: INACTIVE}.
 */
final class LegacyChannelLookup implements ChatLookup {

    private final TwilioGateway twilio;
    private final String chatServiceSid;

    LegacyChannelLookup(TwilioGateway twilio, String chatServiceSid) {
        this.twilio = twilio;
        this.chatServiceSid = chatServiceSid;
    }

    @Override
    public Optional<FoundChat> find(String sid) {
        Optional<Channel> channel = twilio.find("fetch the chat channel", client -> new ChannelFetcher(chatServiceSid, sid).fetch(client));
        return channel.map(c -> {
            ObjectNode attributes = ChatAttributes.parse(c.getAttributes());
            boolean inactive = "INACTIVE".equalsIgnoreCase(attributes.path("status").asText(""));
            return new FoundChat(c.getSid(), inactive, attributes, ChatAttributes.preEngagementData(attributes));
        });
    }
}
