package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Router;
import com.flexwebchat.emulator.http.TwilioError;
import com.flexwebchat.emulator.mcs.Media;
import com.flexwebchat.emulator.mcs.MediaContentService;
import com.flexwebchat.emulator.webhooks.ConversationWebhooks;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Conversations v1 as the rest of the emulator sees it: the state ({@link ConversationStore}), the changes that
 * fire webhooks ({@link ConversationActions}) and the REST operations ({@link ConversationsApi},
 * {@link ConversationsConfigurationApi}). Resources come out as plain maps, rendered as the account-level
 * {@code GET} would answer them. Callers hold the state lock.
 */
public final class Conversations {

    private final EmulatorAccount account;
    private final ConversationStore store;
    private final ConversationActions actions;
    private final MediaContentService mcs;

    /** @param mcs the Media Content Service whose files messages attach */
    public Conversations(EmulatorAccount account, Clock clock, ConversationWebhooks webhooks, MediaContentService mcs) {
        this.account = account;
        this.store = new ConversationStore(account, clock);
        this.actions = new ConversationActions(store, webhooks);
        this.mcs = mcs;
    }

    public void register(Router router) {
        new ConversationsApi(store, actions, mcs.store(), account.conversationsServiceSid()).register(router);
        new ConversationsConfigurationApi(store.configuration()).register(router);
    }

    // --- for tests -----------------------------------------------------------------------------------------

    public Optional<Map<String, Object>> conversation(String sid) {
        return store.find(sid).map(c -> Json.plainCopy(c.toResource(accountScope())));
    }

    /** Oldest first; an unknown conversation throws {@link IllegalArgumentException}. */
    public List<Map<String, Object>> messages(String conversationSid) {
        List<Map<String, Object>> result = new ArrayList<>();
        existing(conversationSid).messages().forEach(m -> result.add(Json.plainCopy(m.toResource(accountScope()))));
        return result;
    }

    /** An unknown conversation throws {@link IllegalArgumentException}. */
    public List<Map<String, Object>> participants(String conversationSid) {
        List<Map<String, Object>> result = new ArrayList<>();
        existing(conversationSid).participants().forEach(p -> result.add(Json.plainCopy(p.toResource(accountScope()))));
        return result;
    }

    /** A User of the default service, by identity or SID. */
    public Optional<Map<String, Object>> user(String identity) {
        return store.findUser(account.conversationsServiceSid(), identity).map(u -> Json.plainCopy(u.toResource(accountScope())));
    }

    /**
     * Closes a conversation now, as its {@code Timers.Closed} timer would (firing {@code onConversationStateUpdated}
     * with {@code Reason=TIMER} when configured); an unknown one throws {@link IllegalArgumentException}.
     */
    public void close(String sid) {
        store.close(existing(sid));
    }

    /**
     * Adds a message as the Conversations SDK of participant {@code identity} would ({@link ConversationWebhooks.Origin#sdk}):
     * a non-participant or bad JSON throws {@link IllegalArgumentException}, a rejection by the pre-event webhook
     * {@link IllegalStateException} with Twilio's status, code and message.
     */
    public Map<String, Object> addMessageFromSdk(String conversationSid, String identity, String body, String attributes) {
        Conversation conversation = existing(conversationSid);
        requireParticipant(conversation, identity);
        Json.requireJsonArgument(attributes);
        return addFromSdk(conversation, identity, body, attributes, List.of());
    }

    /**
     * Sends a file as the Conversations SDK of participant {@code identity} does: uploaded to the conversation's
     * service in the Media Content Service (its {@code author} the identity), then a message without a body that
     * attaches it, with webhooks as for {@link #addMessageFromSdk}. Returns the message as {@code GET
     * .../Messages/{Sid}} would.
     *
     * @param filename null for none
     */
    public Map<String, Object> addMediaMessageFromSdk(String conversationSid, String identity, String filename,
                                                      String contentType, byte[] content) {
        Conversation conversation = existing(conversationSid);
        requireParticipant(conversation, identity);
        Media media = mcs.upload(conversation.serviceSid, identity, filename, contentType, content);
        return addFromSdk(conversation, identity, null, null, List.of(media));
    }

    private Map<String, Object> addFromSdk(Conversation conversation, String identity, String body, String attributes,
                                           List<Media> media) {
        try {
            ConversationMessage message = actions.addMessage(conversation, identity, body, attributes, media,
                    ConversationWebhooks.Origin.sdk(identity));
            return Json.plainCopy(message.toResource(accountScope()));
        } catch (TwilioError e) {
            throw new IllegalStateException(e.status() + " / " + e.code() + ": " + e.getMessage(), e);
        }
    }

    private static void requireParticipant(Conversation conversation, String identity) {
        if (conversation.participantByIdentity(identity).isEmpty()) {
            throw new IllegalArgumentException(identity + " is not a participant of " + conversation.sid);
        }
    }

    // --- for the Flex APIs ---------------------------------------------------------------------------------

    /**
     * Starts a chat as Flex's web chat orchestration does, on the state directly (no webhooks fire): an active
     * conversation of the default service with {@code attributes} and the default timers, the User of
     * {@code identity} (named {@code userFriendlyName} when new) and a participant for it. Returns its SID.
     */
    public String startChat(String friendlyName, String attributes, String identity, String userFriendlyName) {
        String serviceSid = account.conversationsServiceSid();
        Conversation conversation = store.create(serviceSid, friendlyName, null, attributes, Conversation.State.ACTIVE,
                null, null);
        store.ensureUser(serviceSid, identity, userFriendlyName);
        store.addParticipant(conversation, identity, null, null, null);
        return conversation.sid;
    }

    /** A conversation's state ({@code active}, {@code inactive} or {@code closed}, its timers applied), in any service. */
    public Optional<String> state(String sid) {
        return store.find(sid).map(c -> c.state.wire());
    }

    /** Closes a conversation, if it exists and is open, as an update to {@code closed} would, firing no webhooks. */
    public void closeWithoutWebhooks(String sid) {
        store.find(sid).filter(c -> !c.isClosed()).ifPresent(c -> store.update(c,
                new ConversationStore.ConversationUpdate(null, null, null, Conversation.State.CLOSED, null, null)));
    }

    private ConversationsScope accountScope() {
        return ConversationsScope.account(account.conversationsServiceSid());
    }

    private Conversation existing(String sid) {
        return store.find(sid).orElseThrow(() -> new IllegalArgumentException("no conversation " + sid));
    }
}
