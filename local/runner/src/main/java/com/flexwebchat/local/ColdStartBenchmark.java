package com.flexwebchat.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.Handlers;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.harness.SamTemplate.SamFunction;
import com.flexwebchat.harness.SamTemplate.SamRoute;
import com.flexwebchat.shared.log.Log;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code ./run-local bench}: for each function in template.yaml, its artifact size, its cold start
 * in a fresh JVM that has only the artifact on its class path ({@link ColdStartProbe}), and its
 * warm latency in this JVM, all against a Twilio emulator running here. Prints a table and writes
 * {@code local/runner/target/benchmark.json}. Not a test: numbers depend on the machine, and only
 * their change over time means much. Lambda's CPU share at 1024 MB (~0.58 vCPU) is less than a
 * local core, so absolute cold starts in AWS are longer.
 *
 * <p>Options: {@code --runs N} (cold starts per function and JVM flag set, default 5),
 * {@code --warmup N} (200), {@code --iterations N} (1000), {@code --out FILE}.
 */
public final class ColdStartBenchmark {

    static final String ORIGIN = "http://localhost:3000";
    static final String INIT_BODY = "{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"Hi\"}}";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    /** Bounds each function's warm phase whatever --iterations says. */
    private static final String API_HOST = "abc123.execute-api.us-east-1.amazonaws.com";
    private static final Duration WARM_BUDGET = Duration.ofSeconds(25);

    /**
     * JVM flag sets a cold start is measured with. Lambda's java17/java21 runtimes stop tiered
     * compilation at level 1 (C1) and use the serial GC by default
     * (https://docs.aws.amazon.com/lambda/latest/dg/java-customization.html); {@code -XX:MaxRAM}
     * makes the JVM size itself for the function's memory, as inside Lambda's sandbox. The
     * template's JAVA_TOOL_OPTIONS, when it sets one, reaches the child as an environment variable
     * in that set. The plain-JVM set shows what those defaults are worth. The SnapStart set runs
     * the functions' SnapStart hooks (priming, then reconnecting) after init, so its first invoke
     * is what a restored function's first request costs, less the restore itself.
     */
    enum Flags {
        LAMBDA_RUNTIME("lambda-java21-defaults"),
        JVM_DEFAULTS("jvm-defaults"),
        SNAPSTART("lambda+snapstart-hooks");

        final String label;

        Flags(String label) {
            this.label = label;
        }

        List<String> jvmArguments(SamFunction function) {
            return this != JVM_DEFAULTS
                    ? List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-XX:MaxRAM=" + function.memoryMb() + "m")
                    : List.of();
        }
    }

