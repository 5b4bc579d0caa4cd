package com.flexwebchat.shared.http;

import com.flexwebchat.shared.aws.DynamoDb;
import com.amazonaws.services.lambda.runtime.Context;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.invocation.DeadlineExceeded;
import com.flexwebchat.shared.invocation.UpstreamTime;
import com.flexwebchat.shared.metrics.Metrics;
import com.flexwebchat.shared.metrics.UpstreamCall;
import com.flexwebchat.shared.twilio.TwilioFailure;
import com.flexwebchat.shared.twilio.TwilioTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What every route's invocation shares, browser or webhook: the log context, the deadline for
 * its remote calls and the count of the time spent on them, errors turned into JSON answers (an
 * {@link ApiError} with its status; a Twilio failure or a deadline run out as 502/504, mapped in
 * {@link ApiError#of}; anything else a 500 that says nothing of the cause), and one access line
 * with the time spent in total and waiting for Twilio.
 */
public final class Invocation {

    /** Kept back from Lambda's remaining time for writing the response. */
    private static final Duration RESPONSE_MARGIN = Duration.ofMillis(500);
    /** METRICS_NAMESPACE (the stack sets {@code FlexWebChat/<stack>}), else {@value Metrics#DEFAULT_NAMESPACE}. */
    private static final String NAMESPACE = namespace(System.getenv("METRICS_NAMESPACE"));
    /** The instance's first invocation is yet to come. */
    private static final AtomicBoolean COLD = new AtomicBoolean(true);
    private static final AtomicBoolean RESTORED = new AtomicBoolean(false);
    private static final java.util.concurrent.atomic.AtomicLong INIT_STARTED = new java.util.concurrent.atomic.AtomicLong();

    static String namespace(String configured) {
        return configured == null || configured.isBlank() || configured.length() > 255 ? Metrics.DEFAULT_NAMESPACE : configured.strip();
    }

    private Invocation() {
    }

    /**
     * @param budget the most the work may take, whatever the function's timeout (its caller's own
     *               timeout, for webhooks); null for the function's remaining time
     */
    public static HttpResponse run(String routeKey, Context context, Duration budget, Supplier<HttpResponse> work) {
        long started = System.nanoTime();
        Log.begin(context == null ? null : context.getAwsRequestId());
        Deadline.enter(Deadline.after(budget(context, budget)));
        UpstreamTime upstreamTime = new UpstreamTime();
        UpstreamTime.enter(upstreamTime);
        Metrics metrics = new Metrics();
        Metrics.enter(metrics);
        HttpResponse response;
        String outcome = null;
        try {
            response = work.get();
        } catch (ApiError e) {
            outcome = e.code();
            response = failed(e);
        } catch (TwilioFailure e) {
            ApiError error = ApiError.of(e);
            outcome = error.code();
            response = failed(error);
        } catch (DeadlineExceeded e) {
            ApiError error = ApiError.of(e);
            outcome = error.code();
            response = failed(error);
        } catch (RuntimeException e) {
            StackTraceElement[] trace = e.getStackTrace();
            Log.error("Unexpected failure", "exception", e.getClass().getName(), "at", trace.length == 0 ? "" : trace[0].toString());
            outcome = "internal_error";
            response = HttpResponse.error(ApiError.internal("Something went wrong; try again", e));
        } finally {
            Deadline.exit();
            UpstreamTime.exit();
            Metrics.exit();
        }
        long elapsed = System.nanoTime() - started;
        boolean cold = COLD.getAndSet(false);
        Metrics.Answer answer = new Metrics.Answer(shortRoute(routeKey), response.status(),
                outcome != null ? outcome : response.status() < 300 ? "ok" : "status_" + response.status(),
                elapsed / 1e6, cold, cold ? initMillis(started) : null);
        List<UpstreamCall> calls = upstreamTime.calls();
        UpstreamCall slowest = calls.stream().filter(c -> TwilioTransport.UPSTREAM.equals(c.upstream()))
                .max(Comparator.comparingDouble(UpstreamCall::millis)).orElse(null);
        Log.infoWithMetrics("Request completed", metrics.emf(NAMESPACE, answer, calls, Instant.now()),
                "route", routeKey, "status", response.status(),
                // Twilio by operation, for the logs (a metric dimension holds one value a line): the slowest call.
                "slowestTwilioCall", slowest == null ? null : slowest.operation(),
                "slowestTwilioStatus", slowest == null ? null : slowest.status(),
                "slowestTwilioMillis", slowest == null ? null : Math.round(slowest.millis() * 1000) / 1000.0,
                "durationMillis", millis(elapsed),
                "twilioMillis", millis(upstreamTime.of(TwilioTransport.UPSTREAM).toNanos()),
                "storeMillis", millis(upstreamTime.of(DynamoDb.UPSTREAM).toNanos()),
                "mailMillis", millis(upstreamTime.of(UpstreamCall.MAIL).toNanos()),
                "waitingMillis", millis(upstreamTime.waiting().toNanos()));
        Log.end();
        return response;
    }

    /**
     * The next invocation is an instance's first since a SnapStart restore: counted as a cold
     * start, with no init duration (the snapshot's init ran long before; Lambda reports the
     * restore's own duration).
     */
    public static void restored() {
        RESTORED.set(true);
        COLD.set(true);
    }

    /** {@code POST /initWebchat} as {@code initWebchat}: the last segment of the route, a metric dimension. */
    static String shortRoute(String routeKey) {
        if (routeKey == null || routeKey.isBlank()) {
            return "unknown";
        }
        String path = routeKey.substring(routeKey.lastIndexOf(' ') + 1);
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() || !last.matches("[A-Za-z0-9_-]{1,40}") ? "unknown" : last;
    }

    /**
     * The function's init begins ({@code WebChatRuntime} is being built in the handler's
     * constructor): the first call marks it.
     */
    public static void initStarted() {
        INIT_STARTED.compareAndSet(0, System.nanoTime());
    }

    /**
     * From the function's own init to this first invocation. The JVM's start before it is not read:
     * asking the OS for the process's start time cost 4 to 6 ms on a first request; Lambda's REPORT
     * line has the whole Init Duration anyway.
     */
    private static Double initMillis(long firstInvocationNanos) {
        long started = INIT_STARTED.get();
        return RESTORED.get() || started == 0 ? null : (firstInvocationNanos - started) / 1e6;
    }

    private static HttpResponse failed(ApiError error) {
        if (error.status() >= 500) {
            Log.error("Request failed", "status", error.status(), "code", error.code());
        }
        return HttpResponse.error(error);
    }

    private static Duration budget(Context context, Duration budget) {
        if (context == null || context.getRemainingTimeInMillis() <= 0) {
            return budget == null ? Duration.ofSeconds(10) : budget;
        }
        Duration remaining = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(RESPONSE_MARGIN);
        return budget == null || remaining.compareTo(budget) < 0 ? remaining : budget;
    }

    /** Milliseconds with microsecond precision: warm requests take a few of them. */
    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
