package com.flexwebchat.emulator.chat;

import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.Timestamps;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A message in a Programmable Chat channel. */
final class ChatMessage {

    final String sid = Sids.random("IM");
    final ChatChannel channel;
    final int index;
    final String from;
    final String body;
    final String attributes;
    final Instant dateCreated;

    ChatMessage(ChatChannel channel, int index, String from, String body, String attributes, Instant now) {
        this.channel = channel;
        this.index = index;
        this.from = from;
        this.body = body;
        this.attributes = attributes;
        this.dateCreated = now;
    }

    /** The {@code chat.v2.service.channel.message} resource. */
    Map<String, Object> toResource() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sid", sid);
        r.put("account_sid", channel.accountSid);
        r.put("attributes", attributes);
        r.put("service_sid", channel.serviceSid);
        r.put("to", channel.sid);
        r.put("channel_sid", channel.sid);
        r.put("date_created", Timestamps.format(dateCreated));
        r.put("date_updated", Timestamps.format(dateCreated));
        r.put("last_updated_by", null);
        r.put("was_edited", false);
        r.put("from", from);
        r.put("body", body);
        r.put("index", index);
        r.put("type", "text");
        r.put("media", null);
        r.put("url", channel.url() + "/Messages/" + sid);
        return r;
    }
}
