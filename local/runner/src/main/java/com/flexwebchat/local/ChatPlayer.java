package com.flexwebchat.local;

import static com.flexwebchat.local.EmulatorRest.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.emulator.WebhookDelivery;
import com.flexwebchat.ops.wiring.Webhooks;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.HashMap;
import java.util.function.Predicate;

/**
 * {@code ./run-local play}: whole web chats through the local API's real HTTP routes, with the
 * in-process Twilio emulator playing Twilio, Studio, Flex and the agent, printed step by step as
 * they happen. It starts the API exactly as {@code ./run-local} does ({@link LocalApi}, which
 * points the emulator's Conversations webhooks and TaskRouter event callback at itself), plays
 * three chats, and stops:
 * <ol>
 *   <li>Ada's chat, from {@code /initWebchat} to the agent's "End chat": her card number masked,
 *       Studio's request, Send to Flex, the agent Sam joining under his public name, a token
 *       renewal, the wrap-up event closing the chat, the ended chat refusing her token;</li>
 *   <li>a chat the customer ends with {@code /endChat} while it waits for an agent;</li>
 *   <li>a chat whose task is canceled before any agent took it: abandoned.</li>
 * </ol>
 * Every step checks what it should have done; the exit status is 0 when all did, 1 otherwise.
 * The environment and .env are not read, so the play is the same on every machine; the
 * functions' log lines are kept and printed only when a step fails (all of them with
 * {@code --verbose}).
 */
public final class ChatPlayer {

