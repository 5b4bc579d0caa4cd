package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.Timestamps;
import com.flexwebchat.emulator.mcs.Media;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message in a conversation; {@code index} counts up from 0 per conversation. It has a body, media (files in the
 * Media Content Service, attached by {@code MediaSid}), or both.
 */
final class ConversationMessage {

    final String sid = Sids.random("IM");
    final Conversation conversation;
    final int index;
    final String author;
    final String body;
    final String attributes;
    final String participantSid;
    final Instant dateCreated;
    final List<Media> media;

    ConversationMessage(Conversation conversation, int index, String author, String body, String attributes,
                        List<Media> media, String participantSid, Instant now) {
        this.conversation = conversation;
        this.index = index;
        this.author = author;
        this.body = body;
        this.attributes = attributes;
        this.participantSid = participantSid;
        this.dateCreated = now;
        this.media = List.copyOf(media);
    }

    /** The {@code conversation_message} resource; only the service-scoped schema has {@code chat_service_sid}. */
    Map<String, Object> toResource(ConversationsScope scope) {
        String url = conversation.url(scope) + "/Messages/" + sid;
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("delivery_receipts", url + "/Receipts");
        links.put("channel_metadata", url + "/ChannelMetadata");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("account_sid", conversation.accountSid);
        if (scope.serviceScoped()) {
            r.put("chat_service_sid", conversation.serviceSid);
        }
        r.put("conversation_sid", conversation.sid);
        r.put("sid", sid);
        r.put("index", index);
        r.put("author", author);
        r.put("body", body);
        // "If the Message has no media, this value is `null`."
        r.put("media", media.isEmpty() ? null : media.stream().map(Media::toMessageMedia).toList());
        r.put("attributes", attributes);
        r.put("participant_sid", participantSid);
        r.put("date_created", Timestamps.format(dateCreated));
        r.put("date_updated", Timestamps.format(dateCreated));
        r.put("url", url);
        // Delivery receipts exist only for non-chat (SMS/WhatsApp) recipients; null otherwise.
        r.put("delivery", null);
        r.put("links", links);
        r.put("content_sid", null);
        return r;
    }
}
