package com.flexwebchat.studio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.conversations.v1.service.Conversation;
import com.twilio.rest.conversations.v1.service.ConversationFetcher;
import java.util.Optional;

/**
 * Flex Conversations: {@code GET /v1/Services/{IS}/Conversations/{CH}} in Flex's conversation
 * service, whichever name the SID came under ({@code ConversationSid}, or the legacy
 * {@code ChannelSid}: a conversation's SID is its Chat channel's). A conversation of another
 * service is not found. Closed conversations are read-only for good
 * (https://www.twilio.com/docs/conversations/states-timers).
 */
final class ConversationsLookup implements ChatLookup {

    private final TwilioGateway twilio;
    private final String conversationsServiceSid;

    ConversationsLookup(TwilioGateway twilio, String conversationsServiceSid) {
        this.twilio = twilio;
        this.conversationsServiceSid = conversationsServiceSid;
    }

    @Override
    public Optional<FoundChat> find(String sid) {
        Optional<Conversation> conversation = twilio.find("fetch the conversation", client -> new ConversationFetcher(conversationsServiceSid, sid).fetch(client));
        return conversation.map(c -> {
            ObjectNode attributes = ChatAttributes.parse(c.getAttributes());
            return new FoundChat(c.getSid(), c.getState() == Conversation.State.CLOSED, attributes,
                    ChatAttributes.preEngagementData(attributes));
        });
    }
}
