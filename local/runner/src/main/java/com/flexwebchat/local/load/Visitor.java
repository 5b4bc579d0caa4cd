package com.flexwebchat.local.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.local.load.LoadOptions.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * One client of the load: a visitor on a source address of its own, with one request in flight at
 * a time (a closed loop, no pause between requests). It keeps the chat it has open: /initWebchat
 * opens one; /refreshToken renews its token; the webhook routes come as Twilio would send them
 * for it, signed (Studio asking for its context, the Conversations service screening a message
 * with a card number, TaskRouter's task.wrapup when the agent ends it); /endChat or task.wrapup
 * ends it. A route that needs an open chat when the client has none (its last one ended) is
 * preceded by an /initWebchat, counted as one.
 */
final class Visitor implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What every visitor shares: where the API is, how to sign, and when to measure and stop. */
    static final class Run {
        final InetSocketAddress server;
        final String host;
        final String signedBase;
        final String authToken;
        final LoadOptions options;
        final Route[] routes;
        final double[] cumulativeWeights;
        volatile boolean measuring;
        volatile boolean stopped;
        final java.util.concurrent.atomic.AtomicLong permits;

        Run(URI api, String signedBase, String authToken, LoadOptions options) {
            this.server = new InetSocketAddress(api.getHost(), api.getPort());
            this.host = api.getHost() + ":" + api.getPort();
            this.signedBase = signedBase;
            this.authToken = authToken;
            this.options = options;
            this.routes = options.mix().keySet().toArray(new Route[0]);
            this.cumulativeWeights = new double[routes.length];
            double sum = 0;
            for (int i = 0; i < routes.length; i++) {
                sum += options.mix().get(routes[i]);
                cumulativeWeights[i] = sum;
            }
            this.permits = new java.util.concurrent.atomic.AtomicLong(options.requests() > 0 ? options.requests() : Long.MAX_VALUE);
        }
    }

    private final int id;
    private final Run run;
    private final LoadClient client;
    private final SplittableRandom random;
    private final Map<Route, RouteStats> stats = new EnumMap<>(Route.class);
    private String token;
    private String conversationSid;
    private long sent;
    private long chatsReopened;
    private long unmeasured;

    Visitor(int id, InetAddress from, Run run, long seed) {
        this.id = id;
        this.run = run;
        this.client = new LoadClient(run.server, from, run.options.timeout());
        this.random = new SplittableRandom(seed);
    }

    Map<Route, RouteStats> stats() {
        return stats;
    }

    /** /initWebchat requests made because the client's chat had ended before a route that needs one. */
    long chatsReopened() {
        return chatsReopened;
    }

    long connects() {
        return client.connects();
    }

    @Override
    public void run() {
        try {
            while (!run.stopped) {
                Route route = pick();
                if (route.needsChat() && conversationSid == null) {
                    if (!send(Route.INIT_WEBCHAT, true) || conversationSid == null) {
                        continue;
                    }
                }
                send(route, false);
            }
        } finally {
            client.close();
        }
    }

    private Route pick() {
        double total = run.cumulativeWeights[run.cumulativeWeights.length - 1];
        double point = random.nextDouble() * total;
        for (int i = 0; i < run.routes.length; i++) {
            if (point < run.cumulativeWeights[i]) {
                return run.routes[i];
            }
        }
        return run.routes[run.routes.length - 1];
    }

    /** Sends one request of {@code route} and records it when measuring; false when the run stopped first. */
    private boolean send(Route route, boolean reopening) {
        boolean measured = run.measuring;
        if (measured && run.permits.getAndDecrement() <= 0) {
            run.stopped = true;
            return false;
        }
        if (run.stopped) {
            return false;
        }
        sent++;
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = request(route, headers);
        long started = System.nanoTime();
        String outcome;
        try {
            LoadClient.Answer answer = client.post(route.path(), run.host, headers, body);
            outcome = outcome(answer);
            follow(route, answer);
        } catch (SocketTimeoutException e) {
            outcome = "timeout";
        } catch (IOException | RuntimeException e) {
            outcome = "io";
        }
        long nanos = System.nanoTime() - started;
        if (measured) {
            stats.computeIfAbsent(route, r -> new RouteStats()).record(nanos, outcome);
            if (reopening) {
                chatsReopened++;
            }
        } else {
            unmeasured++;
        }
        return true;
    }

    private byte[] request(Route route, Map<String, String> headers) {
        if (!route.isWebhook()) {
            headers.put("Origin", run.options.origin());
            headers.put("Content-Type", "application/json");
            headers.put("User-Agent", "run-local-load/1 (visitor " + id + ")");
            String body = switch (route) {
                case INIT_WEBCHAT -> JSON.createObjectNode().set("formData", JSON.createObjectNode()
                        .put("friendlyName", "Load visitor " + id)
                        // A question of its own each time: the same submit again would get the first one's chat.
                        .put("query", "Question " + id + "-" + sent)).toString();
                default -> JSON.createObjectNode().put("token", token).toString();
            };
            return body.getBytes(StandardCharsets.UTF_8);
        }
        Map<String, List<String>> form = new LinkedHashMap<>();
        switch (route) {
            case STUDIO -> form.put("ConversationSid", List.of(conversationSid));
            case CONVERSATIONS -> {
                form.put("EventType", List.of("onMessageAdd"));
                form.put("ConversationSid", List.of(conversationSid));
                form.put("Author", List.of("load-visitor-" + id));
                form.put("Body", List.of("My card is 4111 1111 1111 1111, message " + sent));
                form.put("Source", List.of("SDK"));
                form.put("RetryCount", List.of("0"));
            }
            case TASKROUTER -> {
                String taskSid = "WT" + hex32();
                form.put("Sid", List.of("EV" + hex32()));
                form.put("EventType", List.of("task.wrapup"));
                form.put("ResourceType", List.of("Task"));
                form.put("ResourceSid", List.of(taskSid));
                form.put("TaskSid", List.of(taskSid));
                form.put("TaskAssignmentStatus", List.of("wrapping"));
                form.put("TaskChannelUniqueName", List.of("chat"));
                form.put("TaskAttributes", List.of(JSON.createObjectNode().put("channelType", "web")
                        .put("name", "Load visitor " + id).put("conversationSid", conversationSid).toString()));
            }
            default -> throw new IllegalStateException(route.toString());
        }
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("User-Agent", "TwilioProxy/1.1");
        headers.put("I-Twilio-Idempotency-Token", UUID.randomUUID().toString());
        headers.put("X-Twilio-Signature", TwilioEmulator.signature(run.authToken, run.signedBase + route.path(), form));
        List<String> pairs = new ArrayList<>();
        form.forEach((name, values) -> values.forEach(value -> pairs.add(
                URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8))));
        return String.join("&", pairs).getBytes(StandardCharsets.UTF_8);
    }

    /** Keeps the chat as the answer leaves it. */
    private void follow(Route route, LoadClient.Answer answer) throws IOException {
        int status = answer.status();
        switch (route) {
            case INIT_WEBCHAT -> {
                if (status == 200) {
                    JsonNode chat = JSON.readTree(answer.body());
                    token = chat.path("token").asText();
                    conversationSid = chat.path("conversationSid").asText();
                }
            }
            case REFRESH_TOKEN -> {
                if (status == 200) {
                    token = JSON.readTree(answer.body()).path("token").asText();
                } else if (status == 403) {
                    endChat();
                }
            }
            case END_CHAT, TASKROUTER -> {
                if (status == 200 || status == 204) {
                    endChat();
                }
            }
            case STUDIO -> {
                if (status == 404 || status == 409) {
                    endChat();
                }
            }
            default -> {
                // the message screening changes nothing
            }
        }
    }

    private void endChat() {
        token = null;
        conversationSid = null;
    }

    /** The status, with the error code when the answer has one ({@code 403 token_refused}). */
    private static String outcome(LoadClient.Answer answer) {
        int status = answer.status();
        if (status < 400) {
            return String.valueOf(status);
        }
        try {
            JsonNode code = JSON.readTree(answer.body()).path("error").path("code");
            return code.isTextual() ? status + " " + code.asText() : String.valueOf(status);
        } catch (IOException e) {
            return String.valueOf(status);
        }
    }

    private String hex32() {
        return String.format("%016x%016x", random.nextLong(), random.nextLong());
    }
}