    record Options(int runs, int warmup, int iterations, Path out) {
        static Options parse(String[] args, Path root) {
            int runs = 5;
            int warmup = 200;
            int iterations = 1000;
            Path out = root.resolve("local/runner/target/benchmark.json");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + " (--runs N, --warmup N, --iterations N, --out FILE)");
                }
            }
            return new Options(runs, warmup, iterations, out);
        }
    }

    /** One function under test: its definition, route, environment and event. */
    private record Subject(SamFunction function, SamRoute route, Map<String, String> env, Path artifact) {
    }

    /** One cold start as the parent saw it and the probe reported it. */
    record ColdRun(double firstAnswerMillis, double spawnToMainMillis, double initMillis, double firstInvokeMillis,
                   double twilioMillis, int status) {
    }

    private final Options options;
    private final Path root;
    private final Path work;
    private final PrintStream console = System.out;

    private ColdStartBenchmark(Options options, Path root) {
        this.options = options;
        this.root = root;
        this.work = root.resolve("local/runner/target/bench");
    }

    static {
        LocalApi.enableTcpNoDelay();
    }

    public static void main(String[] args) throws Exception {
        Path root = ProjectRoot.find();
        new ColdStartBenchmark(Options.parse(args, root), root).run();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        deleteRecursively(work);
        Files.createDirectories(work);
        Path probeClasses = copyProbe(work.resolve("probe"));
        Path serializationJar = jarOf(LambdaEventSerializers.class);

        ObjectNode report = JSON.createObjectNode();
        report.put("generatedAt", Instant.now().toString());
        report.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        report.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        report.put("coldStartRuns", options.runs());
        report.put("warmupInvocations", options.warmup());
        report.put("measuredInvocations", options.iterations());
        ArrayNode functionReports = report.putArray("functions");

        try (TwilioEmulator emulator = TwilioEmulator.start(0)) {
            Map<String, String> settings = LocalSettings.twilio(
                    Map.of("TWILIO_API_BASE_URL", emulator.baseUrl(), "ALLOWED_ORIGINS", ORIGIN), 0).settings();
            List<Subject> subjects = new ArrayList<>();
            for (SamFunction function : template.functions()) {
                if (function.routes().isEmpty()) {
                    continue;
                }
                subjects.add(new Subject(function, function.routes().get(0),
                        LocalSettings.functionEnvironment(template, function, settings), template.artifact(function)));
            }
            console.println("Cold-start benchmark: " + subjects.size() + " functions of " + template.file()
                    + ", Twilio emulator at " + emulator.baseUrl());

            // In-process handlers: they mint the token /refreshToken needs, warm the emulator up
            // before any cold start is timed, and are what the warm phase measures.
            Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers = new LinkedHashMap<>();
            for (Subject subject : subjects) {
                handlers.put(subject.function().logicalId(), Handlers.instantiate(subject.function().handler(), subject.env()));
            }
            LogCapture logs = new LogCapture();
            Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
            Map<String, String> bodies;
            try {
                bodies = requestBodies(subjects, handlers);
                for (Subject subject : subjects) {
                    for (int i = 0; i < 20; i++) {
                        invoke(handlers.get(subject.function().logicalId()), subject, bodies);
                    }
                }
            } finally {
                Log.redirect(null);
            }

            Map<String, ObjectNode> byFunction = new LinkedHashMap<>();
            for (Subject subject : subjects) {
                ObjectNode node = functionReports.addObject();
                node.put("logicalId", subject.function().logicalId());
                node.put("handler", subject.function().handler());
                node.put("route", subject.route().routeKey());
                node.put("memoryMb", subject.function().memoryMb());
                node.set("artifact", artifactReport(subject.artifact()));
                byFunction.put(subject.function().logicalId(), node);
            }

            // Cold starts: functions interleaved so a drift in the machine's load spreads evenly.
            Map<String, Path> unzipped = new LinkedHashMap<>();
            Map<String, Path> eventFiles = new LinkedHashMap<>();
            for (Subject subject : subjects) {
                String id = subject.function().logicalId();
                unzipped.put(id, unzip(subject.artifact(), work.resolve(id)));
                eventFiles.put(id, writeEvent(work.resolve(id + "-event.json"), subject, bodies));
            }
            for (Flags flags : Flags.values()) {
                console.printf(Locale.ROOT, "  cold starts, %s: %d fresh JVMs...%n", flags.label,
                        subjects.size() * (options.runs() + 1));
                Map<String, List<ColdRun>> runs = new LinkedHashMap<>();
                for (Subject subject : subjects) {
                    String id = subject.function().logicalId();
                    // One untimed start first, so the file cache holds the artifact for every timed one.
                    coldStart(subject, flags, unzipped.get(id), probeClasses, serializationJar, eventFiles.get(id));
                    runs.put(id, new ArrayList<>());
                }
                for (int run = 0; run < options.runs(); run++) {
                    for (Subject subject : subjects) {
                        String id = subject.function().logicalId();
                        runs.get(id).add(coldStart(subject, flags, unzipped.get(id), probeClasses, serializationJar,
                                eventFiles.get(id)));
                    }
                }
                for (Subject subject : subjects) {
                    ObjectNode cold = byFunction.get(subject.function().logicalId()).withObjectProperty("coldStart");
                    cold.set(flags.label, coldReport(flags, subject, runs.get(subject.function().logicalId())));
                }
            }

            console.printf(Locale.ROOT, "  warm latency: %d + %d invocations per function...%n",
                    options.warmup(), options.iterations());
            for (Subject subject : subjects) {
                byFunction.get(subject.function().logicalId())
                        .set("warm", warm(handlers.get(subject.function().logicalId()), subject, bodies));
            }
        }

        report.put("benchmarkSeconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
        Files.createDirectories(options.out().toAbsolutePath().getParent());
        JSON.writeValue(options.out().toFile(), report);
        printTable(report);
        console.println("Written to " + root.relativize(options.out().toAbsolutePath()) + " in "
                + report.get("benchmarkSeconds").asText() + " s.");
    }

    // ---------------------------------------------------------------- events

    /** Each route's body; /refreshToken's carries a real token from an /initWebchat call. */
    private Map<String, String> requestBodies(List<Subject> subjects,
                                              Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers)
            throws IOException {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("/initWebchat", INIT_BODY);
        Subject init = subjects.stream().filter(s -> "/initWebchat".equals(s.route().path())).findFirst()
                .orElseThrow(() -> new IllegalStateException("template.yaml has no POST /initWebchat route"));
        APIGatewayV2HTTPResponse started = handlers.get(init.function().logicalId()).handleRequest(
                event(init, INIT_BODY), new LocalContext(init.function().logicalId(), timeout(init)));
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
        APIGatewayV2HTTPResponse second = handlers.get(init.function().logicalId()).handleRequest(
                event(init, INIT_BODY), new LocalContext(init.function().logicalId(), timeout(init)));
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
        return HttpApiEvents.request(route.isDefault() ? "POST" : route.method(), path, path, "", headers, body, webhook);
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

    private static Path writeEvent(Path file, Subject subject, Map<String, String> bodies) throws IOException {
        PojoSerializer<APIGatewayV2HTTPEvent> serializer =
                LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, ColdStartBenchmark.class.getClassLoader());
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        serializer.toJson(event(subject, bodies.getOrDefault(subject.route().path(), "{}")), json);
        Files.write(file, json.toByteArray());
        return file;
    }

    private static Duration timeout(Subject subject) {
        return Duration.ofSeconds(subject.function().timeoutSeconds());
    }

    // ---------------------------------------------------------------- artifact

    private static ObjectNode artifactReport(Path zip) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("path", zip.getFileName().toString());
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " does not exist: build with ./mvnw -DskipTests package first");
        }
        node.put("bytes", Files.size(zip));
        int jars = 0;
        int classes = 0;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith("lib/") && name.endsWith(".jar")) {
                    jars++;
                } else if (name.endsWith(".class")) {
                    classes++;
                }
            }
        }
        node.put("jars", jars);
        node.put("ownClasses", classes);
        return node;
    }

    private static Path unzip(Path zip, Path target) throws IOException {
        deleteRecursively(target);
        Files.createDirectories(target);
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("Entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return target;
    }

    /** ColdStartProbe's classes alone, so the child loads nothing else of this module. */
    private static Path copyProbe(Path target) throws IOException, URISyntaxException {
        String packagePath = ColdStartProbe.class.getPackageName().replace('.', '/');
        String prefix = ColdStartProbe.class.getSimpleName();
        Path outDir = target.resolve(packagePath);
        Files.createDirectories(outDir);
        Path source = Path.of(ColdStartProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.list(source.resolve(packagePath))) {
                for (Path file : files.filter(f -> isProbeClass(f.getFileName().toString(), prefix)).toList()) {
                    Files.copy(file, outDir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } else {
            try (JarFile jar = new JarFile(source.toFile())) {
                for (JarEntry entry : jar.stream().toList()) {
                    String name = entry.getName();
                    if (name.startsWith(packagePath + "/") && isProbeClass(name.substring(packagePath.length() + 1), prefix)) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            Files.copy(in, outDir.resolve(name.substring(packagePath.length() + 1)),
                                    StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        }
        return target;
    }

    private static boolean isProbeClass(String fileName, String prefix) {
        return fileName.endsWith(".class") && (fileName.equals(prefix + ".class") || fileName.startsWith(prefix + "$"));
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    // ---------------------------------------------------------------- cold start

    private ColdRun coldStart(Subject subject, Flags flags, Path artifact, Path probeClasses, Path serializationJar,
                              Path eventFile) throws IOException, InterruptedException, URISyntaxException {
        Path harnessJar = jarOf(LocalContext.class);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(flags.jvmArguments(subject.function()));
        String separator = System.getProperty("path.separator");
        command.add("-cp");
        command.add(String.join(separator, probeClasses.toString(), artifact.toString(),
                artifact.resolve("lib").resolve("*").toString(), serializationJar.toString(), harnessJar.toString()));
        command.add(ColdStartProbe.class.getName());
        command.add(subject.function().handler());
        command.add(eventFile.toString());
        command.add(subject.function().logicalId());
        command.add(String.valueOf(subject.function().timeoutSeconds()));
        command.add(String.valueOf(subject.function().memoryMb()));
        if (flags == Flags.SNAPSTART) {
            command.add(ColdStartProbe.SNAPSTART);
        }

        ProcessBuilder builder = new ProcessBuilder(command).directory(artifact.toFile());
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear();
        env.putAll(subject.env());
        if (flags == Flags.JVM_DEFAULTS) {
            env.remove("JAVA_TOOL_OPTIONS");
        }
        // A few of the variables Lambda sets for every function.
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        if (path != null) {
            env.put("PATH", path);
        }

        Instant spawnedAt = Instant.now();
        long spawned = System.nanoTime();
        Process process = builder.start();
        StringBuilder stderr = new StringBuilder();
        Thread drain = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "cold-start-stderr");
        drain.setDaemon(true);
        drain.start();

        String result = null;
        long answered = 0;
        double twilioMillis = Double.NaN;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(ColdStartProbe.RESULT_PREFIX)) {
                    answered = System.nanoTime();
                    result = line;
                    break;
                }
                JsonNode log = parseLogLine(line);
                if (log != null && "Request completed".equals(log.path("message").asText())) {
                    twilioMillis = log.path("twilioMillis").asDouble(Double.NaN);
                }
            }
            out.transferTo(Writer.nullWriter());
        }
        if (!process.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(subject.function().logicalId() + " cold start did not finish in " + CHILD_TIMEOUT);
        }
        drain.join(1_000);
        if (result == null) {
            throw new IllegalStateException(subject.function().logicalId() + " cold start printed no result (exit "
                    + process.exitValue() + "):\n" + stderr);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : result.substring(ColdStartProbe.RESULT_PREFIX.length()).trim().split(" ")) {
            String[] kv = pair.split("=", 2);
            fields.put(kv[0], kv[1]);
        }
        long spawnEpochMicros = spawnedAt.getEpochSecond() * 1_000_000L + spawnedAt.getNano() / 1_000;
        return new ColdRun(
                (answered - spawned) / 1e6,
                (Long.parseLong(fields.get("mainEpochMicros")) - spawnEpochMicros) / 1e3,
                Long.parseLong(fields.get("initNanos")) / 1e6,
                Long.parseLong(fields.get("invokeNanos")) / 1e6,
                twilioMillis,
                Integer.parseInt(fields.get("status")));
    }

    private static ObjectNode coldReport(Flags flags, Subject subject, List<ColdRun> runs) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode jvmArgs = node.putArray("jvmArguments");
        flags.jvmArguments(subject.function()).forEach(jvmArgs::add);
        String toolOptions = flags != Flags.JVM_DEFAULTS ? subject.env().get("JAVA_TOOL_OPTIONS") : null;
        if (toolOptions != null) {
            node.put("javaToolOptions", toolOptions);
        }
        node.set("firstAnswerMillis", spread(runs.stream().mapToDouble(ColdRun::firstAnswerMillis).toArray()));
        node.set("spawnToMainMillis", spread(runs.stream().mapToDouble(ColdRun::spawnToMainMillis).toArray()));
        node.set("initMillis", spread(runs.stream().mapToDouble(ColdRun::initMillis).toArray()));
        node.set("firstInvokeMillis", spread(runs.stream().mapToDouble(ColdRun::firstInvokeMillis).toArray()));
        node.set("firstInvokeTwilioMillis", spread(runs.stream().mapToDouble(ColdRun::twilioMillis).toArray()));
        ArrayNode statuses = node.putArray("statuses");
        runs.forEach(run -> statuses.add(run.status()));
        return node;
    }

    // ---------------------------------------------------------------- warm

    private ObjectNode warm(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, Subject subject,
                            Map<String, String> bodies) {
        LogCapture logs = new LogCapture();
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
        double[] total = new double[options.iterations()];
        double[] own = new double[options.iterations()];
        double[] twilio = new double[options.iterations()];
        int errors = 0;
        int measured = 0;
        long deadline = System.nanoTime() + WARM_BUDGET.toNanos();
        try {
            for (int i = 0; i < options.warmup() && System.nanoTime() < deadline; i++) {
                invoke(handler, subject, bodies);
            }
            logs.drain();
            for (; measured < options.iterations() && System.nanoTime() < deadline; measured++) {
                APIGatewayV2HTTPEvent event = event(subject, bodies.getOrDefault(subject.route().path(), "{}"));
                LocalContext context = new LocalContext(subject.function().logicalId(), timeout(subject));
                long start = System.nanoTime();
                APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);
                long nanos = System.nanoTime() - start;
                if (!succeeded(response.getStatusCode())) {
                    errors++;
                }
                double twilioMillis = 0;
                for (String line : logs.drain()) {
                    JsonNode log = parseLogLine(line);
                    if (log != null && "Request completed".equals(log.path("message").asText())) {
                        twilioMillis = log.path("twilioMillis").asDouble(0);
                    }
                }
                total[measured] = nanos / 1e6;
                twilio[measured] = twilioMillis;
                own[measured] = Math.max(0, nanos / 1e6 - twilioMillis);
            }
        } finally {
            Log.redirect(null);
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("invocations", measured);
        node.put("non200", errors);
        node.set("totalMillis", percentiles(Arrays.copyOf(total, measured)));
        node.set("ownCodeMillis", percentiles(Arrays.copyOf(own, measured)));
        node.set("twilioMillis", percentiles(Arrays.copyOf(twilio, measured)));
        return node;
    }

    private static void invoke(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, Subject subject,
                               Map<String, String> bodies) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(
                event(subject, bodies.getOrDefault(subject.route().path(), "{}")),
                new LocalContext(subject.function().logicalId(), timeout(subject)));
        if (!succeeded(response.getStatusCode())) {
            throw new IllegalStateException(subject.route().routeKey() + " answered " + response.getStatusCode() + ": "
                    + response.getBody());
        }
    }

    /** 200, or 204 for TaskRouter's event callback, which expects no body. */
    private static boolean succeeded(int status) {
        return status == 200 || status == 204;
    }

    private static JsonNode parseLogLine(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    /** Collects the functions' log lines without parsing them while a request is being timed. */
    private static final class LogCapture extends OutputStream {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            buffer.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
        }

        synchronized List<String> drain() {
            String text = buffer.toString(StandardCharsets.UTF_8);
            buffer.reset();
            return text.isEmpty() ? List.of() : List.of(text.split("\n"));
        }
    }

    // ---------------------------------------------------------------- statistics and output

    private static ObjectNode spread(double[] values) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        ObjectNode node = JSON.createObjectNode();
        put(node, "median", median(sorted));
        put(node, "min", sorted.length == 0 ? Double.NaN : sorted[0]);
        put(node, "max", sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
        ArrayNode samples = node.putArray("samples");
        for (double value : values) {
            if (Double.isNaN(value)) {
                samples.addNull();
            } else {
                samples.add(round(value));
            }
        }
        return node;
    }

    private static ObjectNode percentiles(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        ObjectNode node = JSON.createObjectNode();
        put(node, "p50", percentile(sorted, 50));
        put(node, "p99", percentile(sorted, 99));
        put(node, "max", sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
        return node;
    }

    /** A measurement, or null when there is none (JSON has no NaN). */
    private static void put(ObjectNode node, String key, double value) {
        if (Double.isNaN(value)) {
            node.putNull(key);
        } else {
            node.put(key, round(value));
        }
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private void printTable(ObjectNode report) {
        PrintStream out = console;
        out.println();
        out.printf(Locale.ROOT, "%s, %d CPUs. Times in ms.%n", report.get("java").asText(),
                report.get("availableProcessors").asInt());
        out.println();
        out.println("Artifacts");
        for (JsonNode f : report.get("functions")) {
            JsonNode a = f.get("artifact");
            out.printf(Locale.ROOT, "  %-20s %-28s %8.2f MiB  %3d jars  %4d own classes%n", f.get("logicalId").asText(),
                    a.get("path").asText(), a.get("bytes").asLong() / 1048576.0, a.get("jars").asInt(), a.get("ownClasses").asInt());
        }
        out.println();
        out.printf(Locale.ROOT, "Cold start, fresh JVM with only the artifact on the class path: median [min-max] of %d runs%n",
                report.get("coldStartRuns").asInt());
        out.printf(Locale.ROOT, "  %-20s %-24s %-22s %-20s %-20s %-20s %s%n", "function", "JVM flags", "first answer",
                "spawn->main", "init (constructor)", "first invoke", "(Twilio)");
        for (JsonNode f : report.get("functions")) {
            f.get("coldStart").fields().forEachRemaining(entry -> {
                JsonNode c = entry.getValue();
                List<Integer> statuses = new ArrayList<>();
                c.get("statuses").forEach(status -> statuses.add(status.asInt()));
                String warning = statuses.stream().allMatch(ColdStartBenchmark::succeeded) ? "" : "  statuses " + statuses + "!";
                out.printf(Locale.ROOT, "  %-20s %-24s %-22s %-20s %-20s %-20s %s%s%n", f.get("logicalId").asText(), entry.getKey(),
                        spreadText(c.get("firstAnswerMillis")), spreadText(c.get("spawnToMainMillis")),
                        spreadText(c.get("initMillis")), spreadText(c.get("firstInvokeMillis")),
                        fmt(c.get("firstInvokeTwilioMillis").get("median")), warning);
            });
        }
        out.println();
        out.printf(Locale.ROOT, "Warm, in-process handler after %d warm-up invocations: p50 / p99 over %d%n",
                report.get("warmupInvocations").asInt(), report.get("measuredInvocations").asInt());
        out.printf(Locale.ROOT, "  %-20s %-18s %-22s %-18s %s%n", "function", "handler total", "own code (- Twilio)",
                "Twilio (emulator)", "non-200");
        for (JsonNode f : report.get("functions")) {
            JsonNode w = f.get("warm");
            out.printf(Locale.ROOT, "  %-20s %-18s %-22s %-18s %d of %d%n", f.get("logicalId").asText(),
                    pair(w.get("totalMillis")), pair(w.get("ownCodeMillis")), pair(w.get("twilioMillis")),
                    w.get("non200").asInt(), w.get("invocations").asInt());
        }
        out.println();
    }

    private static String spreadText(JsonNode node) {
        return fmt(node.get("median")) + " [" + fmt(node.get("min")) + "-" + fmt(node.get("max")) + "]";
    }

    private static String pair(JsonNode node) {
        return fmt(node.get("p50")) + " / " + fmt(node.get("p99"));
    }

    private static String fmt(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return "-";
        }
        double value = node.asDouble();
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
