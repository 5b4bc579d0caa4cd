package com.flexwebchat.emulator.webhooks;

import com.flexwebchat.emulator.WebhookDelivery;
import com.flexwebchat.emulator.http.FormCodec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sends webhooks as Twilio does (Conversations' pre- and post-event webhooks, TaskRouter's event callbacks): form-encoded, signed with the account's auth token ({@link WebhookSignature}),
 * with {@code I-Twilio-Idempotency-Token}. Every delivery is recorded.
 *
 * <p>{@link #send} delivers on the calling thread (pre-event webhooks, whose answer decides the operation);
 * {@link #sendLater} queues on one background thread, so post-event webhooks arrive one at a time in the order
 * of the changes they report, and {@link #await} can wait for the queue to drain.
 */
public final class WebhookSender implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** "Conversations webhooks have a maximum timeout of 5 seconds." */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** The user agent Twilio's webhook requests carry. */
    private static final String USER_AGENT = "TwilioProxy/1.1";

    private final String authToken;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final ExecutorService background = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "twilio-emulator-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    private final List<WebhookDelivery> deliveries = new ArrayList<>(); // guarded by this
    private int pending; // guarded by this

    public WebhookSender(String authToken) {
        this.authToken = authToken;
    }

    /** Sends now and waits for the answer (at most {@link #REQUEST_TIMEOUT}). */
    public WebhookDelivery send(String method, String url, Map<String, List<String>> params) {
        return send(method, url, params, REQUEST_TIMEOUT);
    }

    /** Sends now and waits for the answer, at most {@code timeout}. */
    WebhookDelivery send(String method, String url, Map<String, List<String>> params, Duration timeout) {
        Map<String, String> headers = new LinkedHashMap<>();
        WebhookDelivery delivery;
        try {
            HttpRequest request = request(method, url, params, headers, timeout);
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            delivery = new WebhookDelivery(url, params, response.statusCode(), response.body(), method, headers, null);
        } catch (HttpTimeoutException e) {
            delivery = failed(method, url, params, headers, "no answer within " + timeout.toSeconds() + " s");
        } catch (IOException | IllegalArgumentException e) {
            delivery = failed(method, url, params, headers, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            delivery = failed(method, url, params, headers, "interrupted");
        }
        synchronized (this) {
            deliveries.add(delivery);
        }
        return delivery;
    }

    /** Queues a delivery on the background thread. */
    void sendLater(String method, String url, Map<String, List<String>> params) {
        sendLater(method, url, params, REQUEST_TIMEOUT);
    }

    /** Queues a delivery on the background thread, which waits at most {@code timeout} for its answer. */
    public void sendLater(String method, String url, Map<String, List<String>> params, Duration timeout) {
        Map<String, List<String>> snapshot = FormCodec.freeze(params);
        synchronized (this) {
            pending++;
        }
        try {
            background.execute(() -> {
                try {
                    send(method, url, snapshot, timeout);
                } finally {
                    done();
                }
            });
        } catch (RuntimeException rejected) { // closing
            done();
        }
    }

    /** Waits until every queued delivery is done; throws {@link IllegalStateException} after {@code timeout}. */
    public synchronized void await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(pending + " webhook deliveries still pending after " + timeout);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for webhook deliveries", e);
            }
        }
    }

    public synchronized List<WebhookDelivery> deliveries() {
        return List.copyOf(deliveries);
    }

    public synchronized void clear() {
        deliveries.clear();
    }

    @Override
    public void close() {
        background.shutdownNow();
    }

    private synchronized void done() {
        pending--;
        notifyAll();
    }

    /**
     * A POST carries the parameters as a form and signs them; a GET carries them in the query, and only the
     * resulting URL is signed (there are no POST parameters).
     */
    private HttpRequest request(String method, String url, Map<String, List<String>> params, Map<String, String> headers,
                                Duration timeout) {
        boolean get = "GET".equals(method);
        String target = get ? url + (url.contains("?") ? "&" : "?") + FormCodec.encode(params) : url;
        headers.put("X-Twilio-Signature", WebhookSignature.compute(authToken, target, get ? Map.of() : params));
        // Lets the receiver drop a retried duplicate; Twilio's token format is undocumented.
        headers.put("I-Twilio-Idempotency-Token", UUID.randomUUID().toString());
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target))
                .timeout(timeout)
                .header("User-Agent", USER_AGENT)
                .header("Accept", "*/*");
        headers.forEach(builder::header);
        if (get) {
            return builder.GET().build();
        }
        return builder.header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(FormCodec.encode(params)))
                .build();
    }

    private static WebhookDelivery failed(String method, String url, Map<String, List<String>> params,
                                          Map<String, String> headers, String error) {
        return new WebhookDelivery(url, params, 0, "", method, headers, error);
    }
}
