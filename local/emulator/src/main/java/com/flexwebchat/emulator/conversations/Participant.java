package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.Timestamps;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A conversation participant: a chat participant with an {@code identity} (a Conversations User), or a
 * messaging participant with a {@code messaging_binding} (SMS/WhatsApp address).
 */
final class Participant {

    final String sid = Sids.random("MB");
    final Conversation conversation;
    final String identity;
    final Map<String, Object> messagingBinding;
    final Instant dateCreated;
    String roleSid;
    String attributes;
    Integer lastReadMessageIndex;
    String lastReadTimestamp;
    Instant dateUpdated;

    Participant(Conversation conversation, String identity, Map<String, Object> messagingBinding, String attributes,
                String roleSid, Instant now) {
        this.conversation = conversation;
        this.identity = identity;
        this.messagingBinding = messagingBinding;
        this.attributes = attributes;
        this.roleSid = roleSid;
        this.dateCreated = now;
        this.dateUpdated = now;
    }

    String url(ConversationsScope scope) {
        return conversation.url(scope) + "/Participants/" + sid;
    }

    /** The {@code conversation_participant} resource; only the service-scoped schema has {@code chat_service_sid}. */
    Map<String, Object> toResource(ConversationsScope scope) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("account_sid", conversation.accountSid);
        if (scope.serviceScoped()) {
            r.put("chat_service_sid", conversation.serviceSid);
        }
        r.put("conversation_sid", conversation.sid);
        r.put("sid", sid);
        r.put("identity", identity);
        r.put("attributes", attributes);
        r.put("messaging_binding", messagingBinding);
        r.put("role_sid", roleSid);
        r.put("date_created", Timestamps.format(dateCreated));
        r.put("date_updated", Timestamps.format(dateUpdated));
        r.put("url", url(scope));
        r.put("last_read_message_index", lastReadMessageIndex);
        r.put("last_read_timestamp", lastReadTimestamp);
        return r;
    }
}
