package com.flexwebchat.local.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.Handlers;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.harness.SamTemplate.SamFunction;
import com.flexwebchat.harness.SamTemplate.SamRoute;
import com.flexwebchat.local.LocalApi;
import com.flexwebchat.local.LocalSettings;
import com.flexwebchat.shared.http.HttpApiHandler;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.snapstart.SnapStart;
import com.flexwebchat.standins.LocalDynamo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the benchmark runs: template.yaml's functions that have a route, each with its environment
 * (against a Twilio emulator started here and, with the store on, a dynalite), its handler built in
 * this JVM, and the request it gets. With the store on, every request comes from an address of its
 * own, as from many visitors: each counts against a fresh per-IP limit and none is taken for a
 * repeated submit (whose answer would skip Twilio); the limits are set high enough never to refuse. The handlers mint the token /refreshToken needs and make the chats the webhooks name,
 * warm the emulator up before any cold start is timed, and are what the warm phase measures.
 */
public final class Workload implements AutoCloseable {

    static final String ORIGIN = "http://localhost:3000";
    static final String INIT_BODY = "{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"Hi\"}}";
    private static final String API_HOST = "abc123.execute-api.us-east-1.amazonaws.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EMULATOR_WARMUP_INVOCATIONS = 20;
    private static final int EVENT_WARMUP_INVOCATIONS = 3;
    /** Limits the benchmark counts against but never reaches. */
    private static final String UNREACHED_LIMIT = "100000000/PT1H";
    private static final AtomicInteger VISITORS = new AtomicInteger();

    static {
        // The emulator serves the probes too: without TCP_NODELAY each of their Twilio calls waits ~40 ms.
        LocalApi.enableTcpNoDelay();
    }

    /** One function under test: its definition, route, environment and deployment package. */
    public record Subject(SamFunction function, SamRoute route, Map<String, String> env, Path artifact) {

        public String id() {
            return function.logicalId();
        }

        Duration timeout() {
            return Duration.ofSeconds(function.timeoutSeconds());
        }
    }

    private final SamTemplate template;
    private final TwilioEmulator emulator;
    private final LocalDynamo store;
    private final List<Subject> subjects;
    private final Map<String, HttpApiHandler> handlers;
    private final Map<String, String> bodies;
    private final JsonNode chat;

    private Workload(SamTemplate template, TwilioEmulator emulator, LocalDynamo store, List<Subject> subjects,
                     Map<String, HttpApiHandler> handlers,
                     Map<String, String> bodies) {
        this.template = template;
        this.emulator = emulator;
        this.store = store;
        this.subjects = subjects;
        this.handlers = handlers;
        this.bodies = bodies;
        // The chat the recorded webhooks are about (a chat of their own is made for each event that ends one).
        this.chat = startChat();
    }

