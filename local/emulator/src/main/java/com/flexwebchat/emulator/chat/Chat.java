package com.flexwebchat.emulator.chat;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Router;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Programmable Chat v2 as the rest of the emulator sees it: the channels of the account's chat service
 * ({@link ChatStore}), where legacy Flex web chats live, and their REST operations ({@link ChatApi}). Resources
 * come out as plain maps, as {@code GET} would answer them. Callers hold the state lock.
 */
public final class Chat {

    private final EmulatorAccount account;
    private final ChatStore store;

    public Chat(EmulatorAccount account, Clock clock) {
        this.account = account;
        this.store = new ChatStore(account, clock);
    }

    public void register(Router router) {
        new ChatApi(store).register(router);
    }

    // --- for tests -----------------------------------------------------------------------------------------

    public Optional<Map<String, Object>> channel(String sid) {
        return store.find(sid).map(c -> Json.plainCopy(c.toResource()));
    }

    /** Oldest first; an unknown channel throws {@link IllegalArgumentException}. */
    public List<Map<String, Object>> messages(String channelSid) {
        List<Map<String, Object>> result = new ArrayList<>();
        existing(channelSid).messages().forEach(m -> result.add(Json.plainCopy(m.toResource())));
        return result;
    }

    /** Replaces a channel's attributes; an unknown channel throws {@link IllegalArgumentException}. */
    public void updateAttributes(String sid, String attributes) {
        ChatChannel channel = existing(sid);
        channel.attributes = attributes;
        channel.dateUpdated = store.now();
    }

    // --- for the Flex API ----------------------------------------------------------------------------------

    /**
     * Starts a chat as legacy Flex web chat does: a channel of the account's chat service with {@code attributes},
     * and a member for {@code identity}. A taken unique name answers Twilio's 409. Returns the channel's SID.
     */
    public String startChat(String friendlyName, String uniqueName, String attributes, String identity) {
        ChatChannel channel = store.createChannel(account.chatServiceSid(), friendlyName, uniqueName, attributes);
        store.addMember(channel, identity);
        return channel.sid;
    }

    /** A channel's attributes (JSON), if the channel exists. */
    public Optional<String> attributes(String sid) {
        return store.find(sid).map(c -> c.attributes);
    }

    private ChatChannel existing(String sid) {
        return store.find(sid).orElseThrow(() -> new IllegalArgumentException("no chat channel " + sid));
    }
}
