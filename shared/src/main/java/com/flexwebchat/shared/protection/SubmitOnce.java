package com.flexwebchat.shared.protection;

import com.flexwebchat.shared.aws.AwsException;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.store.WebChatStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One chat per submit: a double click or a retried request (the same client sending the same form
 * within DUPLICATE_SUBMIT_WINDOW) gets the chat the first one started, and nothing new is created
 * at Twilio. The first request claims the submit's key in the store with a conditional write and,
 * once its chat exists, records the chat on it; a request that finds the key claimed waits for
 * that record (the first is still at Twilio) and answers with the same chat. A first request that
 * fails gives its claim up, so a retry goes ahead.
 *
 * <p>When the store fails, the submit goes ahead: a second chat is the lesser harm than none.
 */
public final class SubmitOnce {

    /**
     * A chat a submit started.
     *
     * @param identity the visitor's identity as the store may keep it: sealed by the caller
     *                 ({@link com.flexwebchat.shared.store.SealedValues}), never in the clear
     */
    public record Started(String chatSid, String identity) {
    }

    /** The outcome of claiming a submit. */
    public sealed interface Claim permits Claim.First, Claim.Repeat {
        /** This request goes ahead; it must then call {@link #started} or {@link #failed}. */
        record First(String key) implements Claim {
        }

        /** An earlier request started this chat. */
        record Repeat(Started chat) implements Claim {
        }
    }

    static final String PREFIX = "submit#";
    private static final Duration POLL = Duration.ofMillis(100);
    /** Kept back from the deadline for answering after the wait. */
    private static final Duration MARGIN = Duration.ofSeconds(1);

    private final WebChatStore store;
    private final Duration window;
    private final Clock clock;

    /** @param store null when STORE_TABLE is not set: every submit goes ahead */
    public SubmitOnce(WebChatStore store, Duration window, Clock clock) {
        this.store = store;
        this.window = window;
        this.clock = clock;
    }

    /** @param key a keyed hash of who submitted what */
    public Claim claim(String key) {
        if (store == null) {
            return new Claim.First(null);
        }
        String pk = PREFIX + key;
        try {
            while (true) {
                if (store.putIfAbsent(pk, WebChatStore.ONLY, Map.of(), clock.instant().plus(window))) {
                    return new Claim.First(pk);
                }
                Optional<Map<String, String>> claimed = store.get(pk, WebChatStore.ONLY);
                if (claimed.isPresent() && claimed.get().containsKey("chatSid")) {
                    Log.info("Repeated submit answered with the chat it started", "submit", key);
                    return new Claim.Repeat(new Started(claimed.get().get("chatSid"), claimed.get().get("identity")));
                }
                Deadline deadline = Deadline.current();
                if (deadline != null && deadline.remaining().compareTo(MARGIN.plus(POLL)) < 0) {
                    throw ApiError.conflict("chat_starting", "This chat is still being started; try again in a moment");
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (AwsException e) {
            Log.warn("Submit not checked for repeats: the store did not answer", "awsStatus", e.status(),
                    "awsError", e.errorType(), "failOpen", true);
            return new Claim.First(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.conflict("chat_starting", "This chat is still being started; try again in a moment");
        }
    }

    /** Records the chat a {@link Claim.First} started, for its repeats. */
    public void started(Claim.First claim, Started chat) {
        if (store == null || claim.key() == null) {
            return;
        }
        try {
            store.set(claim.key(), WebChatStore.ONLY, Map.of("chatSid", chat.chatSid(), "identity", chat.identity()));
        } catch (AwsException e) {
            Log.warn("Started chat not recorded for repeated submits", "awsStatus", e.status(), "awsError", e.errorType());
        }
    }

    /** Gives up a {@link Claim.First} whose chat was not started, so a retry goes ahead. */
    public void failed(Claim.First claim) {
        if (store == null || claim.key() == null) {
            return;
        }
        try {
            store.delete(claim.key(), WebChatStore.ONLY);
        } catch (AwsException e) {
            Log.warn("Submit claim not given up; a retry waits for it to expire", "awsStatus", e.status(), "awsError", e.errorType());
        }
    }
}
