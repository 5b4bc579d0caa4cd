package com.flexwebchat.emulator.chat;

import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.Timestamps;
import com.flexwebchat.emulator.http.TwilioUrls;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A Programmable Chat v2 channel with its members (legacy Flex web chat lives in these). */
final class ChatChannel {

    final String sid = Sids.random("CH");
    final String accountSid;
    final String serviceSid;
    final Instant dateCreated;
    String friendlyName;
    String uniqueName;
    String attributes = "{}";
    String type = "private";
    String createdBy = "system";
    Instant dateUpdated;
    private final Map<String, ChatMember> members = new LinkedHashMap<>();
    private final java.util.List<ChatMessage> messages = new java.util.ArrayList<>();

    ChatChannel(String accountSid, String serviceSid, Instant now) {
        this.accountSid = accountSid;
        this.serviceSid = serviceSid;
        this.dateCreated = now;
        this.dateUpdated = now;
    }

    String url() {
        return TwilioUrls.CHAT + "/v2/Services/" + serviceSid + "/Channels/" + sid;
    }

    ChatMember addMember(ChatMember member) {
        members.put(member.sid, member);
        return member;
    }

    ChatMessage addMessage(String from, String body, String attributes, Instant now) {
        ChatMessage message = new ChatMessage(this, messages.size(), from, body, attributes, now);
        messages.add(message);
        return message;
    }

    java.util.List<ChatMessage> messages() {
        return messages;
    }

    Collection<ChatMember> members() {
        return members.values();
    }

    Optional<ChatMember> member(String sidOrIdentity) {
        return members.values().stream()
                .filter(m -> m.sid.equals(sidOrIdentity) || m.identity.equals(sidOrIdentity))
                .findFirst();
    }

    /** The {@code chat.v2.service.channel} resource. */
    Map<String, Object> toResource() {
        String url = url();
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("members", url + "/Members");
        links.put("messages", url + "/Messages");
        links.put("invites", url + "/Invites");
        links.put("webhooks", url + "/Webhooks");
        links.put("last_message", null);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sid", sid);
        r.put("account_sid", accountSid);
        r.put("service_sid", serviceSid);
        r.put("friendly_name", friendlyName);
        r.put("unique_name", uniqueName);
        r.put("attributes", attributes);
        r.put("type", type);
        r.put("date_created", Timestamps.format(dateCreated));
        r.put("date_updated", Timestamps.format(dateUpdated));
        r.put("created_by", createdBy);
        r.put("members_count", members.size());
        r.put("messages_count", messages.size());
        r.put("url", url);
        r.put("links", links);
        return r;
    }
}
