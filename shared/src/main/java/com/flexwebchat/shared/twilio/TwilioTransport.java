package com.flexwebchat.shared.twilio;

import com.flexwebchat.shared.metrics.UpstreamCall;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.invocation.UpstreamTime;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.standin.StandIn;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The twilio-java SDK's transport, replaced: the JDK's {@link java.net.http.HttpClient} instead of
 * Apache HttpClient, every call bounded by the invocation's {@link Deadline}, the base-URL
 * override for the emulator, and our retry policy instead of the SDK's (which retries any 5xx
 * three times, POSTs included):
 * <ul>
 *   <li>429 Too Many Requests is retried with full-jitter exponential backoff while the budget
 *       allows: Twilio did not process the request, so even a create is safe to repeat
 *       (https://www.twilio.com/docs/usage/rest-api-best-practices#handle-rate-limits).</li>
 *   <li>A 5xx or a timeout is never retried for a create or update: Twilio may have done it.
 *       A read (GET) is retried once after a 5xx.</li>
 * </ul>
 */
public final class TwilioTransport extends HttpClient {

    /** The name Twilio's time goes under in {@link UpstreamTime}. */
    public static final String UPSTREAM = UpstreamCall.TWILIO;
    /** The gateway's operation ("read the conversation") the calls on this thread belong to, for the metrics. */
    static final ThreadLocal<String> OPERATION = new ThreadLocal<>();
    /** The subdomain is everything before {@code .twilio.com}: {@code conversations}, {@code mcs.us1}. */
    private static final Pattern TWILIO_HOST = Pattern.compile("^https://([a-z0-9-]+(?:\\.[a-z0-9-]+)*)\\.twilio\\.com(/.*)?$");
    /** Below this a call cannot usefully start; answer 504 rather than start it. */
    static final Duration MIN_CALL = Duration.ofMillis(100);
    private static final int MAX_ATTEMPTS = 3;
    private static final long BACKOFF_BASE_MILLIS = 100;
    private static final long BACKOFF_CAP_MILLIS = 1_000;

    private final Supplier<java.net.http.HttpClient> clients;
    private volatile java.net.http.HttpClient http;
    /** While {@link #answeringFrom} runs, what answers every request instead of Twilio. */
    private final StandIn<Request> standIn = new StandIn<>();
    private final String baseUrl;
    private final Duration callTimeout;
    private final String userAgent;

    /**
     * @param clients     builds the HTTP client: once per cold start, and again after a SnapStart restore
     * @param baseUrl     null for Twilio itself, else e.g. {@code http://127.0.0.1:4010}
     * @param callTimeout the longest any one call may take, even with budget to spare
     */
    public TwilioTransport(Supplier<java.net.http.HttpClient> clients, URI baseUrl, Duration callTimeout, String userAgent) {
        this.clients = clients;
        this.http = clients.get();
        this.baseUrl = baseUrl == null ? null : baseUrl.toString();
        this.callTimeout = callTimeout;
        this.userAgent = userAgent;
    }

    /**
     * Drops the HTTP client with its pooled connections and builds a fresh one. After a SnapStart
     * restore the connections in the snapshot point at sockets that no longer exist; a create sent
     * on one would fail and, by our policy, not be retried
     * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html#snapstart-networking).
     */
    public void reconnect() {
        this.http = clients.get();
    }

    /**
     * Runs {@code work} with every Twilio request answered by {@code answers} instead of Twilio,
     * writes included: each request still goes through this transport's HTTP client, to a server
     * on 127.0.0.1 in this process that answers with what {@code answers} gave
     * ({@link StandIn}), so the client's whole path runs; nothing reaches Twilio. Time,
     * deadlines and retries behave as for a real call. For running real requests before a
     * SnapStart snapshot without effects at Twilio.
     */
    public void answeringFrom(Function<Request, Response> answers, Runnable work) {
        standIn.answering(request -> {
            Response answer = answers.apply(request);
            return new StandIn.Answer(answer.getStatusCode(), answer.getContent().getBytes(StandardCharsets.UTF_8));
        }, work);
    }

    @Override
    public Response reliableRequest(Request request) {
        Response response = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            response = makeRequest(request);
            int status = response.getStatusCode();
            boolean retryable = status == 429
                    || (attempt == 1 && status >= 500 && request.getMethod() == HttpMethod.GET);
            if (!retryable || attempt == MAX_ATTEMPTS) {
                return response;
            }
            long pause = ThreadLocalRandom.current().nextLong(
                    Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << attempt) + 1);
            if (remaining().minusMillis(pause).compareTo(MIN_CALL) < 0) {
                return response;
            }
            Log.warn("Twilio call will be retried", "twilioStatus", status, "attempt", attempt, "pauseMillis", pause);
            sleep(pause);
        }
        return response;
    }

    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return reliableRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        Duration remaining = remaining();
        if (remaining.compareTo(MIN_CALL) < 0) {
            throw new TwilioUnavailable("no time left in this invocation for a Twilio call", null);
        }
        Duration timeout = remaining.compareTo(callTimeout) < 0 ? remaining : callTimeout;

        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target(request)))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", userAgent);
        if (request.requiresAuthentication()) {
            builder.header("Authorization", request.getAuthString());
        }
        for (Map.Entry<String, List<String>> header : request.getHeaderParams().entrySet()) {
            for (String value : header.getValue()) {
                builder.header(header.getKey(), value);
            }
        }
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.DELETE) {
            builder.method(method.toString(), BodyPublishers.noBody());
        } else if (request.getBody() != null) {
            builder.header("Content-Type", "application/json")
                    .method(method.toString(), BodyPublishers.ofString(request.getBody()));
        } else {
            builder.header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method.toString(), BodyPublishers.ofString(request.encodeFormBody()));
        }

        UpstreamTime upstreamTime = UpstreamTime.current();
        long started = upstreamTime == null ? 0 : upstreamTime.callStarted(UPSTREAM);
        int status = 0;
        try {
            HttpRequest exchange = standIn.route(builder.build(), request);
            java.net.http.HttpResponse<String> response = http.send(exchange, BodyHandlers.ofString());
            status = response.statusCode();
            return new Response(response.body(), response.statusCode());
        } catch (HttpTimeoutException e) {
            throw new TwilioUnavailable("Twilio did not answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new TwilioUnavailable("Twilio could not be reached: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwilioUnavailable("interrupted while waiting for Twilio", e);
        } finally {
            if (upstreamTime != null) {
                upstreamTime.callEnded(UPSTREAM, started, status, OPERATION.get());
            }
        }
    }

    /** {@code https://{sub}.twilio.com{path}} → {@code {baseUrl}/{sub}{path}} when a base URL is set. */
    String target(Request request) {
        return target(request.constructURL().toString());
    }

    /**
     * {@code https://{sub}.twilio.com{path}} → {@code {baseUrl}/{sub}{path}} when a base URL is set (the subdomain
     * whole: {@code https://mcs.us1.twilio.com/v1} → {@code {baseUrl}/mcs.us1/v1}); the URL as it is otherwise.
     */
    String target(String url) {
        if (baseUrl == null) {
            return url;
        }
        Matcher matcher = TWILIO_HOST.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a Twilio API URL: " + url);
        }
        return baseUrl + "/" + matcher.group(1) + (matcher.group(2) == null ? "" : matcher.group(2));
    }

    /** The base URL Twilio's URLs go to instead of Twilio ({@code TWILIO_API_BASE_URL}), or null for Twilio itself. */
    String baseUrl() {
        return baseUrl;
    }

    /** The HTTP client of the moment (a fresh one after {@link #reconnect()}), for what the SDK can't fetch: files. */
    java.net.http.HttpClient http() {
        return http;
    }

    /** Whether requests are being answered by a stand-in ({@link #answeringFrom}): then nothing may leave the process. */
    boolean standingIn() {
        return standIn.active();
    }

    String userAgent() {
        return userAgent;
    }

    /** The time left for a call: the invocation's, or one call's timeout outside an invocation. */
    Duration remaining() {
        Deadline deadline = Deadline.current();
        return deadline == null ? callTimeout : deadline.remaining();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwilioUnavailable("interrupted while backing off", e);
        }
    }
}
