package com.flexwebchat.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.local.bench.Statistics.Percentiles;
import com.flexwebchat.local.bench.Statistics.Spread;
import com.flexwebchat.local.bench.Workload.Subject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark's figures: {@code benchmark.json} (times in ms rounded to the µs, null where there
 * is no measurement) and the table printed from it.
 */
final class BenchReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectNode report = JSON.createObjectNode();
    private final ArrayNode functionReports;
    private final Map<String, ObjectNode> byFunction = new LinkedHashMap<>();

    /** The goal for a restored function's first request: within this many times the warm p50 of the same request. */
    static final double GOAL_RATIO = 3;

    private final String runtime;

    BenchReport(int coldStartRuns, int warmupInvocations, int measuredInvocations, boolean store) {
        this(Mode.DEFAULT_RUNTIME, null, coldStartRuns, coldStartRuns, warmupInvocations, measuredInvocations, store);
    }

    /**
     * @param runtime      the managed runtime whose flags the Lambda modes use (java21, java25)
     * @param probeJava    what the probes' java says of itself (null: this JVM's)
     * @param eventRuns    the first requests after the SnapStart hooks per (function, event)
     */
    BenchReport(String runtime, String probeJava, int coldStartRuns, int eventRuns, int warmupInvocations,
                int measuredInvocations, boolean store) {
        this.runtime = runtime;
        report.put("generatedAt", Instant.now().toString());
        report.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        report.put("probeJava", probeJava == null ? report.get("java").asText() : probeJava);
        report.put("runtime", runtime);
        report.put("snapStartEventRuns", eventRuns);
        report.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        report.put("coldStartRuns", coldStartRuns);
        report.put("warmupInvocations", warmupInvocations);
        report.put("measuredInvocations", measuredInvocations);
        report.put("store", store);
        functionReports = report.putArray("functions");
    }

    void function(Subject subject, Artifact artifact) {
        ObjectNode node = functionReports.addObject();
        node.put("logicalId", subject.id());
        node.put("handler", subject.function().handler());
        node.put("route", subject.route().routeKey());
        node.put("memoryMb", subject.function().memoryMb());
        ObjectNode a = node.putObject("artifact");
        a.put("path", artifact.fileName());
        a.put("bytes", artifact.bytes());
        a.put("jars", artifact.jars());
        a.put("ownClasses", artifact.ownClasses());
        byFunction.put(subject.id(), node);
    }

    /** A function's cold starts in one mode; the first-invoke class count where the mode measures it. */
    void coldStarts(Subject subject, Mode mode, List<ProbeResult> runs) {
        ObjectNode node = byFunction.get(subject.id()).withObjectProperty("coldStart").putObject(mode.label(runtime));
        ArrayNode jvmArgs = node.putArray("jvmArguments");
        mode.jvmArguments(runtime, subject.function().memoryMb()).forEach(jvmArgs::add);
        String toolOptions = mode.keepsJavaToolOptions() ? subject.env().get("JAVA_TOOL_OPTIONS") : null;
        if (toolOptions != null) {
            node.put("javaToolOptions", toolOptions);
        }
        node.set("firstAnswerMillis", spread(runs, ProbeResult::firstAnswerMillis));
        node.set("spawnToMainMillis", spread(runs, ProbeResult::spawnToMainMillis));
        node.set("initMillis", spread(runs, ProbeResult::initMillis));
        node.set("firstInvokeMillis", spread(runs, ProbeResult::firstInvokeMillis));
        node.set("firstInvokeTwilioMillis", spread(runs, ProbeResult::firstInvokeTwilioMillis));
        if (runs.stream().anyMatch(run -> run.firstInvokeLoadedClasses().isPresent())) {
            node.set("firstInvokeLoadedClasses", counts(runs.stream()
                    .mapToDouble(run -> run.firstInvokeLoadedClasses().isPresent()
                            ? run.firstInvokeLoadedClasses().getAsLong() : Double.NaN)
                    .toArray()));
        }
        ArrayNode statuses = node.putArray("statuses");
        runs.forEach(run -> statuses.add(run.status()));
    }

    /**
     * The first requests after the SnapStart hooks made from one recorded event, one fresh JVM each:
     * under the function's {@code snapStart.events.<eventFile>}.
     */
    void snapStartEvent(Subject subject, String eventFile, List<ProbeResult> runs) {
        ObjectNode snapStart = byFunction.get(subject.id()).withObjectProperty("snapStart");
        if (!snapStart.has("mode")) {
            snapStart.put("mode", Mode.SNAPSTART.label(runtime));
            ArrayNode jvmArgs = snapStart.putArray("jvmArguments");
            Mode.SNAPSTART.jvmArguments(runtime, subject.function().memoryMb()).forEach(jvmArgs::add);
            String toolOptions = subject.env().get("JAVA_TOOL_OPTIONS");
            if (toolOptions != null) {
                snapStart.put("javaToolOptions", toolOptions);
            }
        }
        ObjectNode node = snapStart.withObjectProperty("events").putObject(eventFile);
        node.set("initWithHooksMillis", spread(runs, ProbeResult::initMillis));
        node.set("firstRequestMillis", spread(runs, ProbeResult::firstInvokeMillis));
        node.set("firstRequestTwilioMillis", spread(runs, ProbeResult::firstInvokeTwilioMillis));
        node.set("firstRequestLoadedClasses", counts(runs.stream()
                .mapToDouble(run -> run.firstInvokeLoadedClasses().isPresent()
                        ? run.firstInvokeLoadedClasses().getAsLong() : Double.NaN)
                .toArray()));
        ArrayNode statuses = node.putArray("statuses");
        runs.forEach(run -> statuses.add(run.status()));
        double[] warm = runs.stream().flatMapToDouble(run -> java.util.Arrays.stream(run.warmMillis())).toArray();
        if (warm.length > 0) {
            ObjectNode w = node.putObject("warm");
            w.put("measuredIn", "the probe JVM, after its first request (same java and flags); deserialize, handle, serialize");
            w.put("invocations", warm.length);
            w.set("totalMillis", percentiles(warm));
        }
        ratio(node);
    }

    /** First request's median over the warm p50 of the same request, once both are in. */
    private static void ratio(ObjectNode node) {
        double first = node.path("firstRequestMillis").path("median").asDouble(Double.NaN);
        double warm = node.path("warm").path("totalMillis").path("p50").asDouble(Double.NaN);
        if (!node.path("firstRequestMillis").path("median").isNumber() || !node.path("warm").path("totalMillis").path("p50").isNumber()
                || warm <= 0) {
            return;
        }
        node.put("firstRequestOverWarmP50", Math.round(first / warm * 100) / 100.0);
        node.put("withinGoal", first / warm <= GOAL_RATIO);
    }

    /**
     * A function at Lambda's CPU share for a memory size ({@link CpuShare}): fresh-JVM cold starts
     * without SnapStart, and the first request after the SnapStart hooks for its first event.
     */
    void cpuShare(Subject subject, CpuShare cpu, List<ProbeResult> coldStarts, String event, List<ProbeResult> restored) {
        ObjectNode node = byFunction.get(subject.id()).withObjectProperty("atLambdaCpuShare").putObject(cpu.memoryMb() + "MB");
        node.put("memoryMb", cpu.memoryMb());
        node.put("vcpus", round(cpu.vcpus()));
        node.set("firstAnswerMillis", spread(coldStarts, ProbeResult::firstAnswerMillis));
        node.set("initMillis", spread(coldStarts, ProbeResult::initMillis));
        node.set("firstInvokeMillis", spread(coldStarts, ProbeResult::firstInvokeMillis));
        node.put("snapStartEvent", event);
        node.set("snapStartFirstRequestMillis", spread(restored, ProbeResult::firstInvokeMillis));
        ArrayNode statuses = node.putArray("statuses");
        coldStarts.forEach(run -> statuses.add(run.status()));
        restored.forEach(run -> statuses.add(run.status()));
    }

    void warm(Subject subject, WarmRun warm) {
        ObjectNode node = byFunction.get(subject.id()).putObject("warm");
        node.put("invocations", warm.invocations());
        node.put("non200", warm.non200());
        node.set("totalMillis", percentiles(warm.totalMillis()));
        node.set("ownCodeMillis", percentiles(warm.ownMillis()));
        node.set("twilioMillis", percentiles(warm.twilioMillis()));
        node.set("storeMillis", percentiles(warm.storeMillis()));
    }

    /** The run's length, then the file. */
    void write(Path file, double benchmarkSeconds) throws IOException {
        report.put("benchmarkSeconds", Math.round(benchmarkSeconds * 100) / 100.0);
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), report);
    }

    JsonNode json() {
        return report;
    }

    // ---------------------------------------------------------------- JSON

    private static ObjectNode spread(List<ProbeResult> runs, ToDoubleFunction<ProbeResult> figure) {
        Spread spread = Spread.of(runs.stream().mapToDouble(figure).toArray());
        ObjectNode node = JSON.createObjectNode();
        put(node, "median", spread.median());
        put(node, "min", spread.min());
        put(node, "max", spread.max());
        ArrayNode samples = node.putArray("samples");
        for (double value : spread.samples()) {
            if (Double.isNaN(value)) {
                samples.addNull();
            } else {
                samples.add(round(value));
            }
        }
        return node;
    }

    /** As {@link #spread} for whole numbers: min, max and samples as integers. */
    private static ObjectNode counts(double[] values) {
        Spread spread = Spread.of(values);
        ObjectNode node = JSON.createObjectNode();
        put(node, "median", spread.median());
        putCount(node, "min", spread.min());
        putCount(node, "max", spread.max());
        ArrayNode samples = node.putArray("samples");
        for (double value : spread.samples()) {
            if (Double.isNaN(value)) {
                samples.addNull();
            } else {
                samples.add((long) value);
            }
        }
        return node;
    }

    private static ObjectNode percentiles(double[] values) {
        Percentiles percentiles = Percentiles.of(values);
        ObjectNode node = JSON.createObjectNode();
        put(node, "p50", percentiles.p50());
        put(node, "p99", percentiles.p99());
        put(node, "max", percentiles.max());
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

    private static void putCount(ObjectNode node, String key, double value) {
        if (Double.isNaN(value)) {
            node.putNull(key);
        } else {
            node.put(key, (long) value);
        }
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    // ---------------------------------------------------------------- table

    /** The table, from a report as {@code benchmark.json} holds it. */
    static void printTable(JsonNode report, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "%s, %d CPUs. Times in ms.%n", report.get("java").asText(),
                report.get("availableProcessors").asInt());
        if (report.has("probeJava")) {
            out.printf(Locale.ROOT, "Fresh JVMs: %s; Lambda flags of the %s runtime.%n", report.get("probeJava").asText(),
                    report.path("runtime").asText(Mode.DEFAULT_RUNTIME));
        }
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
        out.printf(Locale.ROOT, "  %-20s %-24s %-22s %-20s %-20s %-20s %-10s %s%n", "function", "JVM flags", "first answer",
                "spawn->main", "init (constructor)", "first invoke", "(Twilio)", "classes loaded by first invoke");
        for (JsonNode f : report.get("functions")) {
            f.get("coldStart").fields().forEachRemaining(entry -> {
                JsonNode c = entry.getValue();
                List<Integer> statuses = new ArrayList<>();
                c.get("statuses").forEach(status -> statuses.add(status.asInt()));
                String warning = statuses.stream().allMatch(Workload::succeeded) ? "" : "  statuses " + statuses + "!";
                out.printf(Locale.ROOT, "  %-20s %-24s %-22s %-20s %-20s %-20s %-10s %s%s%n", f.get("logicalId").asText(),
                        entry.getKey(), spreadText(c.get("firstAnswerMillis")), spreadText(c.get("spawnToMainMillis")),
                        spreadText(c.get("initMillis")), spreadText(c.get("firstInvokeMillis")),
                        fmt(c.get("firstInvokeTwilioMillis").get("median")), countText(c.get("firstInvokeLoadedClasses")),
                        warning);
            });
        }
        out.println();
        JsonNode mode = null;
        for (JsonNode f : report.get("functions")) {
            if (f.has("snapStart")) {
                mode = f.get("snapStart");
                break;
            }
        }
        if (mode != null) {
            out.printf(Locale.ROOT, "First request after the SnapStart hooks (%s, %s), per event the handler primes: "
                            + "a fresh JVM per (function, event), median [min-max] of %d runs; warm p50 of the same event "
                            + "served after it in the first run's JVM; goal: within %.0fx%n", mode.get("mode").asText(), String.join(" ", texts(mode.get("jvmArguments"))),
                    report.path("snapStartEventRuns").asInt(), GOAL_RATIO);
            out.printf(Locale.ROOT, "  %-29s %-52s %-20s %-20s %-9s %-9s %s%n", "function", "event", "init+hooks",
                    "first request", "warm p50", "ratio", "classes loaded by first request");
            for (JsonNode f : report.get("functions")) {
                JsonNode events = f.path("snapStart").path("events");
                events.fields().forEachRemaining(entry -> {
                    JsonNode e = entry.getValue();
                    List<Integer> statuses = new ArrayList<>();
                    e.path("statuses").forEach(status -> statuses.add(status.asInt()));
                    String warning = statuses.stream().allMatch(Workload::succeeded) ? "" : "  statuses " + statuses + "!";
                    JsonNode warm = e.path("warm");
                    String ratio = e.path("firstRequestOverWarmP50").isNumber()
                            ? String.format(Locale.ROOT, "%.1fx%s", e.get("firstRequestOverWarmP50").asDouble(),
                                    e.get("withinGoal").asBoolean() ? "" : " >")
                            : "-";
                    out.printf(Locale.ROOT, "  %-29s %-52s %-20s %-20s %-9s %-9s %s%s%n", f.get("logicalId").asText(), entry.getKey(),
                            spreadText(e.get("initWithHooksMillis")), spreadText(e.get("firstRequestMillis")),
                            fmt(warm.path("totalMillis").get("p50")), ratio, countText(e.get("firstRequestLoadedClasses")), warning);
                });
            }
            out.println();
        }
        if (report.get("functions").findValue("atLambdaCpuShare") != null) {
            out.printf(Locale.ROOT, "At Lambda's CPU share for the memory size (memory / %d MB of one vCPU, a cgroup CPU quota; "
                    + "Lambda flags; the SnapStart column's JVMs ran the hooks first): median [min-max]%n", CpuShare.MB_PER_VCPU);
            out.printf(Locale.ROOT, "  %-29s %-16s %-22s %-20s %-20s %s%n", "function", "memory", "first answer",
                    "init (constructor)", "first invoke", "first request after the SnapStart hooks");
            for (JsonNode f : report.get("functions")) {
                f.path("atLambdaCpuShare").fields().forEachRemaining(entry -> {
                    JsonNode c = entry.getValue();
                    List<Integer> statuses = new ArrayList<>();
                    c.path("statuses").forEach(status -> statuses.add(status.asInt()));
                    String warning = statuses.stream().allMatch(Workload::succeeded) ? "" : "  statuses " + statuses + "!";
                    out.printf(Locale.ROOT, "  %-29s %-16s %-22s %-20s %-20s %s (%s)%s%n", f.get("logicalId").asText(),
                            String.format(Locale.ROOT, "%d MB %.2f vCPU", c.get("memoryMb").asInt(), c.get("vcpus").asDouble()),
                            spreadText(c.get("firstAnswerMillis")), spreadText(c.get("initMillis")),
                            spreadText(c.get("firstInvokeMillis")), spreadText(c.get("snapStartFirstRequestMillis")),
                            c.get("snapStartEvent").asText(), warning);
                });
            }
            out.println();
        }
        out.printf(Locale.ROOT, "Warm, in-process handler after %d warm-up invocations: p50 / p99 over %d%n",
                report.get("warmupInvocations").asInt(), report.get("measuredInvocations").asInt());
        out.printf(Locale.ROOT, "  %-20s %-18s %-22s %-18s %-18s %s%n", "function", "handler total",
                "own code (- waiting)", "Twilio (emulator)", "store (dynalite)", "non-200");
        for (JsonNode f : report.get("functions")) {
            JsonNode w = f.get("warm");
            out.printf(Locale.ROOT, "  %-20s %-18s %-22s %-18s %-18s %d of %d%n", f.get("logicalId").asText(),
                    pair(w.get("totalMillis")), pair(w.get("ownCodeMillis")), pair(w.get("twilioMillis")),
                    pair(w.get("storeMillis")),
                    w.get("non200").asInt(), w.get("invocations").asInt());
        }
        out.println();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        if (array != null) {
            array.forEach(value -> texts.add(value.asText()));
        }
        return texts;
    }

    private static String spreadText(JsonNode node) {
        return fmt(node.get("median")) + " [" + fmt(node.get("min")) + "-" + fmt(node.get("max")) + "]";
    }

    /** A count's median [min-max]; "-" where the mode does not measure it. */
    private static String countText(JsonNode node) {
        if (node == null || !node.path("median").isNumber()) {
            return "-";
        }
        double median = node.get("median").asDouble();
        String m = median == Math.rint(median) ? String.valueOf((long) median) : String.format(Locale.ROOT, "%.1f", median);
        return m + " [" + node.get("min").asLong() + "-" + node.get("max").asLong() + "]";
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
}