    static final String ORIGIN = LocalSettings.DEFAULT_LOCAL_ORIGIN;
    static final String CARD = "4111 1111 1111 1111";
    static final String MASKED_CARD = "•••• •••• •••• 1111";
    static final String AGENT_IDENTITY = "sam_40example_2Ecom";
    static final String AGENT_REAL_NAME = "Samantha Realname";
    private static final Duration WEBHOOKS = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A step that did not do what it should. */
    private static final class StepFailed extends RuntimeException {
        StepFailed(String message) {
            super(message);
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private final LocalApi api;
    private final TwilioEmulator emulator;
    private final EmulatorRest twilio;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int steps;
    private int failures;
    private boolean chatBroken;

    private ChatPlayer(LocalApi api, PrintStream out) {
        this.api = api;
        this.emulator = api.emulator().orElseThrow(() -> new IllegalStateException("the local API started no emulator"));
        this.twilio = new EmulatorRest(emulator);
        this.out = out;
    }

    public static void main(String[] args) {
        boolean verbose = false;
        Path template = Path.of("template.yaml").toAbsolutePath();
        for (String arg : args) {
            if (arg.equals("--verbose") || arg.equals("-v")) {
                verbose = true;
            } else if (arg.startsWith("-")) {
                System.err.println("usage: ./run-local play [--verbose] [TEMPLATE]");
                System.exit(2);
            } else {
                template = Path.of(arg).toAbsolutePath();
            }
        }
        if (!Files.isRegularFile(template)) {
            System.err.println("No SAM template at " + template + " (run from the project root, or pass its path).");
            System.exit(2);
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.exit(play(template, out, verbose));
    }

    /** Plays the three chats against a local API of {@code template}; 0 when every step did what it should. */
    static int play(Path template, PrintStream out, boolean verbose) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream logs = verbose ? out : new PrintStream(captured, true, StandardCharsets.UTF_8);
        long started = System.nanoTime();
        Log.redirect(logs);
        // No settings: the emulator, the template's defaults and the widget's dev-server origin.
        try (LocalApi api = LocalApi.start(new LocalApi.Options(template, 0, Map.of(), 0, logs))) {
            ChatPlayer player = new ChatPlayer(api, out);
            out.println("Local API " + api.baseUrl() + ", " + api.twilioDescription());
            player.agentEndsTheChat();
            player.customerEndsTheChat();
            player.nobodyAnswers();
            out.println();
            out.printf(Locale.ROOT, "%d of %d steps did what they should (%.1f s).%n", player.steps - player.failures,
                    player.steps, (System.nanoTime() - started) / 1e9);
            if (player.failures > 0 && !verbose) {
                out.println("What the functions and the local API logged:");
                out.print(captured.toString(StandardCharsets.UTF_8));
            }
            return player.failures == 0 ? 0 : 1;
        } catch (RuntimeException e) {
            out.println("The play could not run: " + e);
            return 1;
        } finally {
            Log.redirect(null);
        }
    }

    // ---------------------------------------------------------------- the chats

    private void agentEndsTheChat() {
        chat("Chat 1: Ada asks about a double charge; the agent Sam answers, then ends the chat");
        Map<String, String> chat = new HashMap<>();
        emulator.addWorker("sam@example.com", "{\"contact_uri\":\"client:" + AGENT_IDENTITY + "\","
                + "\"public_identity\":\"Sam\",\"full_name\":\"" + AGENT_REAL_NAME + "\"}");

        step(1, "The customer starts the chat: POST /initWebchat (Origin " + ORIGIN + ")", () ->
                startChat(chat, "Ada", "Hi, my card " + CARD + " was charged twice"));
        step(2, "The Conversations service screened her first message (onMessageAdd pre-event webhook)", () -> {
            String conversation = chat.get("conversation");
            WebhookDelivery screening = delivery(d -> "onMessageAdd".equals(d.eventType())
                    && conversation.equals(d.param("ConversationSid")), "an onMessageAdd webhook for the chat");
            detail("webhook: onMessageAdd with Body \"" + screening.param("Body") + "\" -> POST /webhooks/conversations "
                    + screening.status() + (screening.responseBody().isBlank() ? " (publish as is)" : " " + screening.responseBody()));
            expect(screening.succeeded(), "the webhook answered 2xx");
            String stored = emulator.messages(conversation).get(0).get("body").toString();
            detail("stored: \"" + stored + "\"");
            expect(stored.contains(MASKED_CARD) && !stored.contains(CARD), "the card number is masked");
        });
        step(3, "Studio's Make HTTP Request: POST /webhooks/studio, signed with the account's auth token", () ->
                askStudio(chat));
        step(4, "Send to Flex: POST /flex-api/v1/Interactions, then TaskRouter routes the task to Sam", () -> {
            sendToFlex(chat);
            emulator.routeTask(chat.get("task"), "reserved");
            Map<String, Object> task = emulator.routeTask(chat.get("task"), "assigned");
            detail("task " + abbreviate(chat.get("task")) + ": pending -> reserved -> " + task.get("assignment_status")
                    + " (worker sam@example.com)");
            expect("assigned".equals(task.get("assignment_status")), "the task is assigned");
        });
        step(5, "The agent joins: participant " + AGENT_IDENTITY + " added with X-Twilio-Webhook-Enabled: true", () -> {
            int before = emulator.webhookDeliveries().size();
            twilio.post("/conversations/v1/Conversations/" + chat.get("conversation") + "/Participants",
                    List.of(field("Identity", AGENT_IDENTITY)), "X-Twilio-Webhook-Enabled", "true");
            emulator.awaitWebhooks(WEBHOOKS);
            WebhookDelivery added = deliverySince(before, d -> "onParticipantAdded".equals(d.eventType()),
                    "an onParticipantAdded webhook");
            detail("webhook: onParticipantAdded -> POST /webhooks/conversations " + added.status());
            Object name = emulator.user(AGENT_IDENTITY).map(u -> u.get("friendly_name")).orElse(null);
            detail("the agent's user is now called \"" + name + "\"");
            String notice = lastMessage(chat.get("conversation"));
            detail("posted: " + notice);
            expect(added.status() == 200, "the webhook answered 200");
            expect("Sam".equals(name), "the agent is renamed to his public name");
            expect(notice.equals("Concierge: Sam joined the chat"), "\"Sam joined the chat\" is posted");
        });
        step(6, "The customer refreshes her token: POST /refreshToken", () -> {
            HttpResponse<String> renewed = postJson("/refreshToken", token(chat.get("token")));
            detail(renewed.statusCode() + ": token " + abbreviate(JSON.readTree(renewed.body()).path("token").asText()));
            expect(renewed.statusCode() == 200, "200");
        });
        step(7, "The agent ends the chat: the interaction channel is closed (Status=closed), as Flex's End chat does", () -> {
            int before = emulator.webhookDeliveries().size();
            twilio.post("/flex-api/v1/Interactions/" + chat.get("interaction") + "/Channels/" + chat.get("channel"),
                    List.of(field("Status", "closed")));
            emulator.awaitWebhooks(WEBHOOKS);
            Object status = emulator.task(chat.get("task")).map(t -> t.get("assignment_status")).orElse(null);
            detail("task " + abbreviate(chat.get("task")) + ": " + status);
            WebhookDelivery wrapup = deliverySince(before, d -> "task.wrapup".equals(d.eventType()), "a task.wrapup event");
            detail("TaskRouter event: task.wrapup -> POST " + URI.create(wrapup.url()).getPath() + " " + wrapup.status());
            String state = conversationState(chat.get("conversation"));
            detail("conversation: " + state);
            expect("wrapping".equals(status), "the task is wrapping up");
            expect(wrapup.url().endsWith(Webhooks.TASKROUTER_ROUTE) && wrapup.status() == 204, "our webhook answered 204");
            expect("closed".equals(state), "the conversation is closed");
        });
        step(8, "The chat has ended: her old token is refused, and the transcript is what the widget shows", () -> {
            HttpResponse<String> refused = postJson("/refreshToken", token(chat.get("token")));
            detail("POST /refreshToken with the old token -> " + refused.statusCode() + " "
                    + JSON.readTree(refused.body()).path("error").path("code").asText());
            expect(refused.statusCode() == 403, "403");
            List<String> transcript = transcript(chat.get("conversation"));
            detail("transcript:");
            transcript.forEach(line -> detail("  " + line));
            String everything = transcript + " " + emulator.messages(chat.get("conversation"))
                    + " " + emulator.conversation(chat.get("conversation")).orElseThrow()
                    + " " + emulator.user(AGENT_IDENTITY).orElseThrow();
            expect(everything.contains(MASKED_CARD) && !everything.contains(CARD), "the card number is masked everywhere");
            expect(!everything.contains(AGENT_REAL_NAME), "the agent's real name appears nowhere");
            expect(transcript.contains("Concierge: Sam joined the chat"), "the agent shows as Sam");
            detail("the card number and the agent's real name appear nowhere");
        });
    }

    private void customerEndsTheChat() {
        chat("Chat 2: Grace waits for an agent, then ends the chat herself");
        Map<String, String> chat = new HashMap<>();
        step(1, "The customer starts the chat, Studio answers, Send to Flex: a task waits for an agent", () -> {
            startChat(chat, "Grace", "Where is my order?");
            askStudio(chat);
            sendToFlex(chat);
        });
        step(2, "The customer ends the chat: POST /endChat", () -> {
            int before = emulator.webhookDeliveries().size();
            HttpResponse<String> ended = postJson("/endChat", token(chat.get("token")));
            emulator.awaitWebhooks(WEBHOOKS);
            detail(ended.statusCode() + ": " + ended.body());
            expect(ended.statusCode() == 200 && JSON.readTree(ended.body()).path("ended").asBoolean(), "200 {\"ended\":true}");
            JsonNode channel = twilio.get("/flex-api/v1/Interactions/" + chat.get("interaction") + "/Channels/"
                    + chat.get("channel"));
            Object status = emulator.task(chat.get("task")).map(t -> t.get("assignment_status")).orElse(null);
            String state = conversationState(chat.get("conversation"));
            detail("interaction channel " + channel.path("status").asText() + ", task " + status + ", conversation " + state);
            deliveriesSince(before, d -> d.eventType() != null && d.eventType().startsWith("task."))
                    .forEach(d -> detail("TaskRouter event: " + d.eventType() + " -> POST "
                            + URI.create(d.url()).getPath() + " " + d.status()));
            expect("closed".equals(channel.path("status").asText()), "the interaction is closed");
            expect("canceled".equals(status) || "wrapping".equals(status), "the task is canceled or wrapping up");
            expect("closed".equals(state), "the conversation is closed");
            detail("last message: " + lastMessage(chat.get("conversation")));
        });
        step(3, "The ended chat refuses her token: POST /refreshToken", () -> {
            HttpResponse<String> refused = postJson("/refreshToken", token(chat.get("token")));
            detail(String.valueOf(refused.statusCode()));
            expect(refused.statusCode() == 403, "403");
        });
    }

    private void nobodyAnswers() {
        chat("Chat 3: Alan's task is canceled before any agent takes it");
        Map<String, String> chat = new HashMap<>();
        step(1, "The customer starts the chat, Studio answers, Send to Flex: a task waits for an agent", () -> {
            startChat(chat, "Alan", "Is anybody there?");
            askStudio(chat);
            sendToFlex(chat);
        });
        step(2, "The task is canceled (AssignmentStatus=canceled): TaskRouter's task.canceled reaches /webhooks/taskrouter", () -> {
            int before = emulator.webhookDeliveries().size();
            twilio.post("/taskrouter/v1/Workspaces/" + emulator.account().taskrouterWorkspaceSid() + "/Tasks/"
                    + chat.get("task"), List.of(field("AssignmentStatus", "canceled"), field("Reason", "Task TTL Exceeded")));
            emulator.awaitWebhooks(WEBHOOKS);
            WebhookDelivery canceled = deliverySince(before, d -> "task.canceled".equals(d.eventType()), "a task.canceled event");
            detail("TaskRouter event: task.canceled -> POST " + URI.create(canceled.url()).getPath() + " " + canceled.status());
            String last = lastMessage(chat.get("conversation"));
            String state = conversationState(chat.get("conversation"));
            detail("posted: " + last);
            detail("conversation: " + state);
            expect(canceled.status() == 204, "our webhook answered 204");
            expect(last.equals("Concierge: " + WebChatConfig.Endings.DEFAULT_ABANDONED_MESSAGE), "the abandoned-chat message");
            expect("closed".equals(state), "the conversation is closed");
        });
    }

    // ---------------------------------------------------------------- shared steps

    /** {@code POST /initWebchat}: the token and the conversation go into {@code chat}. */
    private void startChat(Map<String, String> chat, String name, String query) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("formData").put("friendlyName", name).put("query", query);
        HttpResponse<String> started = postJson("/initWebchat", body);
        JsonNode answer = JSON.readTree(started.body());
        chat.put("token", answer.path("token").asText());
        chat.put("conversation", answer.path("conversationSid").asText());
        detail(started.statusCode() + ": token " + abbreviate(chat.get("token")) + ", conversationSid "
                + abbreviate(chat.get("conversation")));
        expect(started.statusCode() == 200, "200");
        expect(chat.get("conversation").startsWith("CH"), "a conversation");
    }

