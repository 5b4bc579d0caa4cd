package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.ops.wiring.Webhooks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The project's template.yaml served over real HTTP, against the Twilio emulator LocalApi starts. */
class LocalApiTest {

    private static final String ORIGIN = "http://localhost:3000";
    private static final String INIT = "{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"Hi\"}}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalApi api;
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        Path template = ProjectRoot.find().resolve("template.yaml");
        assertTrue(Files.isRegularFile(template), "no template.yaml at " + template);
        // No ACCOUNT_SID: LocalApi starts the emulator (on any free port here) and allows http://localhost:3000.
        api = LocalApi.start(new LocalApi.Options(template, 0, Map.of(), 0,
                new PrintStream(console, true, StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.baseUrl().resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body, String origin) throws Exception {
        return send("POST", path, body, "Origin", origin, "Content-Type", "application/json");
    }

    @Test
    void bannerNamesTheEmulatorsTestAccountSoTokensCanBeChecked() {
        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        LocalApi.Options options = new LocalApi.Options(ProjectRoot.find().resolve("template.yaml"), 0, Map.of(), 0,
                new PrintStream(banner, true, StandardCharsets.UTF_8));
        try (LocalApi emulated = LocalApi.start(options)) {
            emulated.printBanner(Path.of("no-such.env"), DotEnv.read(Path.of("no-such.env")));
        }
        EmulatorAccount account = EmulatorAccount.defaults();
        String printed = banner.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("API_KEY=" + account.apiKey() + " API_SECRET=" + account.apiSecret()), printed);
    }

    @Test
    void bannerShowsNoCredentialOfARealAccount() {
        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        Map<String, String> real = Map.of("ACCOUNT_SID", "AC" + "7".repeat(32), "AUTH_TOKEN", "real-auth-token-value",
                "API_KEY", "SK" + "7".repeat(32), "API_SECRET", "real-api-secret-value", "ADDRESS_SID", "IG" + "7".repeat(32),
                "CONVERSATIONS_SERVICE_SID", "IS" + "7".repeat(32), "ALLOWED_ORIGINS", ORIGIN,
                "TWILIO_API_BASE_URL", "http://127.0.0.1:9", "TASKROUTER_WORKSPACE_SID", "WS" + "7".repeat(32));
        LocalApi.Options options = new LocalApi.Options(ProjectRoot.find().resolve("template.yaml"), 0, real, 0,
                new PrintStream(banner, true, StandardCharsets.UTF_8));
        try (LocalApi withAccount = LocalApi.start(options)) {
            withAccount.printBanner(Path.of("no-such.env"), DotEnv.read(Path.of("no-such.env")));
        }
        String printed = banner.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("Twilio: http://127.0.0.1:9 (account AC…7777)"), printed);
        assertFalse(printed.contains("real-auth-token-value") || printed.contains("real-api-secret-value")
                || printed.contains("API_SECRET="), printed);
    }

    @Test
    void initWebchatEndToEnd() throws Exception {
        HttpResponse<String> response = post("/initWebchat", INIT, ORIGIN);

        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.path("token").asText().split("\\.").length == 3, response.body());
        String conversationSid = body.path("conversationSid").asText();
        assertTrue(conversationSid.startsWith("CH"), response.body());
        assertTrue(body.path("expiration").asLong() > System.currentTimeMillis());
        assertEquals(ORIGIN, response.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(api.emulator().orElseThrow().conversation(conversationSid).isPresent(), "the chat exists in the emulator");
        assertTrue(eventually(() -> console.toString(StandardCharsets.UTF_8).contains("POST /initWebchat 200 ")),
                "access log line");
    }

