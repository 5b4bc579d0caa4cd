package com.flexwebchat.shared.chat;

/**
 * The author of every message the backend posts into a chat (welcome, join and ending notices):
 * the name the Express server used, so transcripts read the same.
 */
public final class Concierge {

    public static final String AUTHOR = "Concierge";

    private Concierge() {
    }
}
