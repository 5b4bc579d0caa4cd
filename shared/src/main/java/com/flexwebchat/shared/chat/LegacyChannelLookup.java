package com.flexwebchat.shared.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.chat.v2.service.Channel;
import com.twilio.rest.chat.v2.service.ChannelFetcher;
import com.twilio.rest.chat.v2.service.user.UserChannel;
import com.twilio.rest.chat.v2.service.user.UserChannelReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Legacy Programmable Chat: the visitor's channels ({@code GET /v2/Services/{IS}/Users/{Identity}/Channels}),
 * each open until Flex marks it ended by setting {@code status: INACTIVE} in its attributes
 * (which {@code POST /v1/WebChannels/{Sid}} with {@code ChatStatus=inactive} does).
 */
final class LegacyChannelLookup implements ChatLookup {

    private static final long PAGE_SIZE = 20;

    private final TwilioGateway twilio;
    private final String chatServiceSid;

    LegacyChannelLookup(TwilioGateway twilio, String chatServiceSid) {
        this.twilio = twilio;
        this.chatServiceSid = chatServiceSid;
    }

    @Override
    public List<String> openChats(String identity) {
        List<String> open = new ArrayList<>();
        for (UserChannel membership : memberships(identity)) {
            if (isOpen(membership)) {
                open.add(membership.getChannelSid());
            }
        }
        return open;
    }

    /** Stops at the first open channel: one fetch for the usual visitor with one chat. */
    @Override
    public boolean hasOpenChat(String identity) {
        for (UserChannel membership : memberships(identity)) {
            if (isOpen(membership)) {
                return true;
            }
        }
        return false;
    }

    private List<UserChannel> memberships(String identity) {
        return twilio.call("look up the visitor's channels", client ->
                new UserChannelReader(chatServiceSid, identity).setPageSize(PAGE_SIZE).firstPage(client).getRecords());
    }

    private boolean isOpen(UserChannel membership) {
        Channel channel = twilio.call("fetch the visitor's channel", client ->
                new ChannelFetcher(chatServiceSid, membership.getChannelSid()).fetch(client));
        return !"INACTIVE".equalsIgnoreCase(status(channel.getAttributes()));
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
