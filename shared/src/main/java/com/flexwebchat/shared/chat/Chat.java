package com.flexwebchat.shared.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.json.Json;

/**
 * A web chat as read at Twilio.
 *
 * @param sid        {@code CH...}: the conversation, or in legacy mode the Programmable Chat channel
 * @param ended      closed (a conversation; read-only for good, https://www.twilio.com/docs/conversations/states-timers)
 *                   or marked {@code status: INACTIVE} by Flex (a legacy channel)
 * @param attributes the chat's attributes, an empty object when it has none or they are unreadable
 */
public record Chat(String sid, boolean ended, ObjectNode attributes) {

    static final String PRE_ENGAGEMENT_DATA = "pre_engagement_data";

    /**
     * The visitor's pre-engagement form, as Flex's web chat orchestration keeps it: under
     * {@code pre_engagement_data}, an object (a JSON string holding one is accepted too); an empty
     * object when absent or unreadable, so the chat still goes to an agent.
     */
    public ObjectNode preEngagementData() {
        JsonNode data = attributes.get(PRE_ENGAGEMENT_DATA);
        if (data != null && data.isTextual()) {
            data = parseQuietly(data.asText());
        }
        return data instanceof ObjectNode object ? object : Json.object();
    }

    /** Attributes as Twilio returns them (a JSON string) as an object; anything unreadable counts as none. */
    public static ObjectNode attributes(String text) {
        JsonNode node = parseQuietly(text);
        return node instanceof ObjectNode object ? object : Json.object();
    }

    /** Pre-engagement values are visitors' personal data: keep them out of logs. */
    @Override
    public String toString() {
        return "Chat[" + sid + ", ended=" + ended + "]";
    }

    private static JsonNode parseQuietly(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
