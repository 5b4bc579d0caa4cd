package com.flexwebchat.shared.protection;

import com.flexwebchat.shared.aws.AwsException;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.store.WebChatStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Effects that must happen once however many requests ask for them at the same moment. Twilio may
 * deliver a webhook event twice, even at once (two webhook configurations for one URL, a retry
 * racing a slow first attempt); a visitor's End chat may be sent twice (a double click, two tabs).
 * The effect's key (TaskRouter's event SID or Twilio's {@code I-Twilio-Idempotency-Token}, the
 * same for every delivery of one event; the chat for an ending) is recorded with a conditional
 * write before the effect; the request that wins the write takes effect, every other one answers
 * as if it had. One whose effect fails gives the record up, so a retry takes effect. The
 * read-before-write checks of each caller stay: they cover a retry after the record expired (a
 * day) and a store that failed.
 *
 * <p>When the store fails, the effect goes ahead (and its own checks keep it from repeating what is
 * already done): a lost notice is worse than a rare doubled one.
 */
public final class ExactlyOnce {

    static final String PREFIX = "event#";
    static final Duration KEPT = Duration.ofDays(1);

    private final WebChatStore store;
    private final Clock clock;

    /** @param store null when STORE_TABLE is not set: every delivery takes effect */
    public ExactlyOnce(WebChatStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param eventKey    the event's key, or null when it has none (then the effect just runs)
     * @param effect      what the event does
     * @param alreadyDone the answer to a delivery whose event another delivery took
     */
    public <T> T once(String eventKey, Supplier<T> effect, Supplier<T> alreadyDone) {
        if (store == null || eventKey == null || eventKey.isBlank() || eventKey.length() > 200) {
            return effect.get();
        }
        String pk = PREFIX + eventKey;
        boolean first;
        try {
            first = store.putIfAbsent(pk, WebChatStore.ONLY, Map.of(), clock.instant().plus(KEPT));
        } catch (AwsException e) {
            Log.warn("Event not recorded: the store did not answer; its own checks keep it from repeating",
                    "awsStatus", e.status(), "awsError", e.errorType(), "failOpen", true);
            return effect.get();
        }
        if (!first) {
            Log.info("Done already: another request for the same effect took it", "outcome", "duplicate_delivery");
            return alreadyDone.get();
        }
        try {
            return effect.get();
        } catch (RuntimeException e) {
            try {
                store.delete(pk, WebChatStore.ONLY);
            } catch (AwsException deleteFailed) {
                Log.warn("Event record not given up; Twilio's retry will be taken as done", "awsStatus", deleteFailed.status());
            }
            throw e;
        }
    }
}
