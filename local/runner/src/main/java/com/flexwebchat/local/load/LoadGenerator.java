package com.flexwebchat.local.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.local.DotEnv;
import com.flexwebchat.local.LocalSettings;
import com.flexwebchat.local.load.LoadOptions.Route;
import com.flexwebchat.local.load.ServerProcess.Memory;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./run-local load}: a bounded load on the local API, as many visitors and Twilio would
 * send it, with what it measured: throughput, latency percentiles per route, the answers that
 * were not successes (by status and error code), and the server's memory before and after.
 *
 * <p>Without {@code --url} it starts the API as {@code ./run-local} does, in a JVM of its own
 * ({@link ServerProcess}), with the protections' limits raised out of reach unless
 * {@code --limits as-configured}; each client connects from a loopback address of its own
 * (127.0.0.2 and up; all of 127.0.0.0/8 is local on Linux), so the per-address counters are kept
 * per visitor as in production, and the API sees the TCP peer as API Gateway's sourceIp.
 */
public final class LoadGenerator {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> RATE_LIMITS = List.of("RATE_LIMIT_CHATS_PER_IP", "RATE_LIMIT_CHATS_PER_ACCOUNT",
            "RATE_LIMIT_RENEWALS_PER_VISITOR", "RATE_LIMIT_ENDINGS_PER_VISITOR");

