package com.flexwebchat.shared.chat;

import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.twilio.TwilioGateway;
import java.util.List;

/**
 * Which of a visitor's chats have not ended, asked of Twilio: what {@code /refreshToken} renews a
 * token for and what {@code /endChat} ends. Flex Conversations: the identity's conversations that
 * are not closed; legacy Programmable Chat: its channels Flex has not marked {@code INACTIVE}.
 */
public interface ChatLookup {

    /**
     * The SIDs ({@code CH...}) of the identity's chats that have not ended, oldest first as Twilio
     * lists them; a web chat visitor normally has one.
     */
    List<String> openChats(String identity);

    /** True when the identity takes part in at least one chat that has not ended. */
    default boolean hasOpenChat(String identity) {
        return !openChats(identity).isEmpty();
    }

    /** The lookup for the configured mode. */
    static ChatLookup of(WebChatConfig config, TwilioGateway twilio) {
        return config.legacy()
                ? new LegacyChannelLookup(twilio, config.chatServiceSid())
                : new ConversationsLookup(twilio, config.conversationsServiceSid());
    }
}
