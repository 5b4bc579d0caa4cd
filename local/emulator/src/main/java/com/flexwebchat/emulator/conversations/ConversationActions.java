package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.TwilioError;
import com.flexwebchat.emulator.webhooks.ConversationWebhooks;

import com.flexwebchat.emulator.mcs.Media;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Conversations changes that Twilio announces with webhooks, each made on the store and announced through
 * {@link ConversationWebhooks}: pre-event webhooks ({@code onMessageAdd}, {@code onParticipantAdd}) before the
 * change, which they may reject (or, for messages, modify); post-event webhooks after it. Both REST operations and
 * the emulator's SDK stand-ins come through here, with the {@link ConversationWebhooks.Origin} that decides whether
 * anything fires. Callers hold the state lock.
 *
 * <p>Not announced: users created implicitly for a participant ({@code onUserAdded}), and a message making an
 * inactive conversation active again.
 */
final class ConversationActions {

    private final ConversationStore store;
    private final ConversationWebhooks webhooks;

    ConversationActions(ConversationStore store, ConversationWebhooks webhooks) {
        this.store = store;
        this.webhooks = webhooks;
        // Timers aren't anybody's request: Twilio fires for them whatever the header of the request that looked.
        store.onStateChange((conversation, from, reason) -> webhooks.post(conversation.serviceSid,
                "onConversationStateUpdated", ConversationWebhooks.Origin.system(),
                EventParams.stateUpdated(conversation, from, reason)));
    }

    // --- conversations -------------------------------------------------------------------------------------

    Conversation createConversation(String serviceSid, String friendlyName, String uniqueName, String attributes,
                                    Conversation.State state, Duration inactiveTimer,
                                    Duration closedTimer, ConversationWebhooks.Origin origin) {
        Conversation conversation = store.create(serviceSid, friendlyName, uniqueName, attributes, state,
                inactiveTimer, closedTimer);
        webhooks.post(serviceSid, "onConversationAdded", origin, EventParams.conversation(conversation, null));
        return conversation;
    }

    void updateConversation(Conversation conversation, ConversationStore.ConversationUpdate update,
                            ConversationWebhooks.Origin origin) {
        Conversation.State from = conversation.state;
        store.update(conversation, update);
        webhooks.post(conversation.serviceSid, "onConversationUpdated", origin, EventParams.conversation(conversation, null));
        if (conversation.state != from) {
            webhooks.post(conversation.serviceSid, "onConversationStateUpdated", origin,
                    EventParams.stateUpdated(conversation, from, "API"));
        }
    }

    void deleteConversation(Conversation conversation, ConversationWebhooks.Origin origin) {
        store.delete(conversation);
        webhooks.post(conversation.serviceSid, "onConversationRemoved", origin,
                EventParams.conversation(conversation, store.now()));
    }

    // --- participants --------------------------------------------------------------------------------------

    /**
     * Adds a participant, unless the {@code onParticipantAdd} pre-event webhook rejects it. (Twilio documents no
     * modifiable fields for participants, so only the rejection counts.)
     */
    Participant addParticipant(Conversation conversation, String identity, Map<String, Object> binding,
                               String attributes, String roleSid, ConversationWebhooks.Origin origin) {
        store.requireCanAddParticipant(conversation, identity);
        String role = roleSid == null ? Roles.channelUser(conversation.serviceSid) : roleSid;
        ConversationWebhooks.PreEventAnswer answer = webhooks.pre(conversation.serviceSid, "onParticipantAdd", origin,
                EventParams.participantAdd(conversation, identity, binding, attributes == null ? "{}" : attributes, role));
        if (answer.rejected()) {
            throw TwilioError.rejectedByWebhook("onParticipantAdd", answer.rejectedWith());
        }
        requireStillThere(conversation);
        Participant participant = store.addParticipant(conversation, identity, binding, attributes, roleSid);
        webhooks.post(conversation.serviceSid, "onParticipantAdded", origin,
                EventParams.participant(participant, "onParticipantAdded", null));
        return participant;
    }

    void updateParticipant(Participant participant, ConversationStore.ParticipantUpdate update,
                           ConversationWebhooks.Origin origin) {
        store.updateParticipant(participant, update);
        webhooks.post(participant.conversation.serviceSid, "onParticipantUpdated", origin,
                EventParams.participant(participant, "onParticipantUpdated", null));
    }

    void removeParticipant(Participant participant, ConversationWebhooks.Origin origin) {
        participant.conversation.removeParticipant(participant.sid);
        webhooks.post(participant.conversation.serviceSid, "onParticipantRemoved", origin,
                EventParams.participant(participant, "onParticipantRemoved", store.now()));
    }

    // --- messages ------------------------------------------------------------------------------------------

    /**
     * Adds a message. The {@code onMessageAdd} pre-event webhook sees it first and may reject it (nothing is
     * stored, the caller gets an error) or replace its {@code body}, {@code author} and {@code attributes}
     * ("missing fields will be left unmodified"; "If modified values fail validation, the error will be returned
     * to the SDK (or REST client) that triggered the event").
     */
    ConversationMessage addMessage(Conversation conversation, String author, String body, String attributes,
                                   List<Media> media, ConversationWebhooks.Origin origin) {
        ConversationStore.requireOpen(conversation);
        String sentAttributes = attributes == null ? "{}" : attributes;
        ConversationWebhooks.PreEventAnswer answer = webhooks.pre(conversation.serviceSid, "onMessageAdd", origin,
                EventParams.messageAdd(conversation, author, body, sentAttributes, media,
                        participantSid(conversation, author)));
        if (answer.rejected()) {
            throw TwilioError.rejectedByWebhook("onMessageAdd", answer.rejectedWith());
        }
        String finalAttributes = answer.modified("attributes").orElse(sentAttributes);
        Json.requireJsonParameter("Attributes", finalAttributes);
        requireStillThere(conversation);
        ConversationMessage message = store.addMessage(conversation, answer.modified("author").orElse(author),
                answer.modified("body").orElse(body), finalAttributes, media);
        webhooks.post(conversation.serviceSid, "onMessageAdded", origin, EventParams.messageAdded(message));
        return message;
    }

    private static String participantSid(Conversation conversation, String author) {
        return conversation.participantByIdentity(author).map(p -> p.sid).orElse(null);
    }

    /** After a pre-event webhook (sent without the state lock) the conversation may have been deleted. */
    private void requireStillThere(Conversation conversation) {
        if (!store.exists(conversation)) {
            throw TwilioError.notFound("/v1/Conversations/" + conversation.sid);
        }
    }
}