    /** Studio's request, signed as Twilio signs it; the task attributes go into {@code chat}. */
    private void askStudio(Map<String, String> chat) throws Exception {
        WebhookDelivery studio = emulator.send(api.baseUrl() + "/webhooks/studio",
                Map.of("ConversationSid", List.of(chat.get("conversation"))));
        JsonNode answer = JSON.readTree(studio.responseBody().isEmpty() ? "{}" : studio.responseBody());
        chat.put("attributes", JSON.writeValueAsString(answer.path("taskAttributes")));
        detail(studio.status() + ": open " + answer.path("open").asText() + ", taskAttributes " + chat.get("attributes"));
        expect(studio.status() == 200, "200");
        expect(answer.path("taskAttributes").isObject(), "task attributes");
    }

    /** What Studio's Send to Flex widget does: an interaction whose task carries the attributes. */
    private void sendToFlex(Map<String, String> chat) throws Exception {
        EmulatorAccount account = emulator.account();
        ObjectNode channel = JSON.createObjectNode().put("type", "web").put("initiated_by", "customer");
        channel.putObject("properties").put("media_channel_sid", chat.get("conversation"));
        ObjectNode routing = JSON.createObjectNode();
        routing.putObject("properties").put("workspace_sid", account.taskrouterWorkspaceSid())
                .put("task_channel_unique_name", "chat").set("attributes", JSON.readTree(chat.get("attributes")));
        JsonNode interaction = twilio.post("/flex-api/v1/Interactions", List.of(
                field("Channel", JSON.writeValueAsString(channel)), field("Routing", JSON.writeValueAsString(routing))));
        chat.put("interaction", interaction.path("sid").asText());
        chat.put("channel", interaction.path("channel").path("sid").asText());
        JsonNode task = interaction.path("routing").path("properties");
        chat.put("task", task.path("sid").asText());
        detail("interaction " + abbreviate(chat.get("interaction")) + ", task " + abbreviate(chat.get("task")) + " "
                + task.path("assignment_status").asText());
        expect("pending".equals(task.path("assignment_status").asText()), "a pending task");
    }

