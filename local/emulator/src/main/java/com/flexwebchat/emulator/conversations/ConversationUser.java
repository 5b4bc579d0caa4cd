package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.Timestamps;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A Conversations User: the identity a chat participant logs in with, unique per service. */
final class ConversationUser {

    final String sid = Sids.random("US");
    final String accountSid;
    final String serviceSid;
    final String identity;
    final String roleSid;
    final Instant dateCreated;
    String friendlyName;
    String attributes = "{}";
    Instant dateUpdated;

    ConversationUser(String accountSid, String serviceSid, String identity, String friendlyName, String roleSid,
                     Instant now) {
        this.accountSid = accountSid;
        this.serviceSid = serviceSid;
        this.identity = identity;
        this.friendlyName = friendlyName;
        this.roleSid = roleSid;
        this.dateCreated = now;
        this.dateUpdated = now;
    }

    /** The {@code conversations.v1.user} / {@code ...service_user} resource. */
    Map<String, Object> toResource(ConversationsScope scope) {
        String url = scope.base() + "/Users/" + sid;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sid", sid);
        r.put("account_sid", accountSid);
        r.put("chat_service_sid", serviceSid);
        r.put("role_sid", roleSid);
        r.put("identity", identity);
        r.put("friendly_name", friendlyName);
        r.put("attributes", attributes);
        // Null unless the service has the Reachability Indicator enabled, which the emulator doesn't model.
        r.put("is_online", null);
        r.put("is_notifiable", null);
        r.put("date_created", Timestamps.format(dateCreated));
        r.put("date_updated", Timestamps.format(dateUpdated));
        r.put("url", url);
        r.put("links", Map.of("user_conversations", url + "/Conversations"));
        return r;
    }
}
