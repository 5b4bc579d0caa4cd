package com.flexwebchat.agentended;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A TaskRouter task that is a web chat, read from the event's {@code TaskAttributes}: the chat's
 * SID and how it was made.
 *
 * <p>A task is a web chat when its attributes say {@code "channelType": "web"} and name the chat:
 * {@code conversationSid} (Flex Conversations: Studio's Send to Flex and this backend's Studio
 * webhook put both there) or {@code channelSid} (legacy Flex Flow chats). {@code channelType} is
 * what tells a web chat from an SMS or WhatsApp conversation, which carry a {@code conversationSid}
 * too and are commonly routed on the same {@code chat} task channel; so
 * {@code TaskChannelUniqueName} decides nothing here (and a site may route web chats on a task
 * channel of its own). Anything else, voice tasks included, is not ours to end.
 *
 * <p>The chat is {@code conversationSid}, else {@code channelSid}, in either mode, as the Studio
 * webhook reads {@code ConversationSid}, else {@code ChannelSid}: a Flex chat's conversation SID is
 * its chat channel's, and where a task carries both (this backend's Studio webhook writes
 * {@code conversationSid} for legacy chats too) they name the same chat.
 *
 * @param taskSid               the task ({@code WT...}), or null when the event carried none that looks like one
 * @param chatSid               the conversation or, for a legacy chat, the Programmable Chat channel
 * @param interactionSid        Flex Conversations' interaction ({@code KD...}), or null
 * @param interactionChannelSid its channel ({@code UO...}), or null; set only together with {@code interactionSid}
 */
record WebChatTask(String taskSid, String chatSid, String interactionSid, String interactionChannelSid) {

    private static final Pattern CHAT_SID = Pattern.compile("CH[0-9a-fA-F]{32}");
    private static final Pattern TASK_SID = Pattern.compile("WT[0-9a-fA-F]{32}");
    private static final Pattern INTERACTION_SID = Pattern.compile("KD[0-9a-fA-F]{32}");
    private static final Pattern INTERACTION_CHANNEL_SID = Pattern.compile("UO[0-9a-fA-F]{32}");

    static Optional<WebChatTask> from(String taskSid, String taskAttributes) {
        JsonNode attributes = parse(taskAttributes);
        if (attributes == null || !"web".equals(attributes.path("channelType").asText("").toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        String conversationSid = sid(attributes, "conversationSid", CHAT_SID);
        String channelSid = sid(attributes, "channelSid", CHAT_SID);
        if (conversationSid == null && channelSid == null) {
            return Optional.empty();
        }
        String interactionSid = sid(attributes, "flexInteractionSid", INTERACTION_SID);
        String interactionChannelSid = sid(attributes, "flexInteractionChannelSid", INTERACTION_CHANNEL_SID);
        boolean interaction = interactionSid != null && interactionChannelSid != null;
        return Optional.of(new WebChatTask(
                taskSid != null && TASK_SID.matcher(taskSid).matches() ? taskSid : null,
                conversationSid != null ? conversationSid : channelSid,
                interaction ? interactionSid : null,
                interaction ? interactionChannelSid : null));
    }

    /** Flex Conversations names the interaction the task belongs to; legacy chats have none. */
    boolean hasInteraction() {
        return interactionChannelSid != null;
    }

    private static JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode node = Json.parse(text);
            return node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String sid(JsonNode attributes, String name, Pattern pattern) {
        JsonNode value = attributes.get(name);
        return value != null && value.isTextual() && pattern.matcher(value.asText()).matches() ? value.asText() : null;
    }
}