    // ---------------------------------------------------------------- steps, checks and output

    private void chat(String title) {
        out.println();
        out.println(title);
        chatBroken = false;
    }

    /** Runs one step, printing it as it goes; after a failed step the rest of its chat is skipped. */
    private void step(int number, String title, Action action) {
        steps++;
        out.printf("%2d. %s%n", number, title);
        if (chatBroken) {
            failures++;
            detail("skipped: an earlier step of this chat failed");
            return;
        }
        try {
            action.run();
            detail("ok");
        } catch (StepFailed e) {
            fail("expected " + e.getMessage());
        } catch (Exception e) {
            fail(e.toString());
        }
    }

    private void fail(String why) {
        failures++;
        chatBroken = true;
        detail("FAILED: " + why);
    }

    private void detail(String line) {
        out.println("    " + line);
    }

    private static void expect(boolean condition, String what) {
        if (!condition) {
            throw new StepFailed(what);
        }
    }

    private WebhookDelivery delivery(Predicate<WebhookDelivery> which, String what) {
        return deliverySince(0, which, what);
    }

    private WebhookDelivery deliverySince(int index, Predicate<WebhookDelivery> which, String what) {
        List<WebhookDelivery> found = deliveriesSince(index, which);
        if (found.isEmpty()) {
            throw new StepFailed(what);
        }
        return found.get(found.size() - 1);
    }

