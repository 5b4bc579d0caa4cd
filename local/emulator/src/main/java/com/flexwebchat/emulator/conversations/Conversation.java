package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.Timestamps;
import com.flexwebchat.emulator.mcs.Media;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Conversations conversation with its participants and messages.
 *
 * <p>States and timers follow <a href="https://www.twilio.com/docs/conversations/states-timers">Conversation
 * states and timers</a>: {@code active} and {@code inactive} conversations take messages (a message makes an
 * inactive one active again and restarts the inactive timer); {@code closed} is final and read-only. Timers are
 * applied lazily whenever the conversation is looked at.
 */
final class Conversation {

    enum State {
        ACTIVE, INACTIVE, CLOSED;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    final String sid = Sids.random("CH");
    final String accountSid;
    final String serviceSid;
    final Instant dateCreated;
    String friendlyName;
    String uniqueName;
    String attributes = "{}";
    State state = State.ACTIVE;
    Instant dateUpdated;
    private Duration inactiveTimer;
    private Instant dateInactive;
    private Instant dateClosed;
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private final List<ConversationMessage> messages = new ArrayList<>();
    private int nextMessageIndex;

    Conversation(String accountSid, String serviceSid, Instant now) {
        this.accountSid = accountSid;
        this.serviceSid = serviceSid;
        this.dateCreated = now;
        this.dateUpdated = now;
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Moves the state on as Twilio's timers would have by {@code now}. */
    void applyTimers(Instant now) {
        if (isClosed()) {
            return;
        }
        if (dateClosed != null && !now.isBefore(dateClosed)) {
            close(dateClosed);
        } else if (dateInactive != null && !now.isBefore(dateInactive)) {
            state = State.INACTIVE;
            dateUpdated = dateInactive;
            dateInactive = null;
        }
    }

    void close(Instant now) {
        state = State.CLOSED;
        dateInactive = null;
        dateClosed = null;
        inactiveTimer = null;
        dateUpdated = now;
    }

    /** Starts the timers given (either may be {@code null}), measured from {@code now}. */
    void startTimers(Duration inactive, Duration closed, Instant now) {
        if (inactive != null) {
            inactiveTimer = inactive;
            dateInactive = now.plus(inactive);
        }
        if (closed != null) {
            dateClosed = now.plus(closed);
        }
    }

    Participant addParticipant(Participant participant) {
        participants.put(participant.sid, participant);
        return participant;
    }

    Collection<Participant> participants() {
        return participants.values();
    }

    Optional<Participant> participant(String sid) {
        return Optional.ofNullable(participants.get(sid));
    }

    Optional<Participant> participantByIdentity(String identity) {
        return participants.values().stream().filter(p -> identity.equals(p.identity)).findFirst();
    }

    void removeParticipant(String sid) {
        participants.remove(sid);
    }

    ConversationMessage addMessage(String author, String body, String attributes, List<Media> media, Instant now) {
        String participantSid = participantByIdentity(author).map(p -> p.sid).orElse(null);
        ConversationMessage message = new ConversationMessage(this, nextMessageIndex++, author, body, attributes,
                media, participantSid, now);
        messages.add(message);
        media.forEach(file -> file.attachTo(sid, message.sid, now));
        // Activity re-activates an inactive conversation and restarts its inactive timer.
        state = State.ACTIVE;
        if (inactiveTimer != null) {
            dateInactive = now.plus(inactiveTimer);
        }
        return message;
    }

    List<ConversationMessage> messages() {
        return messages;
    }

    Optional<ConversationMessage> message(String sid) {
        return messages.stream().filter(m -> m.sid.equals(sid)).findFirst();
    }

    Map<String, String> timers() {
        Map<String, String> timers = new LinkedHashMap<>();
        if (dateInactive != null) {
            timers.put("date_inactive", Timestamps.format(dateInactive));
        }
        if (dateClosed != null) {
            timers.put("date_closed", Timestamps.format(dateClosed));
        }
        return timers;
    }

    String url(ConversationsScope scope) {
        return scope.base() + "/Conversations/" + sid;
    }

    /** The {@code conversations.v1.conversation} / {@code ...service_conversation} resource. */
    Map<String, Object> toResource(ConversationsScope scope) {
        String url = url(scope);
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("participants", url + "/Participants");
        links.put("messages", url + "/Messages");
        links.put("webhooks", url + "/Webhooks");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("account_sid", accountSid);
        r.put("chat_service_sid", serviceSid);
        r.put("messaging_service_sid", null);
        r.put("sid", sid);
        r.put("friendly_name", friendlyName);
        r.put("unique_name", uniqueName);
        r.put("attributes", attributes);
        r.put("state", state.wire());
        r.put("date_created", Timestamps.format(dateCreated));
        r.put("date_updated", Timestamps.format(dateUpdated));
        r.put("timers", timers());
        r.put("url", url);
        r.put("links", links);
        // Email bindings are not emulated; Twilio renders an empty object when there are none.
        r.put("bindings", Map.of());
        return r;
    }
}
