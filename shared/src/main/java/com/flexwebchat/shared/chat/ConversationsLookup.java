package com.flexwebchat.shared.chat;

import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.conversations.v1.service.ParticipantConversation;
import com.twilio.rest.conversations.v1.service.ParticipantConversationReader;
import java.util.List;

/**
 * Asks the Conversations API which conversations the identity is in
 * ({@code GET /v1/Services/{IS}/ParticipantConversations?Identity=}): one call, with each
 * conversation's state. A closed conversation is read-only for good
 * (https://www.twilio.com/docs/conversations/states-timers), so it counts as ended; an inactive
 * one takes messages again and counts as open.
 */
final class ConversationsLookup implements ChatLookup {

    /** A web chat visitor is in one conversation; a page is plenty. */
    private static final long PAGE_SIZE = 50;

    private final TwilioGateway twilio;
    private final String conversationsServiceSid;

    ConversationsLookup(TwilioGateway twilio, String conversationsServiceSid) {
        this.twilio = twilio;
        this.conversationsServiceSid = conversationsServiceSid;
    }

    @Override
    public List<String> openChats(String identity) {
        List<ParticipantConversation> conversations = twilio.call("look up the visitor's conversations", client ->
                new ParticipantConversationReader(conversationsServiceSid)
                        .setIdentity(identity)
                        .setPageSize(PAGE_SIZE)
                        .firstPage(client)
                        .getRecords());
        return conversations.stream()
                .filter(c -> c.getConversationState() != ParticipantConversation.State.CLOSED)
                .map(ParticipantConversation::getConversationSid)
                .toList();
    }
}
