package com.flexwebchat.shared.protection;

import com.flexwebchat.shared.aws.AwsException;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.store.WebChatStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Effects that must happen once however many requests ask for them at the same moment. Twilio may
 * deliver a webhook event twice, even at once (two webhook configurations for one URL, a retry
 * racing a slow first attempt); a visitor's End chat may be sent twice (a double click, two tabs);
 * and different triggers may ask for one effect (the agent's wrap-up and the task's completion,
 * or the visitor's End chat, all end the same chat). The effect's key is recorded with a
 * conditional write before the effect; the request that wins the write takes effect, every other
 * one answers as if it had. The key names the effect, not the request:
 * <ul>
 *   <li>a webhook event: TaskRouter's event SID, else Twilio's {@code I-Twilio-Idempotency-Token},
 *       so a repeated delivery costs no Twilio call;</li>
 *   <li>a chat's ending: the chat ({@link #chatEnding}), for every trigger that ends it
 *       ({@code /endChat}, {@code task.wrapup}, {@code task.canceled}, {@code task.completed}):
 *       whichever comes first posts its notice and closes the chat, the others find it taken;</li>
 *   <li>an agent's join: the participant, whatever the delivery's token.</li>
 * </ul>
 *
 * <p>The record is a lease while the effect runs ({@link #LEASE}, longer than any function may
 * run) and is kept for a day once it took effect. One whose effect fails (an exception or an
 * error) gives the record up, so a retry takes effect; one stopped where nothing more of it runs
 * (Lambda's timeout) holds the key only until its lease ends. The read-before-write checks of
 * each caller stay: they cover a retry after the record expired, a store that failed, and a
 * step whose answer was lost.
 *
 * <p>When the store fails, the effect goes ahead (and its own checks keep it from repeating what is
 * already done): a lost notice is worse than a rare doubled one.
 */
public final class ExactlyOnce {

    static final String PREFIX = "event#";
    /** How long a record outlives its effect: repeated deliveries come within minutes, Twilio's retries within hours. */
    static final Duration KEPT = Duration.ofDays(1);
    /**
     * How long a claim holds while its effect runs: well over the longest function timeout
     * (template.yaml: 15 s), so a live holder is never overtaken, and short enough that the retry
     * of an effect whose function was stopped mid-way takes effect.
     */
    static final Duration LEASE = Duration.ofSeconds(60);

    /**
     * Kept back from the effect's time for the store's answer to it (the claim given up, or kept):
     * an effect that used the function's whole time, waiting for a Twilio that never answered,
     * would otherwise leave its claim held for the lease, and the caller's retry would be answered
     * as done with nothing done.
     */
    static final Duration FOR_THE_RECORD = Duration.ofMillis(300);

    private final WebChatStore store;
    private final Clock clock;

    /** @param store null when STORE_TABLE is not set: every delivery takes effect */
    public ExactlyOnce(WebChatStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The key of a chat's ending, the same for every trigger that ends it. */
    public static String chatEnding(String chatSid) {
        return "ending#" + chatSid;
    }

    /**
     * @param eventKey    the effect's key, or null when it has none (then the effect just runs)
     * @param effect      what the event does
     * @param alreadyDone the answer to a request whose effect another request took
     */
    public <T> T once(String eventKey, Supplier<T> effect, Supplier<T> alreadyDone) {
        if (store == null || eventKey == null || eventKey.isBlank() || eventKey.length() > 200) {
            return effect.get();
        }
        String pk = PREFIX + eventKey;
        boolean first;
        try {
            first = store.putIfAbsent(pk, WebChatStore.ONLY, Map.of(), clock.instant().plus(LEASE));
        } catch (AwsException e) {
            Log.warn("Event not recorded: the store did not answer; its own checks keep it from repeating",
                    "awsStatus", e.status(), "awsError", e.errorType(), "failOpen", true);
            return effect.get();
        }
        if (!first) {
            Log.info("Done already: another request for the same effect took it", "outcome", "duplicate_delivery");
            return alreadyDone.get();
        }
        T result;
        try {
            result = Deadline.keepingBack(FOR_THE_RECORD, effect);
        } catch (RuntimeException | Error e) {
            try {
                store.delete(pk, WebChatStore.ONLY);
            } catch (AwsException deleteFailed) {
                Log.warn("Event record not given up; a retry within its lease will be taken as done",
                        "awsStatus", deleteFailed.status());
            }
            throw e;
        }
        try {
            store.put(pk, WebChatStore.ONLY, Map.of(), clock.instant().plus(KEPT));
        } catch (AwsException e) {
            Log.warn("Event record not kept past its lease; a later repeat relies on the effect's own checks",
                    "awsStatus", e.status(), "awsError", e.errorType(), "failOpen", true);
        }
        return result;
    }
}
