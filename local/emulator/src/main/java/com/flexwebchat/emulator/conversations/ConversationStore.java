package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.http.TwilioError;
import com.flexwebchat.emulator.mcs.Media;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory Conversations state: conversations (with their participants and messages) and users, per
 * conversation service. Enforces the rules Twilio enforces: unique names and identities, no participant twice,
 * and closed conversations being read-only. Callers hold the emulator's state lock.
 */
final class ConversationStore {

    /** Told when Twilio itself moves a conversation to another state, e.g. when a timer fires. */
    @FunctionalInterface
    interface StateListener {
        void changed(Conversation conversation, Conversation.State from, String reason);
    }

    private final EmulatorAccount account;
    private final Clock clock;
    private final ConversationsConfiguration configuration;
    private final Map<String, Conversation> conversations = new LinkedHashMap<>();
    private final Map<String, ConversationUser> users = new LinkedHashMap<>();
    private StateListener stateListener = (conversation, from, reason) -> { };

    ConversationStore(EmulatorAccount account, Clock clock) {
        this.account = account;
        this.clock = clock;
        this.configuration = new ConversationsConfiguration(account);
    }

    /** The account's Conversations settings, whose default timers new conversations get. */
    ConversationsConfiguration configuration() {
        return configuration;
    }

    void onStateChange(StateListener listener) {
        this.stateListener = listener;
    }

    Instant now() {
        return clock.instant();
    }

    /** Flex's conversation service is the only one, and the default for account-level endpoints. */
    boolean hasService(String serviceSid) {
        return account.conversationsServiceSid().equals(serviceSid);
    }

    /** Creates a conversation; timers not given are the account's defaults for the default service. */
    Conversation create(String serviceSid, String friendlyName, String uniqueName, String attributes,
                        Conversation.State state, Duration inactiveTimer, Duration closedTimer) {
        if (state == Conversation.State.CLOSED) {
            throw new TwilioError(400, 50384, "Initial state can't be 'closed'");
        }
        requireFreeUniqueName(serviceSid, uniqueName, null);
        Instant now = now();
        Conversation conversation = new Conversation(account.accountSid(), serviceSid, now);
        conversation.friendlyName = friendlyName;
        conversation.uniqueName = uniqueName;
        if (attributes != null) {
            conversation.attributes = attributes;
        }
        conversation.state = state == null ? Conversation.State.ACTIVE : state;
        conversation.startTimers(configuration.inactiveTimerFor(serviceSid, inactiveTimer),
                configuration.closedTimerFor(serviceSid, closedTimer), now);
        conversations.put(conversation.sid, conversation);
        return conversation;
    }

    /** A conversation by SID or unique name ("can be used to address the resource in place of the sid"). */
    Optional<Conversation> find(String serviceSid, String sidOrUniqueName) {
        Optional<Conversation> found = conversations.values().stream()
                .filter(c -> c.serviceSid.equals(serviceSid))
                .filter(c -> c.sid.equals(sidOrUniqueName) || sidOrUniqueName.equals(c.uniqueName))
                .findFirst();
        found.ifPresent(c -> applyTimers(c, now()));
        return found;
    }

    /** A conversation by SID in any service. */
    Optional<Conversation> find(String sid) {
        Optional<Conversation> found = Optional.ofNullable(conversations.get(sid));
        found.ifPresent(c -> applyTimers(c, now()));
        return found;
    }

    List<Conversation> list(String serviceSid) {
        Instant now = now();
        List<Conversation> result = new ArrayList<>();
        for (Conversation c : conversations.values()) {
            if (c.serviceSid.equals(serviceSid)) {
                applyTimers(c, now);
                result.add(c);
            }
        }
        return result;
    }

    /** Applies an update; a closed conversation can't be updated any more (it can still be deleted). */
    void update(Conversation conversation, ConversationUpdate update) {
        requireOpen(conversation);
        Instant now = now();
        if (update.uniqueName() != null) {
            requireFreeUniqueName(conversation.serviceSid, update.uniqueName(), conversation);
            conversation.uniqueName = update.uniqueName();
        }
        if (update.friendlyName() != null) {
            conversation.friendlyName = update.friendlyName();
        }
        if (update.attributes() != null) {
            conversation.attributes = update.attributes();
        }
        conversation.startTimers(update.inactiveTimer(), update.closedTimer(), now);
        conversation.dateUpdated = now;
        if (update.state() == Conversation.State.CLOSED) {
            conversation.close(now);
        } else if (update.state() != null) {
            conversation.state = update.state();
        }
    }

    /** What a conversation update may change; {@code null} leaves a field as it is. */
    record ConversationUpdate(String friendlyName, String uniqueName, String attributes, Conversation.State state,
                              Duration inactiveTimer, Duration closedTimer) {
    }

    /** Closes a conversation as its {@code Timers.Closed} timer would. */
    void close(Conversation conversation) {
        if (!conversation.isClosed()) {
            Conversation.State from = conversation.state;
            conversation.close(now());
            stateListener.changed(conversation, from, "TIMER");
        }
    }

    void delete(Conversation conversation) {
        conversations.remove(conversation.sid);
    }

