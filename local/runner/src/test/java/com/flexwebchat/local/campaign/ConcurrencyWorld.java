package com.flexwebchat.local.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.local.LocalApi;
import com.flexwebchat.local.ProjectRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The concurrency campaign's world: {@code ./run-local} in-process ({@link LocalApi}: every route
 * of template.yaml over real HTTP on 127.0.0.1, each through API Gateway's event as the Lambda
 * runtime deserialises it, the store as deployed on dynalite, the Twilio emulator wired to call
 * the webhook routes back, signed), and what the widget, Flex, Studio, TaskRouter and the
 * Conversations service send it. The limits are off: the campaign starts many chats from one
 * address, and what is under test is effects, not counts.
 */
final class ConcurrencyWorld implements AutoCloseable {

    static final String ORIGIN = "http://localhost:3000";
    static final String USER_AGENT = "Mozilla/5.0 (concurrency campaign)";
    static final Duration ANSWER = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SERIAL = new AtomicInteger();

    final LocalApi api;
    final TwilioEmulator emulator;
    final EmulatorAccount account;
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ConcurrencyWorld() {
        Map<String, String> settings = Map.of(
                "ALLOWED_ORIGINS", ORIGIN,
                "RATE_LIMIT_CHATS_PER_IP", "off",
                "RATE_LIMIT_CHATS_PER_ACCOUNT", "off",
                "RATE_LIMIT_RENEWALS_PER_VISITOR", "off",
                "RATE_LIMIT_ENDINGS_PER_VISITOR", "off");
        this.api = LocalApi.start(new LocalApi.Options(ProjectRoot.find().resolve("template.yaml"), 0, settings, 0,
                new PrintStream(console, true, StandardCharsets.UTF_8)));
        this.emulator = api.emulator().orElseThrow(() -> new IllegalStateException("the local API started no emulator"));
        this.account = emulator.account();
    }

    @Override
    public void close() {
        api.close();
    }

    /** A number no other call of this JVM gets: for SIDs and forms that must not collide between tests. */
    static int serial() {
        return SERIAL.incrementAndGet();
    }

    /** A SID of this prefix unique to the JVM, e.g. {@code EV...} for a TaskRouter event. */
    static String sid(String prefix) {
        return prefix + String.format("%032x", serial());
    }

    // --- the widget --------------------------------------------------------------------------------------

