package com.flexwebchat.shared.mail;

import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.invocation.UpstreamTime;
import com.flexwebchat.shared.log.Log;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Function;

/**
 * The HTTP exchange both mailers share: the JDK's client (connections kept for the next email, a fresh client
 * after a SnapStart restore), each call bounded by its own timeout and by the invocation's {@link Deadline}, its
 * time counted under {@value Mailers#UPSTREAM} in {@link UpstreamTime}, and the one retry there is.
 *
 * <p>Retry policy: only a 429 is sent again, once, after {@link #THROTTLE_PAUSE}, and only when at least
 * {@link #MIN_RETRY} of the invocation's time is left after the pause. A 429 says the provider did not take the
 * email (SES's TooManyRequestsException is its per-second sending rate, 1/s in the sandbox; SendGrid's is a rate
 * limit), so a second try cannot send it twice. Nothing else is retried: after a 5xx, a timeout or a dropped
 * connection the email may have gone, and a visitor must not get their transcript twice.
 */
final class MailHttp {

    /** Below this a call cannot usefully start: it is not started, and the failure says the email was not sent. */
    static final Duration MIN_CALL = Duration.ofMillis(100);
    static final Duration THROTTLE_PAUSE = Duration.ofSeconds(1);
    /** What a second try needs after the pause, at the least, to be worth making. */
    static final Duration MIN_RETRY = Duration.ofSeconds(1);

    private final String provider;
    private final Duration callTimeout;
    private volatile HttpClient http;

    MailHttp(String provider, Duration callTimeout) {
        this.provider = provider;
        this.callTimeout = callTimeout;
        this.http = newClient();
    }

    /** Fresh connections, for after a SnapStart restore (the snapshot's sockets are gone). */
    void reconnect() {
        http = newClient();
    }

    /**
     * Sends the request {@code build} makes for the time the call may take, and again once after a 429 when time
     * allows (see the class comment).
     *
     * @param build the request, given its timeout (SES signs each attempt)
     * @throws MailFailure {@link MailFailure.Kind#NO_ANSWER} when no answer came
     */
    HttpResponse<byte[]> exchange(Function<Duration, HttpRequest> build) {
        HttpResponse<byte[]> response = once(build);
        if (response.statusCode() == 429 && timeLeftAfterPause()) {
            Log.warn("Email provider throttled the email; trying once more", "provider", provider,
                    "pauseMillis", THROTTLE_PAUSE.toMillis());
            sleep(THROTTLE_PAUSE);
            response = once(build);
        }
        return response;
    }

    private HttpResponse<byte[]> once(Function<Duration, HttpRequest> build) {
        Duration timeout = callTimeout;
        Deadline deadline = Deadline.current();
        if (deadline != null && deadline.remaining().compareTo(timeout) < 0) {
            timeout = deadline.remaining();
        }
        if (timeout.compareTo(MIN_CALL) < 0) {
            throw MailFailure.noAnswer(provider, false, "no time left in this invocation to send the email", null);
        }
        HttpRequest request = build.apply(timeout);
        UpstreamTime time = UpstreamTime.current();
        long started = time == null ? 0 : time.callStarted(Mailers.UPSTREAM);
        int status = 0;
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            status = response.statusCode();
            return response;
        } catch (HttpConnectTimeoutException e) {
            throw MailFailure.noAnswer(provider, false, "no connection within the call's time", e);
        } catch (HttpTimeoutException e) {
            throw MailFailure.noAnswer(provider, true, "no answer within " + timeout.toMillis() + " ms", e);
        } catch (ConnectException e) {
            throw MailFailure.noAnswer(provider, false, "could not connect (" + e.getClass().getSimpleName() + ")", e);
        } catch (IOException e) {
            // A reset or a closed connection mid-exchange: the request may have arrived.
            throw MailFailure.noAnswer(provider, true, "the connection failed (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MailFailure.noAnswer(provider, true, "interrupted while waiting", e);
        } finally {
            if (time != null) {
                time.callEnded(Mailers.UPSTREAM, started, status);
            }
        }
    }

    private static boolean timeLeftAfterPause() {
        Deadline deadline = Deadline.current();
        return deadline == null || deadline.remaining().minus(THROTTLE_PAUSE).compareTo(MIN_RETRY) >= 0;
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MailFailure.noAnswer(provider, false, "interrupted before trying again", e);
        }
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }
}
