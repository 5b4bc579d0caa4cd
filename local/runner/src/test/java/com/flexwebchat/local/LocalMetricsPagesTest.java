package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flexwebchat.shared.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /_local/} and {@code /_local/metrics} over real HTTP against the project's template.yaml: the functions'
 * log goes through a {@link LogTee} as {@code ./run-local} has it, and the page counts the lines they wrote.
 *
 * <p>Strict now: the JSON must count the very "Request completed" lines the functions wrote (captured here beside
 * the tee), and whatever {@code _aws} blocks they carry must be counted exactly as the lines say. What depends on
 * the functions emitting EMF (issue 12's emission, shared/metrics) is marked "EMISSION" below: with
 * {@link #EMISSION_LANDED} true every request line must carry a block and the counts are asserted as numbers.
 */
class LocalMetricsPagesTest {

    /**
     * EMISSION: whether the functions write an {@code _aws} block on each "Request completed" line (shared/metrics,
     * merged from main at 7cdd0d6): every request line must carry one, and the counts are asserted as numbers.
     */
    static final boolean EMISSION_LANDED = true;

    private static final String ORIGIN = "http://localhost:3000";
    private static final String INIT = "{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"Hi\"}}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the functions logged, byte for byte (the tee's console). */
    private static final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private static LocalApi api;
    /** What they had logged once the widget's three calls were answered (other tests add lines of another run). */
    private static String loggedByTheCalls;

    @BeforeAll
    static void start() throws Exception {
        Log.redirect(LogTee.around(logs));
        api = LocalApi.start(new LocalApi.Options(ProjectRoot.find().resolve("template.yaml"), 0, Map.of(), 0,
                new PrintStream(console, true, StandardCharsets.UTF_8)));
        // The widget's calls: a chat started, one from an origin that is not allowed, a token renewed.
        HttpResponse<String> started = post(api, "/initWebchat", INIT, ORIGIN);
        assertEquals(200, started.statusCode(), started.body());
        assertEquals(403, post(api, "/initWebchat", INIT, "https://evil.example").statusCode());
        String token = JSON.readTree(started.body()).path("token").asText();
        HttpResponse<String> renewed = post(api, "/refreshToken", "{\"token\":\"" + token + "\"}", ORIGIN);
        assertEquals(200, renewed.statusCode(), renewed.body());
        // The chat's opening message reaches /webhooks/conversations too, from the emulator's webhook thread.
        api.emulator().orElseThrow().awaitWebhooks(Duration.ofSeconds(10));
        loggedByTheCalls = logs.toString(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        try {
            if (api != null) {
                api.close();
            }
        } finally {
            Log.redirect(null);
        }
    }

    static HttpResponse<String> post(LocalApi to, String path, String body, String origin) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(to.baseUrl().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Origin", origin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String method, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(api.baseUrl().resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode metricsJson(LocalApi from) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(from.baseUrl().resolve("/_local/metrics.json"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
        return JSON.readTree(response.body());
    }

    /** The "Request completed" lines the functions wrote, as JSON. */
    static List<JsonNode> requestLines() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : loggedByTheCalls.split("\n")) {
            if (line.startsWith("{")) {
                JsonNode node = JSON.readTree(line);
                if ("Request completed".equals(node.path("message").asText())) {
                    lines.add(node);
                }
            }
        }
        return lines;
    }

    @Test
    void theJsonCountsTheRequestLinesTheFunctionsWrote() throws Exception {
        JsonNode metrics = metricsJson(api);
        List<JsonNode> written = requestLines();
        List<JsonNode> withEmf = written.stream().filter(line -> line.has("_aws")).toList();

        // Strict now: the widget's three calls (and the webhooks the emulator sent for the chat's opening message)
        // each wrote one access line, and the page saw each through the tee.
        List<String> routes = written.stream().map(line -> line.path("route").asText() + " " + line.path("status").asInt()).toList();
        assertEquals(List.of("POST /initWebchat 200", "POST /initWebchat 403", "POST /refreshToken 200"),
                routes.stream().filter(route -> !route.startsWith("POST /webhooks/")).toList(), loggedByTheCalls);
        assertEquals(written.size(), metrics.path("lines").path("requestLines").asLong(), metrics.toString());
        assertEquals(written.size() - withEmf.size(), metrics.path("lines").path("requestLinesWithoutEmf").asLong());
        assertEquals(0, metrics.path("lines").path("malformed").asLong(), metrics.path("lastMalformed").toString());
        assertEquals(withEmf.size(), metrics.path("lines").path("emf").asLong());
        assertTrue(metrics.path("lines").path("seen").asLong() >= 3);

        // Strict now, whatever the lines carry: the totals are the lines' own numbers.
        long requests = 0;
        long chatsStarted = 0;
        Map<String, Long> failures = new TreeMap<>();
        for (JsonNode line : withEmf) {
            requests += line.path("Requests").asLong();
            chatsStarted += line.path("ChatsStarted").asLong();
            if (!line.path("Outcome").asText("ok").equals("ok")) {
                failures.merge(line.path("Route").asText() + " " + line.path("Outcome").asText(), line.path("Requests").asLong(), Long::sum);
            }
        }
        assertEquals(requests, metrics.path("totals").path("requests").asLong());
        assertEquals(chatsStarted, metrics.path("totals").path("chatsStarted").asLong());
        Map<String, Long> shown = new TreeMap<>();
        metrics.path("failures").forEach(f -> shown.put(f.path("route").asText() + " " + f.path("outcome").asText(), f.path("count").asLong()));
        assertEquals(failures, shown);

        if (EMISSION_LANDED || !withEmf.isEmpty()) {
            // EMISSION: with the blocks, the numbers themselves.
            assertEquals(written.size(), withEmf.size(), "every request line carries a block");
            assertEquals(written.size(), metrics.path("totals").path("requests").asLong());
            assertEquals(1, metrics.path("totals").path("chatsStarted").asLong());
            assertEquals(1, metrics.path("totals").path("chatsNotStarted").asLong());
            assertEquals(1, metrics.path("totals").path("tokensRenewed").asLong());
            assertEquals(1L, shown.get("initWebchat origin_not_allowed"), shown.toString());
            assertEquals(1L, shown.values().stream().mapToLong(Long::longValue).sum(), "the webhooks answered ok: " + shown);
            assertTrue(metrics.path("totals").path("twilioCalls").asLong() >= 1, "the chat's conversation was created on Twilio");
            assertTrue(metrics.path("namespaces").size() >= 1);
            JsonNode init = LocalMetricsTest.route(metrics.path("window"), "initWebchat");
            assertEquals(2, init.path("requests").asLong());
            assertEquals(2, init.path("latency").path("samples").asInt());
            assertEquals(1, LocalMetricsTest.route(metrics.path("window"), "refreshToken").path("latency").path("samples").asInt());
            assertTrue(metrics.path("window").path("twilio").path("latency").path("samples").asInt() >= 1);
        } else {
            // Before the emission: nothing to count but the lines themselves.
            assertEquals(0, metrics.path("totals").path("requests").asLong());
            assertTrue(metrics.path("failures").isEmpty());
        }
    }

    @Test
    void theJsonHasItsWholeShape() throws Exception {
        JsonNode metrics = metricsJson(api);

        for (String key : List.of("startedAt", "now", "retention", "lines", "lastMalformed", "namespaces", "totals", "failures",
                "metrics", "window")) {
            assertTrue(metrics.has(key), key + " in " + metrics);
        }
        for (String key : LocalMetrics.TOTALS.keySet()) {
            assertTrue(metrics.path("totals").path(key).isIntegralNumber(), key);
        }
        assertTrue(metrics.path("totals").path("failures").isIntegralNumber());
        assertTrue(metrics.path("totals").path("chatsNotStarted").isIntegralNumber());
        assertEquals(10_000, metrics.path("retention").path("maxLines").asInt());
        assertEquals(30, metrics.path("retention").path("minutes").asInt());
        JsonNode window = metrics.path("window");
        assertTrue(window.path("minutes").size() >= LocalMetrics.MIN_MINUTES_SHOWN);
        for (String key : List.of("minute", "requests", "chatsStarted", "chatsNotStarted", "chatStartFailures", "failures",
                "twilioCalls", "twilioErrors", "storeCalls", "limited", "blocked", "captchaFailures", "coldStarts", "latencyP95")) {
            assertTrue(window.path("minutes").get(0).has(key), key);
        }
        assertTrue(window.path("routes").isArray());
        for (String upstream : List.of("twilio", "store", "mail")) {
            assertTrue(window.path(upstream).path("calls").isIntegralNumber(), upstream);
            assertTrue(window.path(upstream).path("errors").isIntegralNumber(), upstream);
            for (String key : List.of("samples", "p50", "p95", "p99", "max")) {
                assertTrue(window.path(upstream).path("latency").has(key), upstream + " " + key);
            }
        }
    }

    @Test
    void theMetricsPageIsScriptFromThisOriginOnlyWithItsSummaryInline() throws Exception {
        HttpResponse<String> page = send("GET", "/_local/metrics");
        long chatsStarted = metricsJson(api).path("totals").path("chatsStarted").asLong();

        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(null));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertEquals(MetricsPages.PAGE_CSP, csp);
        assertTrue(csp.startsWith("default-src 'none';") && csp.contains("script-src 'self';") && !csp.contains("unsafe")
                && !csp.contains("http"), csp);
        String html = page.body();
        Matcher scripts = Pattern.compile("<script[^>]*>").matcher(html);
        List<String> tags = new ArrayList<>();
        while (scripts.find()) {
            tags.add(scripts.group());
        }
        assertEquals(List.of("<script src=\"/_local/metrics.js\" defer>"), tags, "one script, a file of this origin");
        assertTrue(html.contains("<script src=\"/_local/metrics.js\" defer></script>"), "nothing inline");
        assertFalse(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "no inline handler");
        assertFalse(html.contains("style=\""), "no inline style");
        assertTrue(html.contains("<li data-key=\"totals.chatsStarted\">chats started: <b>" + chatsStarted + "</b></li>"), html);
        for (String chart : List.of("chats", "failures", "latency", "twilio", "abuse")) {
            assertTrue(html.contains("<div class=\"chart\" id=\"" + chart + "\"></div>"), chart);
        }
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(null));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(null));

        HttpResponse<String> script = send("GET", "/_local/metrics.js");
        assertEquals(200, script.statusCode());
        assertEquals("text/javascript; charset=utf-8", script.headers().firstValue("Content-Type").orElse(null));
        assertTrue(script.body().contains("fetch('/_local/metrics.json'"), "polls the JSON");
        assertTrue(script.body().contains("POLL_MS = 2000"));
        assertFalse(script.body().replace("http://www.w3.org/2000/svg", "").matches("(?s).*(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/.*"),
                "nothing from another origin");
        assertFalse(script.body().contains("innerHTML"), "values reach the page as text");
        HttpResponse<String> style = send("GET", "/_local/metrics.css");
        assertEquals(200, style.statusCode());
        assertEquals("text/css; charset=utf-8", style.headers().firstValue("Content-Type").orElse(null));

        HttpResponse<String> head = send("HEAD", "/_local/metrics");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void theIndexLinksEveryLocalPage() throws Exception {
        for (String path : List.of("/_local/", "/_local")) {
            HttpResponse<String> index = send("GET", path);
            assertEquals(200, index.statusCode(), path);
            assertTrue(index.body().contains("<a href=\"/_local/metrics\">Metrics</a>"), index.body());
            assertTrue(index.body().contains("<a href=\"/_local/mail\">Captured email</a>"), index.body());
            assertFalse(index.body().contains("<script"));
            String csp = index.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.startsWith("default-src 'none';") && !csp.contains("script-src"), csp);
        }
        assertTrue(send("GET", "/_local/mail").body().contains("Captured email"), "the mail pages are still there");
    }

    @Test
    void localPagesAreTheGatewaysNeverAFunctionsAndOnlyGetOrHead() throws Exception {
        long before = api.invocations();

        for (String path : List.of("/_local/", "/_local/metrics", "/_local/metrics.json", "/_local/metrics.js", "/_local/metrics.css")) {
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                HttpResponse<String> refused = send(method, path);
                assertEquals(405, refused.statusCode(), method + " " + path);
                assertEquals("GET, HEAD", refused.headers().firstValue("Allow").orElse(null));
            }
        }
        // A CORS preflight to a local page is not a preflight: the page refuses it.
        HttpResponse<String> preflight = CLIENT.send(HttpRequest.newBuilder(api.baseUrl().resolve("/_local/metrics.json"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "GET").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertEquals(404, send("GET", "/_local/metrics/other").statusCode());
        assertEquals(404, send("GET", "/_local/metrics.jsonx").statusCode());
        assertEquals(200, send("GET", "/_local/metrics").statusCode());

        assertEquals(before, api.invocations(), "no function ran");
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("GET /_local/metrics 200 "), "in the access log");
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("(local pages)"));
    }

    @Test
    void aClientThatIsNotOnThisMachineIsRefusedEveryLocalPage() throws Exception {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 40_000);
        InetSocketAddress local = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40_000);
        long before = api.invocations();
        for (String path : List.of("/_local", "/_local/", "/_local/metrics", "/_local/metrics.json", "/_local/metrics.js",
                "/_local/mail", "/_local/mail.json")) {
            GatewayServer.Request fromAfar = new GatewayServer.Request("GET", URI.create(path), "HTTP/1.1",
                    Map.of("host", "127.0.0.1"), new byte[0], remote);
            assertEquals(403, api.localPage(fromAfar).status(), path);
            GatewayServer.Request fromHere = new GatewayServer.Request("GET", URI.create(path), "HTTP/1.1",
                    Map.of("host", "127.0.0.1"), new byte[0], local);
            assertEquals(200, api.localPage(fromHere).status(), path);
        }
        assertEquals(before, api.invocations());
    }

    @Test
    void theBannerNamesThePages() {
        api.printBanner(java.nio.file.Path.of("no-such.env"), DotEnv.read(java.nio.file.Path.of("no-such.env")));

        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("Metrics: the functions' EMF lines, charted live at " + api.baseUrl() + "/_local/metrics (and "
                + api.baseUrl() + "/_local/metrics.json); every local page at " + api.baseUrl() + "/_local/"), printed);
    }

    @Test
    void twoRunsInOneJvmCountOnlyTheirOwnFunctionsLines() throws Exception {
        long before = metricsJson(api).path("lines").path("requestLines").asLong();
        try (LocalApi other = LocalApi.start(new LocalApi.Options(ProjectRoot.find().resolve("template.yaml"), 0, Map.of(), 0,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))) {
            assertEquals(403, post(other, "/initWebchat", INIT, "https://evil.example").statusCode());
            assertEquals(403, post(other, "/initWebchat", INIT, "https://evil.example").statusCode());

            assertEquals(2, metricsJson(other).path("lines").path("requestLines").asLong());
            assertEquals(before, metricsJson(api).path("lines").path("requestLines").asLong());
        }
    }
}
