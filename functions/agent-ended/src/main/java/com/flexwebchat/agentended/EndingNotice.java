package com.flexwebchat.agentended;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.json.Json;

/**
 * The attributes of the Concierge's closing notice. The notice is its own record: a delivery
 * that finds one among the latest messages posts no second one (Twilio may deliver an event again,
 * and a retry after the close failed must not repeat what the visitor already read).
 */
final class EndingNotice {

    private EndingNotice() {
    }

    /** {@code {"chatEnding": "agent_ended", "taskSid": "WT..."}}; no visitor data. */
    static String attributes(Ending ending, String taskSid) {
        ObjectNode attributes = Json.object().put(Chats.ENDING_ATTRIBUTE, ending.code());
        if (taskSid != null) {
            attributes.put("taskSid", taskSid);
        }
        return Json.write(attributes);
    }

    static boolean is(String author, String attributes) {
        if (!Chats.CONCIERGE.equals(author) || attributes == null) {
            return false;
        }
        try {
            JsonNode node = Json.parse(attributes);
            return node.isObject() && node.hasNonNull(Chats.ENDING_ATTRIBUTE);
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
