package com.flexwebchat.local;

import static com.flexwebchat.local.EmulatorRest.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.Handlers;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.harness.SamTemplate.SamFunction;
import com.flexwebchat.harness.SamTemplate.SamRoute;
import com.flexwebchat.ops.wiring.Webhooks;
import com.flexwebchat.shared.http.HttpApiHandler;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
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
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * template.yaml's HTTP API on 127.0.0.1, the way API Gateway and Lambda would serve it: each route
 * goes to its function's handler (built once, as a warm Lambda keeps it), with the payload 2.0
 * event API Gateway would send and a Lambda context carrying the function's timeout; the handler's
 * response goes back to the client as API Gateway turns it into HTTP. CORS is answered by the
 * "gateway" ({@link GatewayCors}), unknown routes get HTTP API's own 404. The HTTP itself is
 * {@link GatewayServer}'s, which refuses what API Gateway would not forward (control characters in
 * header values, oversized heads, malformed request lines...) and cuts off clients that stall.
 *
 * <p>{@code ./run-local} runs {@link #main}; tests use {@link #start(Options)} and {@link #close()}.
 */
public final class LocalApi implements AutoCloseable {

    public static final int DEFAULT_PORT = 3001;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param template     the SAM template whose HttpApi routes are served
     * @param port         0 for any free port
     * @param settings     the process environment merged with .env ({@link LocalSettings#merge})
     * @param emulatorPort where to start the Twilio emulator when one is needed (0: any free port)
     * @param console      where the startup banner and the access log go
     * @param storePort    where to start dynalite when the settings name no store (0: any free port; {@link LocalProtections})
     * @param captchaPort  where to start the CAPTCHA stand-in when one is needed, likewise
     *
     * <p>The settings may also hold LOCAL_READ_TIMEOUT, LOCAL_IDLE_TIMEOUT and LOCAL_MAX_CONNECTIONS
     * ({@link GatewayServer.Limits}).
     */
    public record Options(Path template, int port, Map<String, String> settings, int emulatorPort, PrintStream console,
                          int storePort, int captchaPort) {

        /** Any free ports for the store and the CAPTCHA stand-in, as tests want. */
        public Options(Path template, int port, Map<String, String> settings, int emulatorPort, PrintStream console) {
            this(template, port, settings, emulatorPort, console, 0, 0);
        }
    }

    static {
        enableTcpNoDelay();
    }

    /**
     * Has the JDK's HTTP server (the in-process Twilio emulator's) set TCP_NODELAY
     * on its connections, unless the command line said otherwise. Without it each response
     * written as headers then body waits out the client's delayed ACK: ~40 ms per Twilio call
     * against the emulator, which swamps everything a local run or the benchmark measures. Read
     * once, when the first server is created.
     */
    public static void enableTcpNoDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private record Function(SamFunction definition, HttpApiHandler handler) {
    }

    private final SamTemplate template;
    private final Map<String, Function> functions;
    private final Optional<GatewayCors> cors;

    private final TwilioEmulator emulator;
    private final LocalProtections protections;
    private final LocalMail mail;
    private final MailPages mailPages;
    private final LocalMetrics metrics = new LocalMetrics();
    private final MetricsPages metricsPages = new MetricsPages(metrics);
    private final String twilioDescription;
    private final EmulatorAccount testAccount;
    private final PrintStream console;
    private final GatewayServer server;
    private final ExecutorService invokerThreads;
    private final AtomicLong invocations = new AtomicLong();

    private LocalApi(SamTemplate template, Map<String, Function> functions, Optional<GatewayCors> cors,
                     LocalSettings.Twilio twilio, LocalProtections protections, LocalMail mail, Options options,
                     GatewayServer.Limits limits) throws IOException {
        this.template = template;
        this.protections = protections;
        this.mail = mail;
        this.mailPages = new MailPages(mail);
        this.functions = functions;
        this.cors = cors;
        this.emulator = twilio.emulator();
        this.twilioDescription = twilio.description();
        this.testAccount = twilio.testAccount();
        this.console = options.console();
        this.invokerThreads = Executors.newCachedThreadPool(threads("lambda-invoke-", true));
        this.server = new GatewayServer(options.port(), limits, this::serve, console::println);
        if (emulator != null) {
            pointWebhooksHere(emulator);
        }
    }

    /**
     * Configures the emulator the way an operator configures Twilio ({@code ./run-local wire},
     * README: "Point Twilio at the deployed API"), for the webhook routes the template has, with
     * the routes and events that command sets ({@link Webhooks}): the Flex Conversations
     * service's webhooks to /webhooks/conversations, so a local chat's messages and participants
     * reach it, and the TaskRouter workspace's Event Callback URL to /webhooks/taskrouter, so its
     * tasks' endings do; signed, as in production.
     */
    private void pointWebhooksHere(TwilioEmulator emulator) {
        EmulatorAccount account = emulator.account();
        EmulatorRest rest = new EmulatorRest(emulator);
        if (template.route("POST", Webhooks.CONVERSATIONS_ROUTE).isPresent()) {
            String url = baseUrl() + Webhooks.CONVERSATIONS_ROUTE;
            List<Map.Entry<String, String>> form = new ArrayList<>(List.of(field("Method", "POST"),
                    field("PreWebhookUrl", url), field("PostWebhookUrl", url)));
            Webhooks.CONVERSATIONS_EVENTS.forEach(event -> form.add(field("Filters", event)));
            rest.post("/conversations/v1/Services/" + account.conversationsServiceSid() + "/Configuration/Webhooks", form);
        }
        if (template.route("POST", Webhooks.TASKROUTER_ROUTE).isPresent()) {
            rest.post("/taskrouter/v1/Workspaces/" + account.taskrouterWorkspaceSid(), List.of(
                    field("EventCallbackUrl", baseUrl() + Webhooks.TASKROUTER_ROUTE),
                    field("EventsFilter", Webhooks.TASKROUTER_EVENTS_FILTER)));
        }
    }

    /** Loads the template, points Twilio where the settings say (starting the emulator if needed), builds every handler, listens. */
    public static LocalApi start(Options options) {
        GatewayServer.Limits limits = GatewayServer.Limits.from(options.settings());
        SamTemplate template = SamTemplate.load(options.template());
        LocalSettings.Twilio twilio = LocalSettings.twilio(options.settings(), options.emulatorPort());
        LocalProtections protections = null;
        LocalMail mail = null;
        try {
            protections = LocalProtections.start(twilio.settings(), standInsRoot(options.template()),
                    options.storePort(), options.captchaPort());
            mail = LocalMail.start(protections.settings());
            Map<String, String> settings = mail.settings();
            Map<String, Function> functions = new LinkedHashMap<>();
            for (SamFunction function : template.functions()) {
                if (function.routes().isEmpty()) {
                    continue;
                }
                Map<String, String> env = LocalSettings.functionEnvironment(template, function, settings);
                try {
                    functions.put(function.logicalId(), new Function(function, Handlers.instantiate(function.handler(), env)));
                } catch (RuntimeException e) {
                    throw new IllegalStateException(function.logicalId() + " (" + function.handler()
                            + ") failed to initialise: " + e.getMessage(), e);
                }
            }
            Optional<GatewayCors> cors = template.cors()
                    .map(configuration -> new GatewayCors(configuration, settings.get("ALLOWED_ORIGINS")));
            return new LocalApi(template, functions, cors, twilio, protections, mail, options, limits);
        } catch (IOException | RuntimeException e) {
            if (twilio.emulator() != null) {
                twilio.emulator().close();
            }
            if (protections != null) {
                protections.close();
            }
            if (mail != null) {
                mail.close();
            }
            if (e instanceof BindException) {
                throw new UncheckedIOException("Port " + options.port() + " on 127.0.0.1 is in use (set PORT to use another)",
                        (BindException) e);
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Where local/stand-ins is: beside the template when it is the repository's, else the repository this code is from. */
    static Path standInsRoot(Path template) {
        Path folder = template.toAbsolutePath().getParent();
        return Files.isDirectory(folder.resolve("local/stand-ins/dynalite")) ? folder : ProjectRoot.find();
    }

    public int port() {
        return server.port();
    }

    /** The gateway's read and idle timeouts and its connection limit. */
    GatewayServer.Limits limits() {
        return server.limits();
    }

    /** Connections open now (kept-alive ones included). */
    public int openConnections() {
        return server.openConnections();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The emulator this API started, if it started one. */
    public Optional<TwilioEmulator> emulator() {
        return Optional.ofNullable(emulator);
    }

    public String twilioDescription() {
        return twilioDescription;
    }

    /** The store and CAPTCHA stand-in this API started for the abuse protections, and the settings they gave its functions. */
    LocalProtections protections() {
        return protections;
    }

    /** Where the functions' email goes, and what this run captured of it. */
    LocalMail mail() {
        return mail;
    }

    /**
     * What this run's functions measured: the EMF blocks of the lines they log while a {@link LogTee} carries the
     * log ({@link #main} puts one around stdout; a test puts its own).
     */
    LocalMetrics metrics() {
        return metrics;
    }

    /** Handler invocations so far (preflights and unknown routes never reach a function). */
    public long invocations() {
        return invocations.get();
    }

    @Override
    public void close() {
        server.close();
        invokerThreads.shutdownNow();
        if (emulator != null) {
            emulator.close();
        }
        protections.close();
        mail.close();
    }

    // ---------------------------------------------------------------- request handling

    private GatewayServer.Response serve(GatewayServer.Request request) {
        long started = System.nanoTime();
        String method = request.method();
        URI uri = request.uri();
        String target = "-";
        int status = 500;
        try {
            Map<String, String> headers = requestHeaders(request);
            String origin = headers.get("origin");
            Reply reply;
            if (MailPages.owns(uri.getPath())) {
                target = MetricsPages.owns(uri.getPath()) ? "local pages" : "local mail pages";
                GatewayServer.Response page = localPage(request);
                status = page.status();
                return page;
            }
            if (cors.isPresent() && GatewayCors.isPreflight(method, headers)) {
                target = "CORS preflight";
                reply = new Reply(204, cors.get().preflightHeaders(origin), List.of(), new byte[0]);
            } else {
                Optional<SamRoute> route = template.route(method, uri.getPath());
                if (route.isEmpty()) {
                    reply = Reply.json(404, "{\"message\":\"Not Found\"}");
                } else {
                    Function function = functions.get(route.get().functionId());
                    target = function.definition().logicalId();
                    reply = invoke(function, route.get(), method, uri, headers, request.body(),
                            request.remote().getAddress().getHostAddress());
                }
                if (cors.isPresent()) {
                    reply = reply.withCors(cors.get().responseHeaders(origin));
                }
            }
            GatewayServer.Response response = reply.toResponse();
            status = response.status();
            return response;
        } catch (IOException | RuntimeException e) {
            System.err.println("The local gateway failed on " + method + " " + uri.getRawPath() + ":");
            e.printStackTrace();
            return GatewayServer.Response.message(500, "Internal Server Error");
        } finally {
            console.printf(Locale.ROOT, "%s %s %d %.1f ms (%s)%n", method, uri.getRawPath(), status,
                    (System.nanoTime() - started) / 1e6, target);
        }
    }

    /**
     * The gateway's own pages under /_local/ (the index, the metrics, the captured email), never a function's route;
     * loopback only, as the gateway listens on 127.0.0.1 alone; GET and HEAD only.
     */
    GatewayServer.Response localPage(GatewayServer.Request request) {
        String path = request.uri().getPath();
        if (!request.remote().getAddress().isLoopbackAddress()) {
            return GatewayServer.Response.message(403, "Forbidden");
        }
        return MetricsPages.owns(path) ? metricsPages.serve(request.method(), path) : mailPages.serve(request.method(), path);
    }

    private Reply invoke(Function function, SamRoute route, String method, URI uri, Map<String, String> headers,
                         byte[] body, String sourceIp) throws IOException {
        // The gateway has refused a body over HTTP API's 10 MB quota already (GatewayServer).
        boolean base64 = body.length > 0 && !isTextContentType(headers.get("content-type"));
        // HttpApiEvents takes the body as a String and base64-encodes its UTF-8 bytes, so a body
        // that is not UTF-8 text would not arrive byte for byte; this API's routes take JSON.
        ObjectNode event = HttpApiEvents.requestJson(method, route.path(), uri.getRawPath(), uri.getRawQuery(),
                headers, new String(body, StandardCharsets.UTF_8), base64, sourceIp);
        // The route's own key ("ANY /echo/{name}", "$default"); requestContext.http.method stays the request's.
        event.put("routeKey", route.routeKey());
        ((ObjectNode) event.get("requestContext")).put("routeKey", route.routeKey());
        String eventJson = Json.write(event);
        SamFunction definition = function.definition();
        Duration timeout = Duration.ofSeconds(definition.timeoutSeconds());
        LocalContext context = new LocalContext(definition.logicalId(), timeout);
        invocations.incrementAndGet();
        // The lines the handler logs on its thread also go to this run's metrics (when the log goes through a LogTee).
        Future<String> result = invokerThreads.submit(
                () -> LogTee.feeding(metrics::accept, () -> HttpApiEvents.invoke(function.handler(), eventJson, context)));
        String response;
        try {
            response = result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            System.err.printf(Locale.ROOT, "%s Task timed out after %d.00 seconds%n", context.getAwsRequestId(),
                    definition.timeoutSeconds());
            return Reply.json(500, "{\"message\":\"Internal Server Error\"}");
        } catch (ExecutionException e) {
            System.err.println(definition.logicalId() + " threw (Lambda reports an unhandled error; API Gateway answers 500):");
            e.getCause().printStackTrace();
            return Reply.json(500, "{\"message\":\"Internal Server Error\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.json(503, "{\"message\":\"Service Unavailable\"}");
        }
        return Reply.fromLambda(response, context.getAwsRequestId());
    }

    /**
     * Whether HTTP API hands the body to the function as text. The AWS docs say only that binary
     * content is base64-encoded; observed on real HTTP APIs (payload 2.0): text for {@code text/*},
     * {@code application/json}, {@code application/xml} and {@code application/javascript};
     * base64 for everything else, including a missing Content-Type and
     * {@code application/x-www-form-urlencoded} (https://github.com/ministackorg/ministack/pull/766,
     * https://github.com/denoland/deno_registry2/issues/33). So {@code curl -d} without
     * {@code -H 'Content-Type: application/json'} arrives base64-encoded, as it would in AWS.
     */
    static boolean isTextContentType(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.equals("application/json") || type.equals("application/xml")
                || type.equals("application/javascript");
    }

    /** Request headers as API Gateway forwards them: lower-case names, repeats joined with commas (as the gateway read them), plus X-Forwarded-*. */
    private Map<String, String> requestHeaders(GatewayServer.Request request) {
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.putIfAbsent("x-forwarded-for", request.remote().getAddress().getHostAddress());
        headers.putIfAbsent("x-forwarded-port", String.valueOf(port()));
        headers.putIfAbsent("x-forwarded-proto", "http");
        return headers;
    }

    /** One HTTP answer. */
    private record Reply(int status, Map<String, String> headers, List<String> cookies, byte[] body) {

        static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), List.of(),
                    body.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * The function's response as API Gateway reads payload format 2.0: statusCode, headers,
         * cookies (each a Set-Cookie header), body (decoded when isBase64Encoded). A response
         * without a statusCode is itself the body of a 200 JSON answer.
         */
        static Reply fromLambda(String responseJson, String requestId) throws IOException {
            JsonNode response = JSON.readTree(responseJson);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Apigw-Requestid", requestId);
            if (response == null || !response.isObject() || response.path("statusCode").asInt(0) == 0) {
                headers.put("Content-Type", "application/json");
                return new Reply(200, headers, List.of(), responseJson.getBytes(StandardCharsets.UTF_8));
            }
            response.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            List<String> cookies = new ArrayList<>();
            response.path("cookies").forEach(cookie -> cookies.add(cookie.asText()));
            JsonNode body = response.path("body");
            byte[] bytes;
            if (body.isMissingNode() || body.isNull()) {
                bytes = new byte[0];
            } else if (response.path("isBase64Encoded").asBoolean(false)) {
                bytes = Base64.getDecoder().decode(body.asText());
            } else {
                bytes = body.asText().getBytes(StandardCharsets.UTF_8);
            }
            return new Reply(response.get("statusCode").asInt(), headers, cookies, bytes);
        }

        /** API Gateway drops the integration's CORS headers and sets its own. */
        Reply withCors(Map<String, String> corsHeaders) {
            Map<String, String> merged = new LinkedHashMap<>();
            headers.forEach((name, value) -> {
                if (!GatewayCors.isCorsHeader(name)) {
                    merged.put(name, value);
                }
            });
            merged.putAll(corsHeaders);
            return new Reply(status, merged, cookies, body);
        }

        /**
         * The answer as the gateway writes it. A function's header that cannot go on the wire as it
         * is (a CR, LF or other control character, a name that is not a token) makes it a 500, as
         * API Gateway answers a malformed Lambda response.
         */
        GatewayServer.Response toResponse() {
            List<Map.Entry<String, String>> out = new ArrayList<>();
            for (Map.Entry<String, String> header : headers.entrySet()) {
                out.add(Map.entry(header.getKey(), header.getValue()));
            }
            cookies.forEach(cookie -> out.add(Map.entry("Set-Cookie", cookie)));
            for (Map.Entry<String, String> header : out) {
                if (!GatewayServer.isWritable(header.getKey(), header.getValue())) {
                    System.err.println("A function answered a header that cannot be sent (" + header.getKey()
                            + "); API Gateway answers 500");
                    return GatewayServer.Response.message(500, "Internal Server Error");
                }
            }
            return new GatewayServer.Response(status, out, body);
        }
    }

    private static ThreadFactory threads(String prefix, boolean daemon) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(daemon);
            return thread;
        };
    }

    // ---------------------------------------------------------------- command line

    /**
     * Serves {@code ./template.yaml} on 127.0.0.1:{@value #DEFAULT_PORT} (or {@code PORT}) until
     * Ctrl-C. Settings: the environment and {@code ./.env}, the environment winning.
     */
    public static void main(String[] args) {
        Path directory = Path.of("").toAbsolutePath();
        Path templateFile = directory.resolve(args.length > 0 ? args[0] : "template.yaml");
        PrintStream console = System.out;
        if (!Files.isRegularFile(templateFile)) {
            System.err.println("No SAM template at " + templateFile + " (run from the project root, or pass its path).");
            System.exit(2);
        }
        Path envFile = directory.resolve(".env");
        DotEnv dotEnv = DotEnv.read(envFile);
        dotEnv.warnings().forEach(warning -> System.err.println(".env " + warning));
        Map<String, String> settings = LocalSettings.merge(System.getenv(), dotEnv);
        // The functions' log lines still go to stdout, and through the tee to /_local/metrics.
        Log.redirect(LogTee.around(System.out));
        int port;
        try {
            port = LocalSettings.isSet(settings, "PORT") ? Integer.parseInt(settings.get("PORT").trim()) : DEFAULT_PORT;
        } catch (NumberFormatException e) {
            System.err.println("PORT must be a port number, got '" + settings.get("PORT") + "'");
            System.exit(2);
            return;
        }

        LocalApi api;
        try {
            api = start(new Options(templateFile, port, settings, LocalSettings.DEFAULT_EMULATOR_PORT, console,
                    LocalProtections.DEFAULT_STORE_PORT, LocalProtections.DEFAULT_CAPTCHA_PORT));
        } catch (RuntimeException e) {
            System.err.println("Local API not started: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            console.println("Local API stopped" + (api.emulator().isPresent() ? " (and the Twilio emulator)." : "."));
        }, "local-api-shutdown"));
        api.printBanner(envFile, dotEnv);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    void printBanner(Path envFile, DotEnv dotEnv) {
        console.println("Local API (" + template.file().getFileName() + ") listening on " + baseUrl());
        for (Function function : functions.values()) {
            for (SamRoute route : function.definition().routes()) {
                console.printf(Locale.ROOT, "  %-22s -> %s (%s, timeout %d s)%n", route.routeKey(),
                        function.definition().logicalId(), function.definition().handler(),
                        function.definition().timeoutSeconds());
            }
        }
        cors.ifPresentOrElse(c -> {
            String origins = c.allowedOrigins().isEmpty() ? "none (ALLOWED_ORIGINS is not set: browsers are refused)"
                    : String.join(", ", c.allowedOrigins());
            console.println("  CORS: origins " + origins + "; methods " + String.join(",", c.configuration().allowMethods())
                    + "; headers " + String.join(",", c.configuration().allowHeaders())
                    + (c.configuration().maxAgeSeconds() == null ? "" : "; max age " + c.configuration().maxAgeSeconds() + " s"));
        }, () -> console.println("  CORS: not configured in the template"));
        GatewayServer.Limits limits = server.limits();
        console.printf(Locale.ROOT, "  Gateway: API Gateway's limits (10,240 bytes of request line and header values, 10 MB of body,"
                + " no control characters in header values); a request must arrive within %s (LOCAL_READ_TIMEOUT), a kept-alive"
                + " connection may idle %s (LOCAL_IDLE_TIMEOUT), up to %d connections (LOCAL_MAX_CONNECTIONS), each on a %s thread%n",
                seconds(limits.readTimeout()), seconds(limits.idleTimeout()), limits.maxConnections(),
                server.virtualThreads() ? "virtual" : "platform");
        console.println("Twilio: " + twilioDescription);
        if (testAccount != null) {
            // The emulator's fixed test values (EmulatorAccount), printed so tokens can be checked and the
            // emulator called by hand; with a real account nothing of it is printed.
            console.println("  the emulator's test account (not real credentials): ACCOUNT_SID=" + testAccount.accountSid()
                    + " AUTH_TOKEN=" + testAccount.authToken() + " API_KEY=" + testAccount.apiKey()
                    + " API_SECRET=" + testAccount.apiSecret());
        }
        protections.banner().forEach(console::println);
        mail.banner().forEach(console::println);
        if (mail.capturing()) {
            console.println("  shown at " + baseUrl() + "/_local/mail (and " + baseUrl() + "/_local/mail.json)");
        }
        console.println("Metrics: the functions' EMF lines, charted live at " + baseUrl() + "/_local/metrics (and "
                + baseUrl() + "/_local/metrics.json); every local page at " + baseUrl() + "/_local/");
        console.println("Settings: environment" + (Files.isRegularFile(envFile)
                ? " + " + envFile + " (" + dotEnv.values().size() + " keys; the environment wins)"
                : " (no .env here)"));
        console.println("Ctrl-C stops.");
    }
}
