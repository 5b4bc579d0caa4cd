package com.flexwebchat.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.chat.v2.service.Channel;
import com.twilio.rest.chat.v2.service.ChannelFetcher;
import com.twilio.rest.chat.v2.service.user.UserChannel;
import com.twilio.rest.chat.v2.service.user.UserChannelReader;
import java.io.IOException;
import java.util.List;

/**
 * Legacy Programmable Chat: the visitor's channels ({@code GET /v2/Services/{IS}/Users/{Identity}/Channels}),
 * each open until Flex marks it ended by setting {@code status: INACTIVE} in its attributes.
 */
final class LegacyChannelPresence implements ChatPresence {

    private static final long PAGE_SIZE = 20;

    private final TwilioGateway twilio;
    private final String chatServiceSid;

    LegacyChannelPresence(TwilioGateway twilio, String chatServiceSid) {
        this.twilio = twilio;
        this.chatServiceSid = chatServiceSid;
    }

    @Override
    public boolean hasOpenChat(String identity) {
        List<UserChannel> memberships = twilio.call("look up the visitor's channels", client ->
                new UserChannelReader(chatServiceSid, identity).setPageSize(PAGE_SIZE).firstPage(client).getRecords());
        for (UserChannel membership : memberships) {
            Channel channel = twilio.call("fetch the visitor's channel", client ->
                    new ChannelFetcher(chatServiceSid, membership.getChannelSid()).fetch(client));
            if (!"INACTIVE".equalsIgnoreCase(status(channel.getAttributes()))) {
                return true;
            }
        }
        return false;
    }

    private static String status(String attributes) {
        try {
            JsonNode node = attributes == null ? null : Json.parse(attributes);
            return node == null ? "" : node.path("status").asText("");
        } catch (IOException e) {
            return "";
        }
    }
}
