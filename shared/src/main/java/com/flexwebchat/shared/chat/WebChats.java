package com.flexwebchat.shared.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Web chats at Twilio: everything the functions do with a chat, written once for each kind Flex
 * offers. {@link FlexConversations} is today's; {@code legacy.ProgrammableChatWebChats} serves
 * Flex Flow web chats on Programmable Chat, which reached its end of life on 2026-06-01. Which one
 * a function gets is decided once, from the configuration, by {@code WebChatRuntime}.
 *
 * <p>Every method is one or two Twilio calls through the {@code TwilioGateway}, so a Twilio failure
 * comes out as a {@code TwilioFailure}.
 */
public interface WebChats {

    /**
     * Has Flex's web chat orchestration create the chat, with the visitor in it and the hand-off to
     * the Studio flow: nothing else exists until this succeeds.
     *
     * @param customerName      the visitor's name as agents and transcripts show it
     * @param preEngagementData the pre-engagement form, as JSON text
     */
    StartedChat start(String customerName, String preEngagementData);

    /** Whether chats of this kind take timers ({@link #startTimers} calls Twilio). */
    boolean hasTimers();

    /**
     * Sets the chat's closed timer (and inactive timer, when given), so Twilio closes a chat the
     * visitor walked away from even when no webhook ever arrives. Does nothing for chats without timers.
     *
     * @param inactiveAfter null for none
     */
    void startTimers(String chatSid, Duration closeAfter, Duration inactiveAfter);

    /** The chat, or empty when Twilio has none with that SID (deleted, another service's, never made). */
    Optional<Chat> find(String chatSid);

    /** The SIDs of the identity's chats that have not ended, oldest first as Twilio lists them; usually one. */
    List<String> openChatsOf(String identity);

    /** True when the identity takes part in at least one chat that has not ended. */
    default boolean hasOpenChat(String identity) {
        return !openChatsOf(identity).isEmpty();
    }

    /** The latest {@code count} messages, newest first. */
    List<ChatMessage> latestMessages(String chatSid, int count);

    /**
     * All the chat's messages, oldest first, with their media, up to a limit (a transcript's): several pages of
     * Twilio's list, read in one go.
     *
     * @throws UnsupportedOperationException for chats that have no transcripts (legacy Programmable Chat)
     */
    default ChatHistory history(String chatSid) {
        throw new UnsupportedOperationException("no transcripts for " + getClass().getSimpleName() + " chats");
    }

    /** Posts a message as the visitor, with webhooks on so the Studio flow sees it. */
    void postAsVisitor(StartedChat chat, String body);

    /**
     * Posts a message from {@link Concierge}, with webhooks off: no flow reacts to it.
     *
     * @param attributes what the notice is, for a later delivery to find it (no visitor data); null for none
     */
    void postAsConcierge(String chatSid, String body, ObjectNode attributes);

    /**
     * Ends the chat, so the widget shows its ended view and its tokens are no longer renewed.
     *
     * @return false when it had ended already
     */
    boolean close(String chatSid, Webhooks webhooks);
}
