package com.flexwebchat.studio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.json.Json;

/**
 * Reads a chat's attributes string. Flex's web chat orchestration ({@code POST /v2/WebChats},
 * legacy {@code POST /v1/WebChannels}) stores the form under {@code pre_engagement_data}, as an
 * object; a JSON string holding the object is accepted too. Anything unreadable counts as no data:
 * the chat still goes to an agent.
 */
final class ChatAttributes {

    static final String PRE_ENGAGEMENT_DATA = "pre_engagement_data";

    private ChatAttributes() {
    }

    static ObjectNode parse(String attributes) {
        JsonNode node = parseQuietly(attributes);
        return node instanceof ObjectNode object ? object : Json.object();
    }

    static ObjectNode preEngagementData(ObjectNode attributes) {
        JsonNode data = attributes.get(PRE_ENGAGEMENT_DATA);
        if (data != null && data.isTextual()) {
            data = parseQuietly(data.asText());
        }
        return data instanceof ObjectNode object ? object : Json.object();
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
