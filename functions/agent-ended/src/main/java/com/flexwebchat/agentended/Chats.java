package com.flexwebchat.agentended;

import com.flexwebchat.shared.chat.Concierge;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** Where the configured kind of web chat lives at Twilio, and how one is announced ended and ended. */
interface Chats {

    /** The Concierge's identity: the author of every notice this backend posts. */
    String CONCIERGE = Concierge.AUTHOR;
    /** The notice's attribute naming the ending it announces; also how a later delivery recognises it. */
    String ENDING_ATTRIBUTE = "chatEnding";
    /** How far back an ending notice is looked for: a repeated delivery follows the first within minutes. */
    long RECENT_MESSAGES = 20;

    /**
     * A chat as read at Twilio.
     *
     * @param ended      closed (a conversation) or marked {@code INACTIVE} (a legacy channel)
     * @param attributes the chat's attributes, for legacy channels whose end is written into them
     */
    record Chat(String sid, boolean ended, ObjectNode attributes) {
    }

    /** @return the chat, or empty when Twilio has none with that SID (deleted, or another account's) */
    Optional<Chat> find(String sid);

    /** Whether one of the latest messages is an ending notice from the Concierge. */
    boolean hasEndingNotice(String sid);

    /** Posts the notice as the Concierge, raising no webhooks (no Studio flow starts for it). */
    void postEndingNotice(String sid, String text, Ending ending, String taskSid);

    /** Ends the chat, so the widget shows its ended view and tokens are no longer renewed for it. */
    void end(Chat chat);

    /** For the SnapStart snapshot: the SDK's JSON for what is read, without a call. */
    void prime();
}
