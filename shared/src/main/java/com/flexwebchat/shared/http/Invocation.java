package com.flexwebchat.shared.http;

import com.flexwebchat.shared.aws.DynamoDb;
import com.amazonaws.services.lambda.runtime.Context;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.invocation.DeadlineExceeded;
import com.flexwebchat.shared.invocation.UpstreamTime;
import com.flexwebchat.shared.twilio.TwilioFailure;
import com.flexwebchat.shared.twilio.TwilioTransport;
import java.time.Duration;
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
    /** Mailers.UPSTREAM, which cannot be imported here: the mail package maps its failures to {@link ApiError}. */
    private static final String MAIL_UPSTREAM = "mail";

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
        HttpResponse response;
        try {
            response = work.get();
        } catch (ApiError e) {
            response = failed(e);
        } catch (TwilioFailure e) {
            response = failed(ApiError.of(e));
        } catch (DeadlineExceeded e) {
            response = failed(ApiError.of(e));
        } catch (RuntimeException e) {
            StackTraceElement[] trace = e.getStackTrace();
            Log.error("Unexpected failure", "exception", e.getClass().getName(), "at", trace.length == 0 ? "" : trace[0].toString());
            response = HttpResponse.error(ApiError.internal("Something went wrong; try again", e));
        } finally {
            Deadline.exit();
            UpstreamTime.exit();
        }
        Log.info("Request completed", "route", routeKey, "status", response.status(),
                "durationMillis", millis(System.nanoTime() - started),
                "twilioMillis", millis(upstreamTime.of(TwilioTransport.UPSTREAM).toNanos()),
                "storeMillis", millis(upstreamTime.of(DynamoDb.UPSTREAM).toNanos()),
                "mailMillis", millis(upstreamTime.of(MAIL_UPSTREAM).toNanos()),
                "waitingMillis", millis(upstreamTime.waiting().toNanos()));
        Log.end();
        return response;
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
