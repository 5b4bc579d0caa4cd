package com.flexwebchat.token;

/** Whether a visitor still has a chat worth renewing a token for. */
public interface ChatPresence {

    /** True when the identity takes part in at least one chat that has not ended. */
    boolean hasOpenChat(String identity);
}
