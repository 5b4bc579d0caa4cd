package com.flexwebchat.webchannel;

/** How a chat is started and opened at Twilio: Flex Conversations, or legacy Programmable Chat. */
public interface ChatOrchestration {

    /** Asks Flex to create the chat; nothing else exists until this succeeds. */
    StartedChat start(PreEngagementForm form);

    /** Posts a message as the visitor, with webhooks on so the Studio flow sees it. */
    void postVisitorMessage(StartedChat chat, String body);

    /** Posts a message from {@code Concierge}, with webhooks off: no flow should react to it. */
    void postConciergeMessage(StartedChat chat, String body);

    /**
     * Whether {@link #startTimers} calls Twilio. Flex Conversations: yes. Legacy Programmable
     * Chat channels have no timers; Flex's own channel janitor ends abandoned legacy chats.
     */
    default boolean startsTimers() {
        return false;
    }

    /**
     * Sets the chat's closed timer (and inactive timer, when configured), so Twilio closes a chat
     * the visitor walked away from even when no webhook ever arrives. Throws {@code ApiError} on
     * a Twilio failure; the caller decides whether that matters.
     */
    default void startTimers(StartedChat chat) {
    }

    /**
     * For the SnapStart snapshot: reads what a chat start reads back (the SDK's JSON for the
     * resources above) and makes one read at Twilio, creating nothing.
     */
    void prime();
}
