package com.flexwebchat.emulator.chat;

import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.Timestamps;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A member of a Programmable Chat channel. */
final class ChatMember {

    final String sid = Sids.random("MB");
    final ChatChannel channel;
    final String identity;
    final String roleSid;
    final Instant dateCreated;

    ChatMember(ChatChannel channel, String identity, String roleSid, Instant now) {
        this.channel = channel;
        this.identity = identity;
        this.roleSid = roleSid;
        this.dateCreated = now;
    }

    /** The {@code chat.v2.service.channel.member} resource. */
    Map<String, Object> toResource() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sid", sid);
        r.put("account_sid", channel.accountSid);
        r.put("channel_sid", channel.sid);
        r.put("service_sid", channel.serviceSid);
        r.put("identity", identity);
        r.put("date_created", Timestamps.format(dateCreated));
        r.put("date_updated", Timestamps.format(dateCreated));
        r.put("role_sid", roleSid);
        r.put("last_consumed_message_index", null);
        r.put("last_consumption_timestamp", null);
        r.put("url", channel.url() + "/Members/" + sid);
        r.put("attributes", "{}");
        return r;
    }
}