    private List<WebhookDelivery> deliveriesSince(int index, Predicate<WebhookDelivery> which) {
        List<WebhookDelivery> all = emulator.webhookDeliveries();
        return all.subList(Math.min(index, all.size()), all.size()).stream().filter(which).toList();
    }

    private String conversationState(String conversationSid) {
        return emulator.conversation(conversationSid).map(c -> String.valueOf(c.get("state"))).orElse("(gone)");
    }

    /** The conversation's messages as the widget shows them: the author's user friendly name, then the body. */
    private List<String> transcript(String conversationSid) {
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> message : emulator.messages(conversationSid)) {
            String author = String.valueOf(message.get("author"));
            String shown = emulator.user(author).map(u -> u.get("friendly_name")).map(String::valueOf).orElse(author);
            lines.add(shown + ": " + message.get("body"));
        }
        return lines;
    }

    private String lastMessage(String conversationSid) {
        List<String> transcript = transcript(conversationSid);
        return transcript.isEmpty() ? "(no message)" : transcript.get(transcript.size() - 1);
    }

    private static ObjectNode token(String token) {
        return JSON.createObjectNode().put("token", token);
    }

    private HttpResponse<String> postJson(String path, JsonNode body) {
        HttpRequest request = HttpRequest.newBuilder(api.baseUrl().resolve(path))
                .timeout(Duration.ofSeconds(20))
                .header("Origin", ORIGIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Enough of a SID or token to recognise it, never the whole token. */
    static String abbreviate(String value) {
        if (value == null || value.length() <= 12) {
            return String.valueOf(value);
        }
        if (value.startsWith("ey")) {
            return value.substring(0, 10) + "…(" + value.length() + " chars)";
        }
        return value.substring(0, 6) + "…" + value.substring(value.length() - 4);
    }
}