    record Answer(int status, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body.isEmpty() ? "{}" : body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A started chat: its conversation and the visitor's token and identity. */
    record Chat(String conversationSid, String token, String identity) {
    }

    Answer postJson(String path, String body) {
        return send(HttpRequest.newBuilder(api.baseUrl().resolve(path))
                .header("Origin", ORIGIN)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** {@code POST /initWebchat} without a first question (no Studio, no webhooks): a chat waiting for its visitor. */
    Chat startChat() {
        ObjectNode form = JSON.createObjectNode();
        form.putObject("formData").put("friendlyName", "Visitor " + serial());
        Answer started = postJson("/initWebchat", form.toString());
        if (started.status() != 200) {
            throw new IllegalStateException("/initWebchat answered " + started);
        }
        String token = started.json().path("token").asText();
        return new Chat(started.json().path("conversationSid").asText(), token, identityOf(token));
    }

    Answer endChat(Chat chat) {
        return postJson("/endChat", JSON.createObjectNode().put("token", chat.token()).toString());
    }

    Answer refreshToken(Chat chat) {
        return postJson("/refreshToken", JSON.createObjectNode().put("token", chat.token()).toString());
    }

    /** The identity the token grants: its {@code grants.identity} claim. */
    static String identityOf(String jwt) {
        try {
            String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
            return JSON.readTree(payload).path("grants").path("identity").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- Twilio's webhooks, signed as Twilio signs them ------------------------------------------------------

    /** One delivery: signed with the account's auth token over the URL it is sent to, with its idempotency token. */
    Answer webhook(String route, Map<String, List<String>> form, String idempotencyToken) {
        String url = api.baseUrl() + route;
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("User-Agent", "TwilioProxy/1.1")
                .header("X-Twilio-Signature", TwilioEmulator.signature(account.authToken(), url, form))
                .header("I-Twilio-Idempotency-Token", idempotencyToken)
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))));
    }

    static Map<String, List<String>> form(String... keyValues) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            form.computeIfAbsent(keyValues[i], k -> new ArrayList<>()).add(keyValues[i + 1]);
        }
        return form;
    }

    /** A TaskRouter task event of Flex's workspace for a web chat task with no Flex interaction, as its callback posts it. */
    Map<String, List<String>> taskEvent(String eventSid, String eventType, String assignmentStatus, String taskSid,
                                        String conversationSid) {
        String attributes = JSON.createObjectNode().put("channelType", "web").put("conversationSid", conversationSid)
                .put("name", "Visitor").toString();
        return form("Sid", eventSid, "AccountSid", account.accountSid(), "WorkspaceSid", account.taskrouterWorkspaceSid(),
                "WorkspaceName", "Flex Task Assignment", "EventType", eventType,
                "EventDescription", "Task " + taskSid + " " + assignmentStatus, "ResourceType", "Task", "ResourceSid", taskSid,
                "Timestamp", "1795169400", "TaskSid", taskSid, "TaskAttributes", attributes,
                "TaskAssignmentStatus", assignmentStatus, "TaskChannelUniqueName", "chat");
    }

    Answer taskRouter(Map<String, List<String>> event) {
        return webhook("/webhooks/taskrouter", event, UUID.randomUUID().toString());
    }

    Map<String, List<String>> participantAdded(String conversationSid, String participantSid, String identity) {
        return form("AccountSid", account.accountSid(), "ChatServiceSid", account.conversationsServiceSid(),
                "EventType", "onParticipantAdded", "Source", "API", "ConversationSid", conversationSid,
                "ParticipantSid", participantSid, "DateCreated", "2026-11-21T10:00:00Z", "Identity", identity,
                "RoleSid", "RL" + "0".repeat(32), "Attributes", "{}");
    }

    Map<String, List<String>> messageAdded(Chat chat, String body) {
        return form("AccountSid", account.accountSid(), "ChatServiceSid", account.conversationsServiceSid(),
                "EventType", "onMessageAdd", "Source", "SDK", "ClientIdentity", chat.identity(),
                "ConversationSid", chat.conversationSid(), "Body", body, "Author", chat.identity(), "Attributes", "{}");
    }

    /**
     * An agent, as Flex has them: a worker whose {@code contact_uri} is the identity, with a public
     * name, added to the chat by the REST API (no webhook of its own: the campaign delivers it).
     * Answers the participant's SID.
     */
    String agentJoins(Chat chat, String identity, String publicName) {
        emulator.addWorker("Agent " + identity, JSON.createObjectNode().put("contact_uri", "client:" + identity)
                .put("full_name", "Real Name " + identity).put("public_identity", publicName).toString());
        JsonNode participant = twilio("POST", "/conversations/v1/Services/" + account.conversationsServiceSid()
                + "/Conversations/" + chat.conversationSid() + "/Participants", form("Identity", identity));
        return participant.path("sid").asText();
    }

    // --- what Twilio holds ---------------------------------------------------------------------------------

    String conversations() {
        return "/conversations/v1/Services/" + account.conversationsServiceSid() + "/Conversations/";
    }

    List<Map<String, Object>> notices(Chat chat) {
        return emulator.messages(chat.conversationSid()).stream().filter(m -> "Concierge".equals(m.get("author"))).toList();
    }

    /** The closes asked of the conversation: {@code POST .../Conversations/CH...} with {@code State=closed}. */
    List<RecordedRequest> closes(Chat chat) {
        return emulator.requests("POST", conversations() + chat.conversationSid()).stream()
                .filter(r -> "closed".equals(r.formValue("State"))).toList();
    }

    String state(Chat chat) {
        return (String) emulator.conversation(chat.conversationSid()).orElseThrow().get("state");
    }

    /** Every webhook the emulator queued (the task events the endings cause, say) answered. */
    void settle() {
        emulator.awaitWebhooks(Duration.ofSeconds(20));
    }

    // --- HTTP --------------------------------------------------------------------------------------------------

    private JsonNode twilio(String method, String path, Map<String, List<String>> form) {
        String credentials = Base64.getEncoder().encodeToString((account.accountSid() + ":" + account.authToken())
                .getBytes(StandardCharsets.UTF_8));
        Answer answer = send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(encode(form))));
        if (answer.status() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + answer);
        }
        return answer.json();
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(ANSWER).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String encode(Map<String, List<String>> form) {
        return form.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(v, StandardCharsets.UTF_8)))
                .collect(Collectors.joining("&"));
    }
}
