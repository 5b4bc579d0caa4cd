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
     * For the SnapStart snapshot: reads what a chat start reads back (the SDK's JSON for the
     * resources above) and makes one read at Twilio, creating nothing.
     */
    void prime();
}
