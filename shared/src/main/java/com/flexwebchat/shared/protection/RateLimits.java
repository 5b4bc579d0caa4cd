package com.flexwebchat.shared.protection;

import com.flexwebchat.shared.aws.AwsException;
import com.flexwebchat.shared.config.Protections.Limit;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.metrics.MetricName;
import com.flexwebchat.shared.metrics.Metrics;
import com.flexwebchat.shared.store.WebChatStore;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Per-client limits, counted in the store so every instance sees every request: fixed windows (a
 * limit of 6 per hour is at most 6 in each clock hour), each a counter that only a conditional,
 * atomic increment can raise, so N concurrent requests over a limit of L get exactly L through.
 * Over the limit: 429 {@code rate_limited} with {@code Retry-After} (the seconds until the window
 * ends), before anything reaches Twilio.
 *
 * <p>When the store fails or is slow, the request is let through and the failure logged: a
 * contact centre's chats should not stop because its shared counters are unreachable, and API
 * Gateway's route throttling still caps the whole API.
 */
public final class RateLimits {

    private final WebChatStore store;
    private final Clock clock;

    /** @param store null when STORE_TABLE is not set: nothing is counted */
    public RateLimits(WebChatStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Counts one request of {@code subject} (a keyed hash, or a fixed name for the whole account)
     * against {@code limit}.
     *
     * @param name what is limited, for the key and the log ({@code chats-per-ip})
     * @return the count taken, to {@link #refund} if the request is then refused for another
     *         reason; null when nothing was counted (no store, no limit, the store down)
     * @throws ApiError 429 over the limit
     */
    public Counted count(String name, Limit limit, String subject) {
        return count(name, limit, subject, true);
    }

    /**
     * As {@link #count}, for a request that must not go ahead uncounted (one that sends email): the
     * store failing, or missing, refuses it with 503 {@code store_unavailable} instead.
     */
    public Counted countOrRefuse(String name, Limit limit, String subject) {
        if (store == null && limit.on()) {
            throw storeUnavailable();
        }
        return count(name, limit, subject, false);
    }

    /** 503: the store this request needs did not answer (or there is none); nothing was done. */
    public static ApiError storeUnavailable() {
        return ApiError.upstream(503, "store_unavailable", "This is not available right now; try again later");
    }

    private Counted count(String name, Limit limit, String subject, boolean failOpen) {
        if (store == null || !limit.on()) {
            return null;
        }
        long windowMillis = limit.window().toMillis();
        long now = clock.millis();
        long windowStart = now - Math.floorMod(now, windowMillis);
        Instant windowEnd = Instant.ofEpochMilli(windowStart + windowMillis);
        String key = "limit#" + name + "#" + subject + "#" + windowStart;
        OptionalLong counted;
        try {
            counted = store.countUpTo(key, limit.count(), windowEnd);
        } catch (AwsException e) {
            Log.warn(failOpen ? "Limit not applied: the store did not answer" : "Request refused: the store did not answer",
                    "limit", name, "awsStatus", e.status(), "awsError", e.errorType(), "failOpen", failOpen);
            if (!failOpen) {
                throw storeUnavailable();
            }
            return null;
        }
        if (counted.isEmpty()) {
            long retryAfter = (windowEnd.toEpochMilli() - now + 999) / 1000;
            Log.warn("Request over its limit", "limit", name, "subject", subject, "retryAfterSeconds", retryAfter);
            Metrics.count(MetricName.RequestsLimited);
            throw ApiError.rateLimited("Too many requests; try again in " + retryAfter + " seconds", retryAfter);
        }
        return new Counted(name, key);
    }

    /** One request's count against one limit, as {@link #count} took it. */
    public record Counted(String name, String key) {
    }

    /**
     * Gives back a count whose request was refused for another reason or answered without a new
     * chat (a repeated submit), so it does not use up the limit; the store failing only logs.
     */
    public void refund(Counted counted) {
        if (counted == null) {
            return;
        }
        try {
            store.uncount(counted.key());
        } catch (AwsException e) {
            Log.warn("Count not given back: the store did not answer", "limit", counted.name(), "awsStatus", e.status(),
                    "awsError", e.errorType());
        }
    }
}
