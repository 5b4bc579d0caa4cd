package com.flexwebchat.shared.snapstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.aws.AwsException;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.http.HttpApiHandler;
import com.flexwebchat.shared.http.HttpApiPayload;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.store.WebChatStore;
import com.flexwebchat.shared.twilio.TwilioFailure;
import com.flexwebchat.shared.webhook.TwilioSignature;
import com.flexwebchat.shared.webhook.WebhookAdapter;
import com.flexwebchat.shared.webhook.WebhookUrl;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One priming: the handler's real request path on recorded events, as SnapStart should capture it.
 * <ol>
 *   <li>Each event (an {@code events/} file, as {@code sam local invoke} takes it) is made valid for
 *       this function's configuration, as a real one would be: a browser event gets an allowed
 *       {@code Origin} and, where it carries a visitor's token, a token issued now for an identity
 *       no visitor has; a webhook gets Twilio's signature for the URL this function checks.</li>
 *   <li>The handler runs on each, {@link #ROUNDS} times over, through its Lambda entry point (the
 *       event's bytes in, the answer's out, as the runtime calls it), with every Twilio request
 *       answered from {@link TwilioRecordings} and none sent: whatever the route writes (a chat, a
 *       message, a close) happens nowhere. Its log lines are made and dropped; they describe no visitor.</li>
 *   <li>One real read at Twilio (the priming identity's open chats, which it has none of), so the
 *       TLS handshake and HTTP client path are in the snapshot too; likewise one real read of the
 *       store (an item that never exists), when there is one.</li>
 *   <li>A wait for the JIT's queue to empty ({@link #settle()}).</li>
 * </ol>
 */
public final class Priming {

    /**
     * How many times each event runs. One round loads the classes; the JIT compiles a method after
     * a few hundred calls (tiered: C1 with profiling from 200), so a request's path is compiled
     * code in the snapshot rather than the interpreter's. Measured on JDK 25 (java25's flags with
     * SnapStart, 3 fresh JVMs per event): 1 round left the first webhook requests at 10 to 18 ms,
     * 100 rounds at 5 to 16 ms, 300 and 500 alike at 5 to 14 ms; each round costs about 2 ms of
     * the snapshot's init, not a visitor's time.
     */
    static final int ROUNDS = 300;
    /** The longest the priming waits for the JIT's queue to empty before the snapshot. */
    static final Duration SETTLE_AT_MOST = Duration.ofSeconds(5);

    /** A trace header of the runtime's shape for the priming requests: a root no trace has, not sampled. */
    static final String PRIMING_TRACE = "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0";

    /** Never an orchestration identity (those are random), so the real read finds nothing. */
    static final String IDENTITY = "snapstart-priming";

    /**
     * What one priming did.
     *
     * @param statuses   each event's answer status, by event file
     * @param unanswered the Twilio requests no recording answered (each answered 504, so a path went unprimed)
     * @param realRead   whether Twilio answered the one real read
     * @param storeRead  whether the store answered its real read (false without a store)
     * @param failure    why priming stopped, or null
     */
    public record Report(Map<String, Integer> statuses, List<String> unanswered, boolean realRead, boolean storeRead,
                         String failure) {
    }

    private final HttpApiHandler handler;
    private final WebChatRuntime runtime;

    Priming(HttpApiHandler handler, WebChatRuntime runtime) {
        this.handler = handler;
        this.runtime = runtime;
    }

    Report run(List<String> events) {
        TwilioRecordings recordings = TwilioRecordings.load();
        Map<String, Integer> statuses = new LinkedHashMap<>();
        Map<String, ObjectNode> files = new LinkedHashMap<>();
        events.forEach(name -> files.put(name, event(name))); // read once; each round works on a copy
        Runnable requests = () -> runtime.twilio().answeringFrom(recordings::answer, () -> {
            // Further rounds only while every event answered 2xx from recordings: a path that
            // went wrong once is reported, not repeated.
            for (int round = 0; round < ROUNDS && (round == 0 || allAnswered(statuses, recordings)); round++) {
                files.forEach((name, file) -> {
                    try {
                        statuses.put(name, invoke(valid(file.deepCopy())));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        });
        // Lambda's runtime sets the X-Ray trace header for every invocation (traced or not): so does the priming.
        String traceHeader = System.getProperty(Log.TRACE_HEADER_PROPERTY);
        System.setProperty(Log.TRACE_HEADER_PROPERTY, PRIMING_TRACE);
        try {
            Log.muted(() -> {
                if (runtime.store() == null) {
                    requests.run();
                } else {
                    runtime.store().db().answeringFrom(Priming::storeAnswer, requests);
                }
            });
        } finally {
            if (traceHeader == null) {
                System.clearProperty(Log.TRACE_HEADER_PROPERTY);
            } else {
                System.setProperty(Log.TRACE_HEADER_PROPERTY, traceHeader);
            }
        }
        boolean realRead;
        try {
            runtime.chats().openChatsOf(IDENTITY);
            realRead = true;
        } catch (TwilioFailure e) {
            realRead = e.answered(); // an error answer (an unknown user, say) still went through TLS and back
        }
        boolean storeRead = false;
        if (runtime.store() != null) {
            try {
                runtime.store().get(IDENTITY, WebChatStore.ONLY);
                storeRead = true;
            } catch (AwsException e) {
                storeRead = e.status() != 0; // an error answer still went through the connection and back
            }
        }
        settle();
        return new Report(statuses, recordings.unanswered(), realRead, storeRead, null);
    }

    private static boolean allAnswered(Map<String, Integer> statuses, TwilioRecordings recordings) {
        return recordings.unanswered().isEmpty() && statuses.values().stream().allMatch(status -> status >= 200 && status < 300);
    }

    /**
     * Lets the snapshot hold a quiet JIT: a compilation left in flight would resume after the
     * restore, beside the first request. Waits until the compiler has spent no time for 100 ms, or
     * {@link #SETTLE_AT_MOST} has passed. No {@code System.gc()}: measured locally, a full
     * collection here made that first request slower (3 to 5 ms against 1.5 to 2 ms for a webhook
     * that calls nobody), as it empties the soft-referenced buffers the request path reuses.
     */
    static void settle() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + SETTLE_AT_MOST.toNanos();
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 4 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }

    /**
     * The store's answer to a priming request, as for a visitor it has never seen: a first count, a
     * write that succeeds, nothing found. Nothing is written.
     */
    static JsonNode storeAnswer(String operation) {
        ObjectNode answer = Json.object();
        switch (operation) {
            case "UpdateItem" -> answer.putObject("Attributes").putObject("n").put("N", "1");
            case "Query" -> answer.put("Count", 0).putArray("Items");
            default -> {
            }
        }
        return answer;
    }

    /**
     * One event through the function's Lambda entry point, bytes in and bytes out, as the runtime
     * calls it (so {@link HttpApiPayload} is primed with the rest): the answer's status.
     */
    private int invoke(ObjectNode event) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), answer,
                new PrimingContext());
        return Json.MAPPER.readTree(answer.toByteArray()).path("statusCode").asInt();
    }

    /** The event as a real request to this function would be: allowed, authentic. */
    private ObjectNode valid(ObjectNode event) {
        WebChatConfig config = runtime.config();
        Map<String, String> headers = new HashMap<>();
        event.path("headers").properties().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().asText()));
        boolean base64 = event.path("isBase64Encoded").asBoolean(false);
        String body = event.path("body").asText("");
        if (base64) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        if (headers.containsKey("origin")) {
            config.allowedOrigins().stream().sorted().findFirst().ifPresent(origin -> headers.put("origin", origin));
            body = withFreshToken(body);
        }
        if (headers.containsKey("x-twilio-signature") && !headers.getOrDefault("content-type", "").startsWith("application/json")) {
            String url = WebhookUrl.of(HttpApiPayload.event(event), headers, config.publicBaseUrl());
            headers.put("x-twilio-signature", new TwilioSignature(config.authToken()).sign(url, WebhookAdapter.parseForm(body)));
        }
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);
        event.put("body", base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
        return event;
    }

    /** A visitor's token in the body, replaced by one this function issues now for the priming identity. */
    private String withFreshToken(String body) {
        try {
            JsonNode json = body.isBlank() ? null : Json.parse(body);
            if (json instanceof ObjectNode object && object.path("token").isTextual()) {
                object.put("token", runtime.tokenIssuer().issue(IDENTITY).jwt());
                return Json.write(object);
            }
        } catch (IOException e) {
            // not JSON: sent as it is
        }
        return body;
    }

    /** {@code events/<name>} from the class path: the API Gateway HTTP API (payload 2.0) event as the file has it. */
    static ObjectNode event(String name) {
        try (InputStream in = Priming.class.getClassLoader().getResourceAsStream("events/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no event events/" + name + " on the class path");
            }
            if (Json.MAPPER.readTree(in) instanceof ObjectNode event) {
                return event;
            }
            throw new IllegalStateException("events/" + name + " is not a JSON object");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read events/" + name, e);
        }
    }
}