    /**
     * Starts the emulator (and with {@code storeRoot} a dynalite from that project root; null: no
     * store, its protections off), builds every routed function's handler here, makes the requests
     * and warms the emulator up.
     */
    public static Workload start(SamTemplate template, Path storeRoot) {
        TwilioEmulator emulator = TwilioEmulator.start(0);
        LocalDynamo store = null;
        try {
            Map<String, String> settings = new LinkedHashMap<>(LocalSettings.twilio(
                    Map.of("TWILIO_API_BASE_URL", emulator.baseUrl(), "ALLOWED_ORIGINS", ORIGIN), 0).settings());
            if (storeRoot != null) {
                store = LocalDynamo.start(storeRoot);
                settings.putAll(store.environment());
                for (String limit : List.of("RATE_LIMIT_CHATS_PER_IP", "RATE_LIMIT_CHATS_PER_ACCOUNT",
                        "RATE_LIMIT_RENEWALS_PER_VISITOR", "RATE_LIMIT_ENDINGS_PER_VISITOR",
                        "RATE_LIMIT_TRANSCRIPTS_PER_CHAT", "RATE_LIMIT_TRANSCRIPTS_PER_ADDRESS")) {
                    settings.put(limit, UNREACHED_LIMIT);
                }
            }
            // As deployed with transcripts on: the Conversations function builds its mailer (SES) at init.
            settings.put("FROM_EMAIL", "transcripts@example.com");
            settings.putIfAbsent("AWS_REGION", "us-east-1");
            settings.putIfAbsent("AWS_ACCESS_KEY_ID", "local");
            settings.putIfAbsent("AWS_SECRET_ACCESS_KEY", "local");
            List<Subject> subjects = new ArrayList<>();
            for (SamFunction function : template.functions()) {
                if (!function.routes().isEmpty()) {
                    subjects.add(new Subject(function, function.routes().get(0),
                            LocalSettings.functionEnvironment(template, function, settings), template.artifact(function)));
                }
            }
            Map<String, HttpApiHandler> handlers = new LinkedHashMap<>();
            for (Subject subject : subjects) {
                handlers.put(subject.id(), Handlers.instantiate(subject.function().handler(), subject.env()));
            }
            Log.redirect(new PrintStream(new LogCapture(), true, StandardCharsets.UTF_8));
            try {
                Workload workload = new Workload(template, emulator, store, List.copyOf(subjects), handlers,
                        requestBodies(subjects, handlers));
                for (Subject subject : subjects) {
                    for (int i = 0; i < EMULATOR_WARMUP_INVOCATIONS; i++) {
                        workload.invoke(subject);
                    }
                    // The emulator's side of every recorded event too; a status that is not a success shows in the report.
                    for (String eventFile : workload.events(subject)) {
                        for (int i = 0; i < EVENT_WARMUP_INVOCATIONS; i++) {
                            APIGatewayV2HTTPResponse response = workload.invoke(subject, eventFile);
                            if (i == 0 && !succeeded(response.getStatusCode())) {
                                System.err.println("  warning: " + subject.id() + " answered events/" + eventFile + " with "
                                        + response.getStatusCode() + ": " + response.getBody());
                            }
                        }
                    }
                }
                return workload;
            } finally {
                Log.redirect(null);
            }
        } catch (IOException | RuntimeException e) {
            emulator.close();
            if (store != null) {
                store.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Whether the functions have a store (and so their protections on). */
    public boolean hasStore() {
        return store != null;
    }

    public SamTemplate template() {
        return template;
    }

    public String emulatorUrl() {
        return emulator.baseUrl();
    }

    public List<Subject> subjects() {
        return subjects;
    }

    /** The subject whose logical ID is {@code function}. */
    public Subject subject(String function) {
        return subjects.stream().filter(s -> s.id().equals(function)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("template.yaml has no function " + function + " with a route; it has "
                        + subjects.stream().map(Subject::id).toList()));
    }

    /** The subject's request, as API Gateway sends it. */
    APIGatewayV2HTTPEvent event(Subject subject) {
        return event(subject, bodies.getOrDefault(subject.route().path(), "{}"));
    }

    /** The subject's request as the runtime's serialiser writes it, for a probe to read. */
    byte[] eventJson(Subject subject) {
        return json(event(subject));
    }

    HttpApiHandler handler(Subject subject) {
        return handlers.get(subject.id());
    }

    /** One in-process invocation, which must succeed. */
    void invoke(Subject subject) {
        APIGatewayV2HTTPResponse response = handler(subject).handle(event(subject),
                new LocalContext(subject.id(), subject.timeout()));
        if (!succeeded(response.getStatusCode())) {
            throw new IllegalStateException(subject.route().routeKey() + " answered " + response.getStatusCode() + ": "
                    + response.getBody());
        }
    }

    /** 200, or 204 for TaskRouter's event callback, which expects no body. */
    static boolean succeeded(int status) {
        return status == 200 || status == 204;
    }

    // ---------------------------------------------------------------- recorded events

    /**
     * The {@code events/} files {@code subject}'s handler registered for its SnapStart priming, in
     * its order: one for each route and event type it serves (none when it registered no hooks).
     */
    public List<String> events(Subject subject) {
        return SnapStart.of(handler(subject)).map(SnapStart::events).orElse(List.of());
    }

    /**
     * A real request made from the recorded event {@code eventFile}, as API Gateway would deliver it
     * to {@code subject} from a new visitor: the allowed origin, the chat it names made real (a
     * visitor's token issued for a chat started here, the conversation a chat started here: a chat
     * of its own for each request that ends one, so none finds its chat already ended), a new
     * Twilio idempotency token, and Twilio's signature for the URL the function checks. A transcript
     * request names an address that started no chat, as the handler's priming does: nothing is sent.
     */
    APIGatewayV2HTTPEvent recorded(Subject subject, String eventFile) {
        JsonNode json;
        try {
            json = JSON.readTree(Files.readAllBytes(eventsFolder().resolve(eventFile)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read events/" + eventFile, e);
        }
        String path = json.path("rawPath").asText("/");
        String method = json.path("requestContext").path("http").path("method").asText("POST");
        boolean base64 = json.path("isBase64Encoded").asBoolean(false);
        String body = json.path("body").isNull() ? "" : json.path("body").asText("");
        if (base64) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        json.path("headers").properties().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().asText()));
        headers.remove("content-length");
        headers.remove("x-forwarded-for");
        headers.put("host", API_HOST);
        if (headers.containsKey("origin")) {
            headers.put("origin", ORIGIN);
        }
        if (headers.containsKey("i-twilio-idempotency-token")) {
            headers.put("i-twilio-idempotency-token", UUID.randomUUID().toString());
        }
        boolean endsAChat = body.contains("\"token\"") || path.startsWith("/webhooks/taskrouter");
        JsonNode about = endsAChat ? startChat() : chat;
        body = body.replace(RECORDED_CONVERSATION, about.path("conversationSid").asText())
                .replace(RECORDED_VISITOR, identity(about.path("token").asText()));
        if (path.endsWith("/email")) {
            // As the handler primes it: an address that started no chat (the recorded one has chats here,
            // from initWebchat.json), so nothing is sent; one of its own each time, so no limit is shared.
            body = body.replace(RECORDED_ADDRESS, "nobody-" + UUID.randomUUID() + "@example.com");
        }
        if (body.contains("\"token\"")) {
            try {
                JsonNode parsed = JSON.readTree(body);
                if (parsed instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
                    object.put("token", about.path("token").asText());
                    body = JSON.writeValueAsString(object);
                }
            } catch (IOException e) {
                // not JSON: as recorded
            }
        }
        if (headers.containsKey("x-twilio-signature") && !headers.getOrDefault("content-type", "").startsWith("application/json")) {
            headers.put("x-twilio-signature", TwilioEmulator.signature(subject.env().get("AUTH_TOKEN"),
                    "https://" + API_HOST + path, formParams(body)));
        }
        return HttpApiEvents.request(method, path, path, "", headers, body, base64, nextVisitor());
    }

    /** {@link #recorded(Subject, String)} as the runtime's serialiser writes it, for a probe to read. */
    byte[] eventJson(Subject subject, String eventFile) {
        return json(recorded(subject, eventFile));
    }

    /** One in-process invocation of a recorded event: its answer. */
    APIGatewayV2HTTPResponse invoke(Subject subject, String eventFile) {
        return handler(subject).handle(recorded(subject, eventFile), new LocalContext(subject.id(), subject.timeout()));
    }

    /** The conversation and visitor the recorded events name. */
    private static final String RECORDED_CONVERSATION = "CH00112233445566778899aabbccddeeff";
    private static final String RECORDED_VISITOR = "0e2294f3-05c1-4bc7-9ef9-0abb4dc192f8";
    private static final String RECORDED_ADDRESS = "ada@example.com";

    private Path eventsFolder() {
        return template.file().getParent().resolve("events");
    }

    /** A new chat through the /initWebchat function: its answer (token, conversationSid). */
    private JsonNode startChat() throws UncheckedIOException {
        Subject init = subjects.stream().filter(s -> "/initWebchat".equals(s.route().path())).findFirst()
                .orElseThrow(() -> new IllegalStateException("template.yaml has no POST /initWebchat route"));
        APIGatewayV2HTTPResponse[] answer = new APIGatewayV2HTTPResponse[1];
        Log.muted(() -> answer[0] = handler(init).handle(event(init, INIT_BODY), new LocalContext(init.id(), init.timeout())));
        APIGatewayV2HTTPResponse started = answer[0];
        if (started.getStatusCode() != 200) {
            throw new IllegalStateException("/initWebchat answered " + started.getStatusCode() + ": " + started.getBody());
        }
        try {
            return JSON.readTree(started.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The identity a visitor's token grants (its JWT's grants.identity), or "" when it has none. */
    private static String identity(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return "";
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("grants").path("identity").asText("");
        } catch (IOException | IllegalArgumentException e) {
            return "";
        }
    }

    private static byte[] json(APIGatewayV2HTTPEvent event) {
        PojoSerializer<APIGatewayV2HTTPEvent> serializer =
                LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, Workload.class.getClassLoader());
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        serializer.toJson(event, json);
        return json.toByteArray();
    }

    @Override
    public void close() {
        emulator.close();
        if (store != null) {
            store.close();
        }
    }

    // ---------------------------------------------------------------- requests

    /** Each route's body; /refreshToken's carries a real token from an /initWebchat call. */
    private static Map<String, String> requestBodies(List<Subject> subjects,
                                                     Map<String, HttpApiHandler> handlers)
            throws IOException {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("/initWebchat", INIT_BODY);
        Subject init = subjects.stream().filter(s -> "/initWebchat".equals(s.route().path())).findFirst()
                .orElseThrow(() -> new IllegalStateException("template.yaml has no POST /initWebchat route"));
        HttpApiHandler starter = handlers.get(init.id());
        APIGatewayV2HTTPResponse started = starter.handle(event(init, INIT_BODY), new LocalContext(init.id(), init.timeout()));
        if (started.getStatusCode() != 200) {
            throw new IllegalStateException("/initWebchat answered " + started.getStatusCode() + ": " + started.getBody());
        }
        JsonNode chat = JSON.readTree(started.getBody());
        String token = chat.path("token").asText();
        String conversationSid = chat.path("conversationSid").asText();
        bodies.put("/refreshToken", JSON.writeValueAsString(JSON.createObjectNode().put("token", token)));
        // The webhooks as Twilio sends them for that chat: Studio asking for its context, and the
        // pre-event for a visitor's message with a card number to mask.
        bodies.put("/webhooks/studio", "ConversationSid=" + conversationSid);
        bodies.put("/webhooks/conversations", "EventType=onMessageAdd&ConversationSid=" + conversationSid
                + "&Author=visitor&Source=SDK&Body=" + URLEncoder.encode("My card is 4111 1111 1111 1111", StandardCharsets.UTF_8));
        // TaskRouter completing the chat's task: the first delivery closes the conversation of a
        // chat of its own, every later one is a replay that finds it closed (one read).
        APIGatewayV2HTTPResponse second = starter.handle(event(init, INIT_BODY), new LocalContext(init.id(), init.timeout()));
        String endedSid = JSON.readTree(second.getBody()).path("conversationSid").asText();
        bodies.put("/webhooks/taskrouter", "EventType=task.completed&TaskSid=WT" + "0".repeat(32)
                + "&TaskAssignmentStatus=completed&TaskChannelUniqueName=chat&TaskAttributes="
                + URLEncoder.encode("{\"channelType\":\"web\",\"conversationSid\":\"" + endedSid + "\"}", StandardCharsets.UTF_8));
        return bodies;
    }

    private static APIGatewayV2HTTPEvent event(Subject subject, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", API_HOST);
        headers.put("user-agent", "cold-start-benchmark");
        headers.put("x-forwarded-proto", "https");
        SamRoute route = subject.route();
        String path = route.isDefault() ? "/" : route.path();
        boolean webhook = path.startsWith("/webhooks/");
        if (webhook) {
            // Signed as Twilio signs it; HTTP APIs deliver form bodies base64-encoded.
            headers.put("content-type", "application/x-www-form-urlencoded");
            headers.put("x-twilio-signature", TwilioEmulator.signature(subject.env().get("AUTH_TOKEN"),
                    "https://" + API_HOST + path, formParams(body)));
        } else {
            headers.put("content-type", "application/json");
            headers.put("origin", ORIGIN);
        }
        return HttpApiEvents.request(route.isDefault() ? "POST" : route.method(), path, path, "", headers, body, webhook,
                nextVisitor());
    }

    /** 10.x.y.z, a new one each call. */
    private static String nextVisitor() {
        int n = VISITORS.incrementAndGet() & 0xFFFFFF;
        return "10." + (n >>> 16) + "." + ((n >>> 8) & 0xFF) + "." + (n & 0xFF);
    }

    private static Map<String, List<String>> formParams(String body) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            params.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return params;
    }
}
