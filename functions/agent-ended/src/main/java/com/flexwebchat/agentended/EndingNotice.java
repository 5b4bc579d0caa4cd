package com.flexwebchat.agentended;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.chat.ChatMessage;
import com.flexwebchat.shared.json.Json;

/**
 * The attributes of the Concierge's closing notice. The notice is its own record: an ending that
 * finds one among the latest messages posts no second one (Twilio may deliver an event again, a
 * retry after the close failed must not repeat what the visitor already read, and a chat has one
 * ending whatever ends it). {@code /endChat}'s customer-left notice carries the same attribute
 * ({@code WebChatEnder}), so neither side posts a second word after the other's.
 */
final class EndingNotice {

    /** The notice's attribute naming the ending it announces; also how a later delivery recognises it. */
    static final String ENDING_ATTRIBUTE = "chatEnding";

    private EndingNotice() {
    }

    /** {@code {"chatEnding": "agent_ended", "taskSid": "WT..."}}; no visitor data. */
    static ObjectNode attributes(Ending ending, String taskSid) {
        ObjectNode attributes = Json.object().put(ENDING_ATTRIBUTE, ending.noticeCode());
        if (taskSid != null) {
            attributes.put("taskSid", taskSid);
        }
        return attributes;
    }

    static boolean is(ChatMessage message) {
        return message.isConciergeNotice(ENDING_ATTRIBUTE);
    }
}