    /** What one run measured. */
    record Report(LoadOptions options, URI api, String server, Duration measured, Map<Route, RouteStats> routes,
                  long chatsReopened, long connects, Memory before, Memory after, Path serverLog) {

        long requests() {
            return routes.values().stream().mapToLong(RouteStats::count).sum();
        }

        double throughput() {
            return requests() / Math.max(1e-9, measured.toNanos() / 1e9);
        }

        /** Outcomes that are not a success, over every route: {@code 500} -> 3, {@code timeout} -> 1. */
        Map<String, Long> errors() {
            Map<String, Long> errors = new TreeMap<>();
            routes.forEach((route, stats) -> stats.outcomes().forEach((outcome, n) -> {
                if (!succeeded(outcome)) {
                    errors.merge(outcome, n, Long::sum);
                }
            }));
            return errors;
        }

        /** Answers no load should get: 5xx, timeouts, broken connections. */
        long failures() {
            return errors().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("5") || e.getKey().equals("timeout") || e.getKey().equals("io"))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    static boolean succeeded(String outcome) {
        return outcome.equals("200") || outcome.equals("204");
    }

    private LoadGenerator() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(LoadOptions.USAGE);
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(List.of(args), settings());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.url() == null && !Files.isRegularFile(options.template())) {
            System.err.println("No SAM template at " + options.template() + " (run from the project root, or pass its path).");
            System.exit(2);
        }
        try {
            Report report = run(options, out);
            print(report, out);
            if (options.json() != null) {
                writeJson(report, options.json());
                out.println("Written to " + options.json().toAbsolutePath());
            }
            System.exit(report.failures() == 0 ? 0 : 1);
        } catch (RuntimeException e) {
            System.err.println("The load did not run: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The environment over ./.env, for AUTH_TOKEN when loading a running API. */
    private static Map<String, String> settings() {
        return LocalSettings.merge(System.getenv(), DotEnv.read(Path.of(".env")));
    }

    /** Runs the load (starting and stopping the API when it has no {@code --url}), printing progress to {@code out}. */
    static Report run(LoadOptions options, PrintStream out) {
        ServerProcess server = null;
        try {
            URI api;
            long pid;
            String description;
            String authToken;
            Path serverLog = null;
            if (options.url() == null) {
                Map<String, String> environment = new LinkedHashMap<>();
                if (options.limits() == LoadOptions.Limits.RAISED) {
                    RATE_LIMITS.forEach(limit -> environment.put(limit, LoadOptions.RAISED_LIMIT));
                }
                serverLog = Path.of(System.getProperty("java.io.tmpdir"), "run-local-load-server.log");
                out.println("Starting the local API (" + options.template().getFileName() + ", its own Twilio emulator and dynalite)...");
                server = ServerProcess.start(options.template(), environment, serverLog);
                api = server.baseUrl();
                pid = server.pid();
                description = "a local API started for this load (pid " + pid + "; its console in " + serverLog + ")";
                authToken = EmulatorAccount.defaults().authToken();
            } else {
                api = options.url();
                pid = options.pid();
                description = "the local API at " + api + (pid > 0 ? " (pid " + pid + ")" : "");
                authToken = options.authToken() != null ? options.authToken() : EmulatorAccount.defaults().authToken();
            }
            String signedBase = options.publicUrl() != null ? options.publicUrl().toString() : api.toString();
            Memory before = pid > 0 ? ServerProcess.memory(pid, true) : null;

            Visitor.Run run = new Visitor.Run(api, signedBase, authToken, options);
            List<Visitor> visitors = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < options.clients(); i++) {
                Visitor visitor = new Visitor(i + 1, sourceAddress(i % options.addresses(), options.addresses()), run, 7919L * (i + 1));
                visitors.add(visitor);
                Thread thread = new Thread(visitor, "load-visitor-" + (i + 1));
                thread.setDaemon(true);
                threads.add(thread);
            }
            out.printf(Locale.ROOT, "Loading %s with %d clients%s...%n", api, options.clients(),
                    options.warmup().isZero() ? "" : " (warming up for " + seconds(options.warmup()) + " first)");
            // Without a warm-up every request counts, the first ones included.
            run.measuring = options.warmup().isZero();
            long started = System.nanoTime();
            threads.forEach(Thread::start);
            if (!run.measuring) {
                sleep(options.warmup());
                started = System.nanoTime();
                run.measuring = true;
            }
            awaitEnd(run, options, started);
            run.stopped = true;
            long joinDeadline = System.nanoTime() + options.timeout().plusSeconds(5).toNanos();
            for (Thread thread : threads) {
                long left = Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000);
                try {
                    thread.join(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            Duration measured = Duration.ofNanos(System.nanoTime() - started);
            Memory after = pid > 0 ? ServerProcess.memory(pid, true) : null;

            Map<Route, RouteStats> routes = new EnumMap<>(Route.class);
            long reopened = 0;
            long connects = 0;
            for (Visitor visitor : visitors) {
                visitor.stats().forEach((route, stats) -> routes.computeIfAbsent(route, r -> new RouteStats()).addAll(stats));
                reopened += visitor.chatsReopened();
                connects += visitor.connects();
            }
            return new Report(options, api, description, measured, routes, reopened, connects, before, after, serverLog);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Until the duration has passed or the requests are done (the visitors stop themselves on the last permit). */
    private static void awaitEnd(Visitor.Run run, LoadOptions options, long started) {
        long end = options.duration() == null ? Long.MAX_VALUE : started + options.duration().toNanos();
        while (!run.stopped && System.nanoTime() < end) {
            sleep(Duration.ofMillis(Math.max(1, Math.min(50, (end - System.nanoTime()) / 1_000_000))));
        }
    }

    /** 127.0.0.1 when there is one address; else the n-th of 127.0.0.2 and up (127.0.0.251, then 127.0.1.2...). */
    static InetAddress sourceAddress(int n, int addresses) {
        try {
            if (addresses == 1) {
                return InetAddress.getByName("127.0.0.1");
            }
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) (n / 250), (byte) (n % 250 + 2)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- the report

    static void print(Report report, PrintStream out) {
        LoadOptions options = report.options();
        out.println();
        out.printf(Locale.ROOT, "Load: %d clients, closed loop, for %s%s, against %s%n", options.clients(),
                seconds(report.measured()), options.warmup().isZero() ? "" : " after " + seconds(options.warmup()) + " of warm-up",
                report.server());
        out.println("  mix: " + mix(options.mix()) + "; limits: " + (options.limits() == LoadOptions.Limits.RAISED
                ? "raised (RATE_LIMIT_* = " + LoadOptions.RAISED_LIMIT + ")" : "as configured")
                + "; clients from " + (options.addresses() == 1 ? "127.0.0.1" : options.addresses() + " addresses, "
                + sourceAddress(0, options.addresses()).getHostAddress() + " to "
                + sourceAddress(options.addresses() - 1, options.addresses()).getHostAddress())
                + "; " + Runtime.getRuntime().availableProcessors() + " cores, shared by the load and the server");
        out.println();
        out.printf(Locale.ROOT, "  %-14s %9s %8s %8s %8s %8s %9s  %s%n", "route", "requests", "req/s", "p50 ms", "p90 ms",
                "p99 ms", "max ms", "answers");
        RouteStats all = new RouteStats();
        for (Map.Entry<Route, RouteStats> entry : report.routes().entrySet()) {
            row(out, entry.getKey().label(), entry.getValue(), report.measured());
            all.addAll(entry.getValue());
        }
        row(out, "all", all, report.measured());
        out.println();
        Map<String, Long> errors = report.errors();
        out.println("  not 200/204: " + (errors.isEmpty() ? "none" : errors.entrySet().stream()
                .map(e -> e.getKey() + " x" + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("")));
        if (report.chatsReopened() > 0) {
            out.printf(Locale.ROOT, "  %d of the /initWebchat requests opened a chat for a client whose chat had ended"
                    + " (/endChat, task.wrapup) before a route that needs one%n", report.chatsReopened());
        }
        out.printf(Locale.ROOT, "  connections opened: %d (kept alive between requests)%n", report.connects());
        if (report.before() != null && report.after() != null) {
            Memory before = report.before();
            Memory after = report.after();
            out.printf(Locale.ROOT, "  server memory, before -> after the load: RSS %s -> %s (peak %s); heap after a full GC %s -> %s"
                            + " (committed %s -> %s); threads %s -> %s; open files %s -> %s; its child processes (dynalite) RSS %s -> %s%n",
                    mib(before.rssKib()), mib(after.rssKib()), mib(after.peakRssKib()), mib(before.heapUsedKib()),
                    mib(after.heapUsedKib()), mib(before.heapTotalKib()), mib(after.heapTotalKib()), count(before.threads()),
                    count(after.threads()), count(before.openFiles()), count(after.openFiles()), mib(before.childrenRssKib()),
                    mib(after.childrenRssKib()));
        } else {
            out.println("  server memory: not known (pass --pid with --url)");
        }
    }

    private static void row(PrintStream out, String name, RouteStats stats, Duration measured) {
        double[] p = stats.percentilesMillis();
        StringBuilder answers = new StringBuilder();
        stats.outcomes().forEach((outcome, n) -> answers.append(answers.length() == 0 ? "" : ", ").append(outcome).append(" x").append(n));
        out.printf(Locale.ROOT, "  %-14s %9d %8.1f %8.1f %8.1f %8.1f %9.1f  %s%n", name, stats.count(),
                stats.count() / Math.max(1e-9, measured.toNanos() / 1e9), p[0], p[1], p[2], p[3], answers);
    }

    private static String mix(Map<Route, Double> mix) {
        List<String> parts = new ArrayList<>();
        mix.forEach((route, weight) -> parts.add(route.label() + "=" + (weight == Math.rint(weight)
                ? String.valueOf(weight.longValue()) : String.format(Locale.ROOT, "%.2f", weight))));
        return String.join(" ", parts);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static String mib(long kib) {
        return kib < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
    }

    private static String count(long n) {
        return n < 0 ? "n/a" : String.valueOf(n);
    }

    static void writeJson(Report report, Path file) {
        ObjectNode root = JSON.createObjectNode();
        LoadOptions options = report.options();
        root.put("clients", options.clients());
        root.put("measuredSeconds", report.measured().toMillis() / 1000.0);
        root.put("warmupSeconds", options.warmup().toMillis() / 1000.0);
        root.put("api", report.api().toString());
        root.put("server", report.server());
        root.put("limits", options.limits().name().toLowerCase(Locale.ROOT));
        root.put("addresses", options.addresses());
        root.put("requests", report.requests());
        root.put("throughputPerSecond", report.throughput());
        ObjectNode mix = root.putObject("mix");
        options.mix().forEach((route, weight) -> mix.put(route.label(), weight));
        ArrayNode routes = root.putArray("routes");
        report.routes().forEach((route, stats) -> {
            double[] p = stats.percentilesMillis();
            ObjectNode node = routes.addObject();
            node.put("route", route.label());
            node.put("requests", stats.count());
            node.put("perSecond", stats.count() / Math.max(1e-9, report.measured().toNanos() / 1e9));
            node.put("p50Millis", p[0]);
            node.put("p90Millis", p[1]);
            node.put("p99Millis", p[2]);
            node.put("maxMillis", p[3]);
            ObjectNode outcomes = node.putObject("answers");
            stats.outcomes().forEach(outcomes::put);
        });
        ObjectNode errors = root.putObject("errors");
        report.errors().forEach(errors::put);
        root.put("chatsReopened", report.chatsReopened());
        root.put("connections", report.connects());
        if (report.before() != null) {
            root.set("memoryBefore", JSON.valueToTree(report.before()));
            root.set("memoryAfter", JSON.valueToTree(report.after()));
        }
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
