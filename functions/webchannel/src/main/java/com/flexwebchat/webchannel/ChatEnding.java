package com.flexwebchat.webchannel;

/** How a visitor's open chat is ended at Twilio: Flex Conversations, or legacy Programmable Chat. */
interface ChatEnding {

    /**
     * Ends one open chat (a conversation, or in legacy mode a channel): tells the agent the
     * visitor left and has Flex end it. Throws {@code ApiError} when Twilio fails.
     */
    void end(String chatSid);

    /** For the SnapStart snapshot: reads the SDK's JSON for what an ending reads, creating nothing and calling nobody. */
    void prime();
}
