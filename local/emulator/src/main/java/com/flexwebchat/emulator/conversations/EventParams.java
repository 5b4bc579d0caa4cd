package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Timestamps;
import com.flexwebchat.emulator.mcs.Media;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static com.flexwebchat.emulator.http.FormCodec.add;

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
                                                List<Media> media, String participantSid) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        add(p, "ConversationSid", c.sid);
        add(p, "Body", body);
        add(p, "Author", author);
        add(p, "ParticipantSid", participantSid);
        add(p, "Attributes", attributes);
        media(p, media);
        return p;
    }

    /** {@code onMessageAdded}. */
    static Map<String, List<String>> messageAdded(ConversationMessage m) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        add(p, "ConversationSid", m.conversation.sid);
        add(p, "MessageSid", m.sid);
        add(p, "Index", String.valueOf(m.index));
        add(p, "DateCreated", Timestamps.format(m.dateCreated));
        add(p, "Body", m.body);
        add(p, "Author", m.author);
        add(p, "ParticipantSid", m.participantSid);
        add(p, "Attributes", m.attributes);
        media(p, m.media);
        return p;
    }

    /**
     * {@code Media}: the message's files as a JSON array in text, each with {@code Sid}, {@code Filename},
     * {@code ContentType}, {@code Size} (and {@code Category}), as public handlers of these webhooks read it
     * (TODO(uncertain): the keys are not in Twilio's webhook docs as we could read them); left out for a message
     * without media.
     */
    private static void media(Map<String, List<String>> p, List<Media> media) {
        if (!media.isEmpty()) {
            add(p, "Media", Json.write(media.stream().map(Media::toWebhookMedia).toList()));
        }
    }

    /** {@code onParticipantAdd}: the participant about to be added. */
    static Map<String, List<String>> participantAdd(Conversation c, String identity, Map<String, Object> binding,
                                                    String attributes, String roleSid) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        add(p, "ConversationSid", c.sid);
        add(p, "Identity", identity);
        add(p, "RoleSid", roleSid);
        add(p, "Attributes", attributes);
        binding(p, identity, binding);
        return p;
    }

    /** {@code onParticipantAdded}, {@code onParticipantUpdated} and {@code onParticipantRemoved}. */
    static Map<String, List<String>> participant(Participant participant, String eventType, Instant removed) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        add(p, "ConversationSid", participant.conversation.sid);
        add(p, "ParticipantSid", participant.sid);
        add(p, "DateCreated", Timestamps.format(participant.dateCreated));
        if (!eventType.equals("onParticipantAdded")) {
            add(p, "DateUpdated", Timestamps.format(participant.dateUpdated));
        }
        if (removed != null) {
            add(p, "DateRemoved", Timestamps.format(removed));
        }
        add(p, "Identity", participant.identity);
        add(p, "RoleSid", participant.roleSid);
        add(p, "Attributes", participant.attributes);
        binding(p, participant.identity, participant.messagingBinding);
        if (eventType.equals("onParticipantUpdated") && participant.lastReadMessageIndex != null) {
            add(p, "LastReadMessageIndex", String.valueOf(participant.lastReadMessageIndex));
        }
        return p;
    }

    /** {@code onConversationAdded}, {@code onConversationUpdated} and {@code onConversationRemoved}. */
    static Map<String, List<String>> conversation(Conversation c, Instant removed) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        add(p, "ConversationSid", c.sid);
        add(p, "DateCreated", Timestamps.format(c.dateCreated));
        add(p, "DateUpdated", Timestamps.format(c.dateUpdated));
        if (removed != null) {
            add(p, "DateRemoved", Timestamps.format(removed));
        }
        add(p, "FriendlyName", c.friendlyName);
        add(p, "UniqueName", c.uniqueName);
        add(p, "Attributes", c.attributes);
        add(p, "State", c.state.wire());
        return p;
    }

    /** {@code onConversationStateUpdated}; {@code reason} is "API", "TIMER" or "EVENT". */
    static Map<String, List<String>> stateUpdated(Conversation c, Conversation.State from, String reason) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        add(p, "ConversationSid", c.sid);
        add(p, "StateUpdated", Timestamps.format(c.dateUpdated));
        add(p, "StateFrom", from.wire());
        add(p, "StateTo", c.state.wire());
        add(p, "Reason", reason);
        return p;
    }

    /**
     * "A Conversation Participant has either the Identity ... or MessagingBinding ProxyAddress and Address
     * attributes filled in"; {@code MessagingBinding.Type} is one of SMS, CHAT, WHATSAPP.
     */
    private static void binding(Map<String, List<String>> p, String identity, Map<String, Object> binding) {
        if (binding != null) {
            add(p, "MessagingBinding.ProxyAddress", (String) binding.get("proxy_address"));
            add(p, "MessagingBinding.Address", (String) binding.get("address"));
            add(p, "MessagingBinding.Type", String.valueOf(binding.get("type")).toUpperCase(Locale.ROOT));
        } else if (identity != null) {
            add(p, "MessagingBinding.Type", "CHAT");
        }
    }
}
