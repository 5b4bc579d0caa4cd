package com.flexwebchat.shared.chat;

import com.flexwebchat.shared.aws.AwsException;
import com.flexwebchat.shared.config.Transcripts;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.protection.RateLimits;
import com.flexwebchat.shared.store.KeyedHash;
import com.flexwebchat.shared.store.WebChatStore;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The chat each pre-engagement email started in the last 24 hours ({@link Transcripts#RECENT}),
 * so that {@code POST /email} without a token sends a transcript only to an address that started a
 * chat, and only that chat's. The store keeps a keyed hash of the address (never the address) with
 * the conversation SID, expiring after 24 hours; a newer chat from the same address takes its place.
 */
public final class RecentChats {

    static final String PREFIX = "recent-chat#";
    private static final Pattern CHAT_SID = Pattern.compile("CH[0-9a-f]{32}");

    private final WebChatStore store;
    private final KeyedHash hashes;
    private final Clock clock;

    /** @param store null when STORE_TABLE is not set: nothing is remembered, no address finds a chat */
    public RecentChats(WebChatStore store, KeyedHash hashes, Clock clock) {
        this.store = store;
        this.hashes = hashes;
        this.clock = clock;
    }

    /** Remembers that {@code email} started {@code chatSid}; the store failing only logs (the chat goes on). */
    public void remember(String email, String chatSid) {
        if (store == null || email == null) {
            return;
        }
        try {
            store.put(key(email), WebChatStore.ONLY, Map.of("chat", chatSid), clock.instant().plus(Transcripts.RECENT));
        } catch (AwsException e) {
            Log.warn("The chat's email was not remembered: a transcript by address will not find it",
                    "awsStatus", e.status(), "awsError", e.errorType(), "failOpen", true);
        }
    }

    /**
     * The chat {@code email} started in the last 24 hours, if any.
     *
     * @throws com.flexwebchat.shared.http.ApiError 503 {@code store_unavailable} when the store does not answer
     */
    public Optional<String> chatOf(String email) {
        if (store == null) {
            throw RateLimits.storeUnavailable();
        }
        Optional<Map<String, String>> item;
        try {
            item = store.get(key(email), WebChatStore.ONLY);
        } catch (AwsException e) {
            Log.warn("Request refused: the store did not answer", "awsStatus", e.status(), "awsError", e.errorType(),
                    "failOpen", false);
            throw RateLimits.storeUnavailable();
        }
        return item.map(i -> i.get("chat")).filter(sid -> sid != null && CHAT_SID.matcher(sid).matches());
    }

    private String key(String email) {
        return PREFIX + hashes.of(KeyedHash.Kind.EMAIL, email);
    }
}
