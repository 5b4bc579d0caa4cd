package com.flexwebchat.shared.twilio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.invocation.UpstreamTime;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.twilio.exception.ApiException;
import com.twilio.exception.RestException;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The files of a conversation's media messages, read from Twilio's Media Content Service (MCS) with the account's
 * own credentials: a message's {@code media} lists each file's SID, and only such a SID is ever fetched, never a URL
 * a client sent.
 *
 * <p>Two requests per file (https://www.twilio.com/docs/conversations/api/media-resource): {@code GET
 * https://mcs.us1.twilio.com/v1/Services/{ChatServiceSid}/Media/{MediaSid}} with HTTP Basic credentials, through
 * the {@link TwilioGateway} like any Twilio call (so {@code TWILIO_API_BASE_URL} points it at the emulator as it
 * does every Twilio URL, 429s and a GET's 5xx are retried, failures are {@link TwilioFailure}s); then the file at
 * the resource's {@code links.content_direct_temporary}, a pre-signed, time-limited link fetched with a plain GET
 * and no credentials (the account's must never go to it). "The Twilio Helper Libraries ... don't support the
 * Media resource", so the first request is the SDK's generic {@code Request}, the second the transport's JDK
 * client, reading the body as it comes.
 *
 * <p>Rules for the second request:
 * <ul>
 *   <li>The link must be on Twilio's media hosts ({@code https://media.us1.twilio.com} is where MCS points; any
 *       {@code media.*} or {@code mcs.*} host of {@code twilio.com}, on the https port), mapped to the base URL
 *       when one is set, or already on the configured base URL: anything else is refused, unfetched (a
 *       {@link TwilioFailure}: Twilio's answer is unusable). Redirects are never followed.</li>
 *   <li>A file Twilio declares larger than the caller's limit is not fetched at all; one whose body runs past the
 *       limit anyway is cut off there (the connection closed, nothing more read). Both come back
 *       {@link MediaContent#tooLarge()}.</li>
 *   <li>A body shorter or longer than the size Twilio declared is an unreadable answer.</li>
 *   <li>It takes at most {@link #DOWNLOAD_TIMEOUT}, and never beyond the invocation's deadline; its time counts as
 *       Twilio's in {@link UpstreamTime} ({@link TwilioTransport#UPSTREAM}). It is not sent at all while the
 *       transport answers from stand-ins.</li>
 *   <li>A 403 (the link expired, or its signature is refused) or any other error status is Twilio's error answer;
 *       nothing is retried: a caller that wants another try calls {@link #fetch} again, which signs a fresh link.</li>
 * </ul>
 * Built once per cold start, on the gateway's transport, so a SnapStart restore's {@code reconnect} renews its
 * connections too.
 */
public final class ConversationMedia {

    /** No file download may take longer than this, whatever budget is left. */
    public static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(10);
    /**
     * "The base URL for Media via the Media Content Service (MCS) is: https://mcs.us1.twilio.com/v1". Accounts in
     * other regions are not handled.
     */
    static final String MCS = "https://mcs.us1.twilio.com";
    static final String OPERATION = "read the chat's media";
    private static final Pattern SERVICE_SID = Pattern.compile("IS[0-9a-fA-F]{32}");
    private static final Pattern MEDIA_SID = Pattern.compile("ME[0-9a-fA-F]{32}");
    private static final Pattern MEDIA_HOST = Pattern.compile("(?:media|mcs)(?:\\.[a-z0-9-]+)*\\.twilio\\.com");
    /** What is read of an error answer's body, which nobody looks at. */
    private static final long ERROR_BODY_LIMIT = 4_096;

    private final TwilioGateway twilio;
    private final TwilioTransport transport;
    private final Duration downloadTimeout;

    public ConversationMedia(TwilioGateway twilio) {
        this(twilio, DOWNLOAD_TIMEOUT);
    }

    ConversationMedia(TwilioGateway twilio, Duration downloadTimeout) {
        this.twilio = twilio;
        this.transport = twilio.transport();
        this.downloadTimeout = downloadTimeout;
    }

    /**
     * A file of the service's media, as a message's {@code media} names it; empty when MCS has no such file (404).
     *
     * @param chatServiceSid the conversation's service ({@code IS...}: Flex's conversations service)
     * @param mediaSid       the file ({@code ME...}), from a message's media list
     * @param maxBytes       the largest file to read; a larger one comes back {@link MediaContent#tooLarge()}
     * @throws TwilioFailure            whatever went wrong at Twilio or on the way, as for any Twilio call
     * @throws IllegalArgumentException for SIDs that are not SIDs
     */
    public Optional<MediaContent> fetch(String chatServiceSid, String mediaSid, long maxBytes) {
        require(SERVICE_SID, chatServiceSid, "chatServiceSid");
        require(MEDIA_SID, mediaSid, "mediaSid");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        Optional<Described> found = twilio.find(OPERATION, client -> describe(client, chatServiceSid, mediaSid));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Described media = found.get();
        if (media.size() != null && media.size() > maxBytes) {
            return Optional.of(new MediaContent(media.sid(), media.contentType(), media.filename(), media.size(), null));
        }
        return Optional.of(download(media, contentUri(media.link()), maxBytes));
    }

    /** What MCS says of a file: what a transcript shows of it, and where its bytes are. */
    private record Described(String sid, String contentType, String filename, Long size, String link) {
    }

    private static Described describe(TwilioRestClient client, String chatServiceSid, String mediaSid) {
        Response response = client.request(new Request(HttpMethod.GET, MCS + "/v1/Services/" + chatServiceSid + "/Media/" + mediaSid));
        int status = response.getStatusCode();
        if (status < 200 || status >= 300) {
            throw errorAnswer(client, response);
        }
        JsonNode media;
        try {
            media = Json.parse(response.getContent());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        if (media == null || !mediaSid.equals(media.path("sid").asText(null))) {
            throw TwilioFailure.incompleteAnswer(OPERATION, "sid of the media asked for");
        }
        JsonNode size = media.path("size");
        return new Described(mediaSid, text(media.path("content_type")), text(media.path("filename")),
                size.isIntegralNumber() && size.asLong() >= 0 ? size.asLong() : null,
                TwilioFailure.require(OPERATION, "links.content_direct_temporary",
                        text(media.path("links").path("content_direct_temporary"))));
    }

    /** Twilio's error, as the SDK's own fetchers raise it: the gateway maps it (a 404 to nothing found). */
    private static ApiException errorAnswer(TwilioRestClient client, Response response) {
        RestException error = null;
        try {
            error = RestException.fromJson(response.getStream(), client.getObjectMapper());
        } catch (RuntimeException unreadable) {
            // Not Twilio's error shape: the status is all there is.
        }
        return error != null && error.getStatus() != null ? new ApiException(error)
                : new ApiException("MCS answered HTTP " + response.getStatusCode(), response.getStatusCode());
    }

    /**
     * The link to fetch: on Twilio's media hosts (mapped to the base URL when one is set), or already on the
     * configured base URL; anything else is refused.
     */
    private URI contentUri(String link) {
        URI uri;
        try {
            uri = new URI(link);
        } catch (URISyntaxException e) {
            throw refused(null);
        }
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        boolean twilioMedia = "https".equals(uri.getScheme()) && host != null && MEDIA_HOST.matcher(host).matches()
                && uri.getRawUserInfo() == null && (uri.getPort() == -1 || uri.getPort() == 443)
                && uri.getRawPath() != null && uri.getRawPath().startsWith("/") && uri.getRawPath().length() > 1;
        if (twilioMedia) {
            return URI.create(transport.target("https://" + host + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())));
        }
        String base = transport.baseUrl();
        if (base != null && onBase(uri, URI.create(base))) {
            return uri;
        }
        throw refused(host);
    }

    private static boolean onBase(URI uri, URI base) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        return base.getScheme().equalsIgnoreCase(uri.getScheme()) && uri.getRawUserInfo() == null
                && base.getHost() != null && base.getHost().equalsIgnoreCase(uri.getHost()) && base.getPort() == uri.getPort()
                && uri.getRawPath() != null && uri.getRawPath().startsWith(basePath + "/");
    }

    private static TwilioFailure refused(String host) {
        Log.error("Twilio's media link is not on Twilio's media host; not fetched", "operation", OPERATION, "host", host);
        return TwilioFailure.incompleteAnswer(OPERATION, "link on Twilio's media host");
    }

    private MediaContent download(Described media, URI target, long maxBytes) {
        if (transport.standingIn()) {
            throw noAnswer(new TwilioUnavailable("a file is not fetched while Twilio's answers are stood in for", null));
        }
        Duration remaining = transport.remaining();
        if (remaining.compareTo(TwilioTransport.MIN_CALL) < 0) {
            throw noAnswer(new TwilioUnavailable("no time left in this invocation for a Twilio call", null));
        }
        Duration timeout = remaining.compareTo(downloadTimeout) < 0 ? remaining : downloadTimeout;
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Accept", "*/*")
                .header("User-Agent", transport.userAgent())
                .GET()
                .build();
        UpstreamTime upstreamTime = UpstreamTime.current();
        long started = upstreamTime == null ? 0 : upstreamTime.callStarted(TwilioTransport.UPSTREAM);
        int status = 0;
        CompletableFuture<HttpResponse<Capped.Body>> exchange = transport.http().sendAsync(request,
                info -> new Capped(info.statusCode() == 200 ? maxBytes : ERROR_BODY_LIMIT, media.size()));
        HttpResponse<Capped.Body> response;
        try {
            response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            status = response.statusCode();
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw noAnswer(new TwilioUnavailable("Twilio's media host did not answer within " + timeout.toMillis() + " ms", e));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw noAnswer(new TwilioUnavailable("interrupted while waiting for Twilio's media host", e));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw noAnswer(new TwilioUnavailable("Twilio's media host could not be reached or did not finish: "
                        + cause.getClass().getSimpleName(), cause));
            }
            Log.error("Twilio's media could not be read", "operation", OPERATION, "exception", String.valueOf(cause));
            throw TwilioFailure.unreadableAnswer(OPERATION, cause);
        } finally {
            if (upstreamTime != null) {
                upstreamTime.callEnded(TwilioTransport.UPSTREAM, started, status);
            }
        }
        if (response.statusCode() != 200) {
            Log.error("Twilio call failed", "operation", OPERATION, "twilioStatus", response.statusCode());
            throw TwilioFailure.errorAnswer(OPERATION, response.statusCode(), null, null);
        }
        Capped.Body body = response.body();
        if (body.overLimit()) {
            long size = media.size() != null ? media.size() : body.read();
            return new MediaContent(media.sid(), media.contentType(), media.filename(), size, null);
        }
        byte[] bytes = body.bytes();
        if (media.size() != null && bytes.length != media.size()) {
            Log.error("Twilio's answer could not be read", "operation", OPERATION, "declaredSize", media.size(),
                    "bytesRead", bytes.length);
            throw TwilioFailure.incompleteAnswer(OPERATION, "file of the size it declares");
        }
        return new MediaContent(media.sid(), media.contentType(), media.filename(), bytes.length, bytes);
    }

    private static TwilioFailure noAnswer(TwilioUnavailable why) {
        Log.error("Twilio call timed out", "operation", OPERATION, "reason", why.getMessage());
        return TwilioFailure.noAnswer(OPERATION, why);
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static void require(Pattern sid, String value, String name) {
        if (value == null || !sid.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " is not a SID of its kind: " + value);
        }
    }

    /**
     * A body read up to a limit: past it, the subscription is cancelled (which closes the connection) and the body
     * is over the limit, whatever else was coming.
     */
    static final class Capped implements BodySubscriber<Capped.Body> {

        /** What was read: the bytes, or over the limit after {@code read} bytes. */
        record Body(byte[] bytes, boolean overLimit, long read) {
        }

        private final long limit;
        private final ByteArrayOutputStream out;
        private final CompletableFuture<Body> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private long read;

        Capped(long limit, Long declaredSize) {
            this.limit = limit;
            long expected = declaredSize == null ? 8_192 : Math.min(declaredSize, limit);
            this.out = new ByteArrayOutputStream((int) Math.min(Math.max(expected, 0), Integer.MAX_VALUE - 8));
        }

        @Override
        public CompletionStage<Body> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                int length = buffer.remaining();
                read += length;
                if (read > limit) {
                    subscription.cancel();
                    result.complete(new Body(null, true, read));
                    return;
                }
                byte[] chunk = new byte[length];
                buffer.get(chunk);
                out.write(chunk, 0, length);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(new Body(out.toByteArray(), false, read));
        }
    }
}