    /**
     * The access line is written once the response is sent, so the client may read the answer
     * a moment before the line is there.
     */
    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Test
    void preflightIsAnsweredByTheGatewayAlone() throws Exception {
        long before = api.invocations();
        HttpResponse<String> response = send("OPTIONS", "/initWebchat", null,
                "Origin", ORIGIN, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");

        assertEquals(204, response.statusCode());
        assertEquals("", response.body());
        assertEquals(ORIGIN, response.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(response.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        assertEquals("content-type", response.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
        assertEquals("600", response.headers().firstValue("Access-Control-Max-Age").orElse(null));
        assertEquals(before, api.invocations(), "no function ran");

        // Also for a path with no route at all, as API Gateway does.
        assertEquals(204, send("OPTIONS", "/anything", null, "Origin", ORIGIN, "Access-Control-Request-Method", "POST").statusCode());
        assertEquals(before, api.invocations());
    }

    @Test
    void disallowedOriginGetsNoCorsHeader() throws Exception {
        HttpResponse<String> response = post("/initWebchat", INIT, "https://evil.example");
        assertEquals(403, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Access-Control-Allow-Origin").isEmpty());

        HttpResponse<String> preflight = send("OPTIONS", "/initWebchat", null,
                "Origin", "https://evil.example", "Access-Control-Request-Method", "POST");
        assertEquals(204, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    /**
     * The template's CORS configuration exposes Retry-After, so the widget's page can read how long
     * a 429 asks it to wait: the gateway adds Access-Control-Expose-Headers to every answer for an
     * allowed origin, and to none for another.
     */
    @Test
    void aRateLimitedAnswerToAnAllowedOriginExposesRetryAfter() throws Exception {
        LocalApi.Options options = new LocalApi.Options(ProjectRoot.find().resolve("template.yaml"), 0,
                Map.of("RATE_LIMIT_CHATS_PER_IP", "1/PT1H"), 0, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try (LocalApi limited = LocalApi.start(options)) {
            HttpResponse<String> first = send(limited, "/initWebchat", INIT, ORIGIN);
            HttpResponse<String> over = send(limited, "/initWebchat", "{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"Again\"}}",
                    ORIGIN);
            HttpResponse<String> otherOrigin = send(limited, "/initWebchat", INIT, "https://evil.example");

            assertEquals(200, first.statusCode(), first.body());
            assertEquals("retry-after", first.headers().firstValue("Access-Control-Expose-Headers").orElse(null));
            assertEquals(429, over.statusCode(), over.body());
            assertEquals("rate_limited", JSON.readTree(over.body()).path("error").path("code").asText());
            long retryAfter = Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 3600, "seconds until the hour's window ends: " + retryAfter);
            assertEquals(ORIGIN, over.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertEquals("retry-after", over.headers().firstValue("Access-Control-Expose-Headers").orElse(null),
                    "without it a page cannot read Retry-After: " + over.headers().map());
            assertEquals(403, otherOrigin.statusCode(), otherOrigin.body());
            assertTrue(otherOrigin.headers().firstValue("Access-Control-Expose-Headers").isEmpty(), otherOrigin.headers().map().toString());
        }
    }

    private static HttpResponse<String> send(LocalApi to, String path, String body, String origin) throws Exception {
        return client.send(HttpRequest.newBuilder(to.baseUrl().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Origin", origin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The origin check's bypass on the JDK's HttpServer, which trimmed the NUL away: the Origin
     * with a NUL appended, sent as raw bytes, is refused by the gateway and no chat is started.
     */
    @Test
    void anOriginWithATrailingNulStartsNoChat() throws Exception {
        long before = api.invocations();
        byte[] body = INIT.getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = RawHttp.connect(api.port())) {
            RawHttp.Answer answer = http.send("POST /initWebchat HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + ORIGIN + "\0\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + INIT)
                    .read(Duration.ofSeconds(10));
            assertEquals(400, answer.status(), answer.body());
            assertEquals("{\"message\":\"Bad Request\"}", answer.body());
            assertTrue(answer.header("Access-Control-Allow-Origin") == null);
        }
        assertEquals(before, api.invocations(), "/initWebchat was invoked");
    }

    @Test
    void unknownRouteIsHttpApisOwn404() throws Exception {
        long before = api.invocations();
        HttpResponse<String> response = post("/nothing-here", "{}", ORIGIN);
        assertEquals(404, response.statusCode());
        assertEquals("{\"message\":\"Not Found\"}", response.body());
        assertEquals(404, send("GET", "/initWebchat", null).statusCode(), "the route is POST only");
        assertEquals(before, api.invocations());
    }

    @Test
    void refreshTokenRenewsTheTokenFromInitWebchat() throws Exception {
        JsonNode started = JSON.readTree(post("/initWebchat", INIT, ORIGIN).body());
        String token = started.path("token").asText();

        Thread.sleep(1_100); // tokens carry whole seconds: make the renewed one differ
        HttpResponse<String> response = post("/refreshToken",
                JSON.writeValueAsString(JSON.createObjectNode().put("token", token)), ORIGIN);

        assertEquals(200, response.statusCode(), response.body());
        JsonNode renewed = JSON.readTree(response.body());
        assertTrue(renewed.path("token").asText().split("\\.").length == 3);
        assertNotEquals(token, renewed.path("token").asText());
        assertTrue(renewed.path("expiration").asLong() >= started.path("expiration").asLong());
        assertEquals(ORIGIN, response.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        HttpResponse<String> refused = post("/refreshToken", "{\"token\":\"not.a.token\"}", ORIGIN);
        assertFalse(refused.statusCode() == 200, refused.body());
    }

    @Test
    void pointsTheEmulatorsWebhooksAndTaskRouterEventsAtItself() {
        EmulatorRest twilio = new EmulatorRest(api.emulator().orElseThrow());
        var account = api.emulator().orElseThrow().account();

        JsonNode webhooks = twilio.get("/conversations/v1/Services/" + account.conversationsServiceSid()
                + "/Configuration/Webhooks");
        assertEquals(api.baseUrl() + "/webhooks/conversations", webhooks.path("pre_webhook_url").asText());
        assertEquals(api.baseUrl() + "/webhooks/conversations", webhooks.path("post_webhook_url").asText());
        JsonNode workspace = twilio.get("/taskrouter/v1/Workspaces/" + account.taskrouterWorkspaceSid());
        assertEquals(api.baseUrl() + "/webhooks/taskrouter", workspace.path("event_callback_url").asText());
        assertEquals(Webhooks.TASKROUTER_EVENTS_FILTER, workspace.path("events_filter").asText());
    }

    @Test
    void apiListensOnLoopbackOnly() {
        assertEquals("127.0.0.1", api.baseUrl().getHost());
        assertTrue(URI.create(api.emulator().orElseThrow().baseUrl()).getHost().equals("127.0.0.1"));
    }
}
