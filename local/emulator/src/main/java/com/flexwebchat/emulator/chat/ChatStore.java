package com.flexwebchat.emulator.chat;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.conversations.Roles;
import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.TwilioError;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** In-memory Programmable Chat v2 state. Callers hold the emulator's state lock. */
final class ChatStore {

    private final EmulatorAccount account;
    private final Clock clock;
    private final Map<String, ChatChannel> channels = new LinkedHashMap<>();

    ChatStore(EmulatorAccount account, Clock clock) {
        this.account = account;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    boolean hasService(String serviceSid) {
        return account.chatServiceSid().equals(serviceSid);
    }

    ChatChannel createChannel(String serviceSid, String friendlyName, String uniqueName, String attributes) {
        requireFreeUniqueName(serviceSid, uniqueName, null);
        ChatChannel channel = new ChatChannel(account.accountSid(), serviceSid, now());
        channel.friendlyName = friendlyName;
        channel.uniqueName = uniqueName;
        channel.attributes = attributes;
        channels.put(channel.sid, channel);
        return channel;
    }

    /** A channel by SID or unique name, as Chat accepts either in the URL. */
    Optional<ChatChannel> find(String serviceSid, String sidOrUniqueName) {
        return channels.values().stream()
                .filter(c -> c.serviceSid.equals(serviceSid))
                .filter(c -> c.sid.equals(sidOrUniqueName) || sidOrUniqueName.equals(c.uniqueName))
                .findFirst();
    }

    java.util.List<ChatChannel> channels(String serviceSid) {
        return channels.values().stream().filter(c -> c.serviceSid.equals(serviceSid)).toList();
    }

    Optional<ChatChannel> find(String sid) {
        return Optional.ofNullable(channels.get(sid));
    }

    /** Every channel of the service the identity is a member of (Chat v2 users exist implicitly here). */
    java.util.List<ChatMember> memberships(String serviceSid, String identity) {
        return channels.values().stream()
                .filter(c -> c.serviceSid.equals(serviceSid))
                .flatMap(c -> c.members().stream())
                .filter(m -> m.identity.equals(identity) || userSid(serviceSid, m.identity).equals(identity))
                .toList();
    }

    /** A stable user SID per identity: Chat creates the user when the identity first joins. */
    String userSid(String serviceSid, String identity) {
        return Sids.derived("US", serviceSid + "/" + identity);
    }

    void rename(ChatChannel channel, String uniqueName) {
        requireFreeUniqueName(channel.serviceSid, uniqueName, channel);
        channel.uniqueName = uniqueName;
    }

    ChatMember addMember(ChatChannel channel, String identity) {
        return channel.addMember(new ChatMember(channel, identity, Roles.channelUser(channel.serviceSid), now()));
    }

    private void requireFreeUniqueName(String serviceSid, String uniqueName, ChatChannel self) {
        if (uniqueName == null) {
            return;
        }
        boolean taken = channels.values().stream()
                .anyMatch(c -> c != self && c.serviceSid.equals(serviceSid) && uniqueName.equals(c.uniqueName));
        if (taken) {
            throw TwilioError.conflict(50307, "Channel with provided unique name already exists");
        }
    }
}