    /**
     * Adds a chat participant (identity) or a messaging participant (binding). A chat participant's User is
     * created on the fly when the identity has none yet, as Conversations does.
     */
    Participant addParticipant(Conversation conversation, String identity, Map<String, Object> messagingBinding,
                               String attributes, String roleSid) {
        requireCanAddParticipant(conversation, identity);
        if (identity != null) {
            ensureUser(conversation.serviceSid, identity, null);
        }
        Participant participant = new Participant(conversation, identity, messagingBinding,
                attributes == null ? "{}" : attributes,
                roleSid == null ? Roles.channelUser(conversation.serviceSid) : roleSid, now());
        return conversation.addParticipant(participant);
    }

    /** The checks {@link #addParticipant} makes, for callers that must fail before asking a pre-event webhook. */
    void requireCanAddParticipant(Conversation conversation, String identity) {
        requireOpen(conversation);
        if (identity != null && conversation.participantByIdentity(identity).isPresent()) {
            throw TwilioError.conflict(50433, "Participant already exists");
        }
    }

    /** What a participant update may change; {@code null} leaves a field as it is. */
    record ParticipantUpdate(String attributes, String roleSid, Integer lastReadMessageIndex, String lastReadTimestamp) {
    }

    void updateParticipant(Participant participant, ParticipantUpdate update) {
        requireOpen(participant.conversation);
        if (update.attributes() != null) {
            participant.attributes = update.attributes();
        }
        if (update.roleSid() != null) {
            participant.roleSid = update.roleSid();
        }
        if (update.lastReadMessageIndex() != null) {
            participant.lastReadMessageIndex = update.lastReadMessageIndex();
        }
        if (update.lastReadTimestamp() != null) {
            participant.lastReadTimestamp = update.lastReadTimestamp();
        }
        participant.dateUpdated = now();
    }

    ConversationMessage addMessage(Conversation conversation, String author, String body, String attributes,
                                   List<Media> media) {
        requireOpen(conversation);
        return conversation.addMessage(author, body, attributes == null ? "{}" : attributes, media, now());
    }

    /** Whether a conversation still exists (it may have gone while a pre-event webhook was out). */
    boolean exists(Conversation conversation) {
        return conversations.get(conversation.sid) == conversation;
    }

    ConversationUser createUser(String serviceSid, String identity, String friendlyName, String attributes) {
        if (findUser(serviceSid, identity).isPresent()) {
            throw TwilioError.conflict(50201, "User already exists");
        }
        ConversationUser user = new ConversationUser(account.accountSid(), serviceSid, identity, friendlyName,
                Roles.serviceUser(serviceSid), now());
        if (attributes != null) {
            user.attributes = attributes;
        }
        users.put(user.sid, user);
        return user;
    }

    /** The existing user for an identity, or a new one. */
    ConversationUser ensureUser(String serviceSid, String identity, String friendlyName) {
        return findUser(serviceSid, identity).orElseGet(() -> createUser(serviceSid, identity, friendlyName, null));
    }

    /** A user by SID or identity (Twilio accepts either in the URL). */
    Optional<ConversationUser> findUser(String serviceSid, String sidOrIdentity) {
        return users.values().stream()
                .filter(u -> u.serviceSid.equals(serviceSid))
                .filter(u -> u.sid.equals(sidOrIdentity) || u.identity.equals(sidOrIdentity))
                .findFirst();
    }

    List<ConversationUser> findUsers(String serviceSid) {
        return users.values().stream().filter(u -> u.serviceSid.equals(serviceSid)).toList();
    }

    void touch(ConversationUser user) {
        user.dateUpdated = now();
    }

    /** The participants, across the service's conversations, with this identity or messaging address. */
    List<Participant> participations(String serviceSid, String identity, String address) {
        List<Participant> result = new ArrayList<>();
        for (Conversation c : list(serviceSid)) {
            for (Participant p : c.participants()) {
                boolean byIdentity = identity != null && identity.equals(p.identity);
                boolean byAddress = address != null && p.messagingBinding != null
                        && address.equals(p.messagingBinding.get("address"));
                if (byIdentity || byAddress) {
                    result.add(p);
                }
            }
        }
        return result;
    }

    /** Moves the state on as the conversation's timers would have by {@code now}, telling the listener. */
    private void applyTimers(Conversation conversation, Instant now) {
        Conversation.State from = conversation.state;
        conversation.applyTimers(now);
        if (conversation.state != from) {
            stateListener.changed(conversation, from, "TIMER");
        }
    }

    static void requireOpen(Conversation conversation) {
        if (conversation.isClosed()) {
            throw TwilioError.conversationClosed(conversation.sid);
        }
    }

    private void requireFreeUniqueName(String serviceSid, String uniqueName, Conversation self) {
        if (uniqueName == null) {
            return;
        }
        boolean taken = conversations.values().stream()
                .anyMatch(c -> c != self && c.serviceSid.equals(serviceSid) && uniqueName.equals(c.uniqueName));
        if (taken) {
            throw TwilioError.conflict(50353, "Conversation with provided unique name already exists");
        }
    }
}
