package com.flexwebchat.emulator;

import com.flexwebchat.emulator.http.Timestamps;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The event-specific parameters of Conversations webhooks, as the tables of "Webhook Bodies by Event Type" list
 * them (https://www.twilio.com/docs/conversations/conversations-webhooks). Optional parameters without a value
 * are left out, as a form can't carry null. Dates are ISO 8601 in UTC.
 */
final class EventParams {

    private EventParams() {
    }

    /** {@code onMessageAdd}: the message about to be added (it has no SID or index yet). */
    static Map<String, List<String>> messageAdd(Conversation c, String author, String body, String attributes,
                                                String participantSid) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        put(p, "ConversationSid", c.sid);
        put(p, "Body", body);
        put(p, "Author", author);
        put(p, "ParticipantSid", participantSid);
        put(p, "Attributes", attributes);
        return p;
    }

    /** {@code onMessageAdded}. */
    static Map<String, List<String>> messageAdded(ConversationMessage m) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        put(p, "ConversationSid", m.conversation.sid);
        put(p, "MessageSid", m.sid);
        put(p, "Index", String.valueOf(m.index));
        put(p, "DateCreated", Timestamps.format(m.dateCreated));
        put(p, "Body", m.body);
        put(p, "Author", m.author);
        put(p, "ParticipantSid", m.participantSid);
        put(p, "Attributes", m.attributes);
        return p;
    }

    /** {@code onParticipantAdd}: the participant about to be added. */
    static Map<String, List<String>> participantAdd(Conversation c, String identity, Map<String, Object> binding,
                                                    String attributes, String roleSid) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        put(p, "ConversationSid", c.sid);
        put(p, "Identity", identity);
        put(p, "RoleSid", roleSid);
        put(p, "Attributes", attributes);
        binding(p, identity, binding);
        return p;
    }

    /** {@code onParticipantAdded}, {@code onParticipantUpdated} and {@code onParticipantRemoved}. */
    static Map<String, List<String>> participant(Participant participant, String eventType, Instant removed) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        put(p, "ConversationSid", participant.conversation.sid);
        put(p, "ParticipantSid", participant.sid);
        put(p, "DateCreated", Timestamps.format(participant.dateCreated));
        if (!eventType.equals("onParticipantAdded")) {
            put(p, "DateUpdated", Timestamps.format(participant.dateUpdated));
        }
        if (removed != null) {
            put(p, "DateRemoved", Timestamps.format(removed));
        }
        put(p, "Identity", participant.identity);
        put(p, "RoleSid", participant.roleSid);
        put(p, "Attributes", participant.attributes);
        binding(p, participant.identity, participant.messagingBinding);
        if (eventType.equals("onParticipantUpdated") && participant.lastReadMessageIndex != null) {
            put(p, "LastReadMessageIndex", String.valueOf(participant.lastReadMessageIndex));
        }
        return p;
    }

    /** {@code onConversationAdded}, {@code onConversationUpdated} and {@code onConversationRemoved}. */
    static Map<String, List<String>> conversation(Conversation c, Instant removed) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        put(p, "ConversationSid", c.sid);
        put(p, "DateCreated", Timestamps.format(c.dateCreated));
        put(p, "DateUpdated", Timestamps.format(c.dateUpdated));
        if (removed != null) {
            put(p, "DateRemoved", Timestamps.format(removed));
        }
        put(p, "FriendlyName", c.friendlyName);
        put(p, "UniqueName", c.uniqueName);
        put(p, "Attributes", c.attributes);
        put(p, "State", c.state.wire());
        return p;
    }

    /** {@code onConversationStateUpdated}; {@code reason} is "API", "TIMER" or "EVENT". */
    static Map<String, List<String>> stateUpdated(Conversation c, Conversation.State from, String reason) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        put(p, "ConversationSid", c.sid);
        put(p, "StateUpdated", Timestamps.format(c.dateUpdated));
        put(p, "StateFrom", from.wire());
        put(p, "StateTo", c.state.wire());
        put(p, "Reason", reason);
        return p;
    }

    /** Adds a parameter unless its value is {@code null}. */
    static void put(Map<String, List<String>> params, String name, String value) {
        if (value != null) {
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
    }

    /**
     * "A Conversation Participant has either the Identity ... or MessagingBinding ProxyAddress and Address
     * attributes filled in"; {@code MessagingBinding.Type} is one of SMS, CHAT, WHATSAPP.
     */
    private static void binding(Map<String, List<String>> p, String identity, Map<String, Object> binding) {
        if (binding != null) {
            put(p, "MessagingBinding.ProxyAddress", (String) binding.get("proxy_address"));
            put(p, "MessagingBinding.Address", (String) binding.get("address"));
            put(p, "MessagingBinding.Type", String.valueOf(binding.get("type")).toUpperCase(Locale.ROOT));
        } else if (identity != null) {
            put(p, "MessagingBinding.Type", "CHAT");
        }
    }
}
