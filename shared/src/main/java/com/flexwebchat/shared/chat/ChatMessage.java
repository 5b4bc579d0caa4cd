package com.flexwebchat.shared.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A message as read back from a chat: to recognise what this backend posted before (a notice carries its purpose
 * in its attributes, so a repeated delivery of an event does not post it twice), and for a chat's transcript.
 *
 * @param sid         {@code IM...}, or null when Twilio gave none
 * @param index       its place in the chat, counting from 0, or null when Twilio gave none
 * @param author      the author's identity ({@code Concierge} for our notices; a Flex agent's or the visitor's)
 * @param body        the text, or null (a message with only media has none)
 * @param dateCreated when Twilio created it, or null when Twilio gave no date
 * @param attributes  its attributes, an empty object when none or unreadable
 * @param media       the files it carries, in Twilio's order; empty when none
 */
public record ChatMessage(String sid, Integer index, String author, String body, Instant dateCreated,
                          ObjectNode attributes, List<Media> media) {

    /**
     * A file a message carries, as the message's {@code media} list describes it: "{@code content_type} with the
     * MIME type of the media, {@code filename} with the name of the media, {@code sid} with the SID of the Media
     * resource, and {@code size} with the media object's file size in bytes" (Twilio's OpenAPI, Conversations
     * message resource). Its bytes are read with {@code ConversationMedia}, by SID, from the chat's own service.
     *
     * @param sid         {@code ME...}
     * @param filename    the name the sender gave it, or null
     * @param contentType its MIME type, or null when Twilio gave none
     * @param size        its size in bytes, or null when Twilio gave none
     */
    public record Media(String sid, String filename, String contentType, Long size) {

        /** Files are visitors' data: their names stay out of logs. */
        @Override
        public String toString() {
            return "Media[" + sid + ", " + contentType + ", " + size + " bytes]";
        }
    }

    public ChatMessage {
        attributes = attributes == null ? Json.object() : attributes;
        media = media == null ? List.of() : List.copyOf(media);
    }

    /** Whether this is a notice of the Concierge's whose attributes carry {@code attribute}. */
    public boolean isConciergeNotice(String attribute) {
        return Concierge.AUTHOR.equals(author) && attributes.hasNonNull(attribute);
    }

    /**
     * A message's media as the SDK gives it: a Conversations message's list of JSON objects read as maps, or a
     * Programmable Chat message's single object. Entries without a SID are left out: there would be nothing to fetch.
     */
    public static List<Media> mediaOf(Object twilioMedia) {
        List<Media> media = new ArrayList<>();
        if (twilioMedia instanceof Iterable<?> items) {
            for (Object item : items) {
                media(item, media);
            }
        } else {
            media(twilioMedia, media);
        }
        return media;
    }

    private static void media(Object item, List<Media> media) {
        if (item instanceof Map<?, ?> entry && entry.get("sid") instanceof String sid && !sid.isEmpty()) {
            media.add(new Media(sid, text(entry.get("filename")), text(entry.get("content_type")),
                    entry.get("size") instanceof Number size ? size.longValue() : null));
        }
    }

    private static String text(Object value) {
        return value instanceof String text ? text : null;
    }

    /** Bodies, authors and attributes are visitors' data: they stay out of logs. */
    @Override
    public String toString() {
        return "ChatMessage[" + sid + ", index=" + index + ", media=" + media.size() + "]";
    }
}
