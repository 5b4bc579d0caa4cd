package com.flexwebchat.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.harness.SamTemplate.SamFunction;
import com.flexwebchat.harness.SamTemplate.SamRoute;
import com.flexwebchat.local.bench.Workload.Subject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The benchmark's options and what its report makes of measurements, without starting a JVM. */
class ColdStartBenchmarkTest {

    private static final Path ROOT = Path.of("/repo");
    private static final Subject SUBJECT = new Subject(
            new SamFunction("AgentEndedFunction", "com.example.Handler::handleRequest", "agent-ended-function.zip", 15, 1024,
                    Map.of(), List.of(new SamRoute("POST", "/webhooks/taskrouter", "AgentEndedFunction"))),
            new SamRoute("POST", "/webhooks/taskrouter", "AgentEndedFunction"),
            Map.of("JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC"), Path.of("agent-ended-function.zip"));

    @Test
    void optionsDefaultToFiveRunsThreePerEventAndAThousandIterations() {
        ColdStartBenchmark.Options defaults = ColdStartBenchmark.Options.parse(new String[0], ROOT);
        assertEquals(new ColdStartBenchmark.Options(5, 3, 200, 1000, ROOT.resolve("local/runner/target/benchmark.json"), true,
                Probe.currentJava(), null, CpuShare.available() ? List.of(512, 1024) : List.of()), defaults);

        ColdStartBenchmark.Options given = ColdStartBenchmark.Options.parse(
                new String[] {"--runs", "1", "--warmup", "10", "--iterations", "100", "--out", "b.json", "--store", "off",
                    "--java", "/jdk25/bin/java", "--runtime", "java25", "--memory", "off"}, ROOT);
        assertEquals(new ColdStartBenchmark.Options(1, 1, 10, 100, Path.of("b.json"), false, Path.of("/jdk25/bin/java"), "java25",
                List.of()), given);

        assertThrows(IllegalArgumentException.class, () -> ColdStartBenchmark.Options.parse(new String[] {"--run", "1"}, ROOT));
        assertThrows(IllegalArgumentException.class, () -> ColdStartBenchmark.Options.parse(new String[] {"--store", "yes"}, ROOT));
        assertThrows(IllegalArgumentException.class, () -> ColdStartBenchmark.Options.parse(new String[] {"--runtime", "nodejs20.x"}, ROOT));
        assertThrows(IllegalArgumentException.class, () -> ColdStartBenchmark.Options.parse(new String[] {"--memory", "64"}, ROOT));
    }

    @Test
    void theLambdaFlagsFollowTheRuntimeJava25KeepsFullTieredCompilationWithSnapStartOnly() {
        for (String runtime : List.of("java17", "java21")) {
            assertEquals(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:MaxRAM=512m"),
                    Mode.LAMBDA_RUNTIME.jvmArguments(runtime, 512), runtime);
            assertEquals(Mode.LAMBDA_RUNTIME.jvmArguments(runtime, 512), Mode.SNAPSTART.jvmArguments(runtime, 512), runtime);
        }
        assertEquals(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:MaxRAM=1024m"),
                Mode.LAMBDA_RUNTIME.jvmArguments("java25", 1024));
        assertEquals(List.of("-XX:+TieredCompilation", "-XX:+UseSerialGC", "-XX:MaxRAM=1024m"),
                Mode.SNAPSTART.jvmArguments("java25", 1024));
        assertEquals(List.of(), Mode.JVM_DEFAULTS.jvmArguments("java25", 1024));
        assertEquals("lambda-java25-defaults", Mode.LAMBDA_RUNTIME.label("java25"));
        assertEquals("lambda-java25+snapstart-hooks", Mode.SNAPSTART.label("java25"));
        assertEquals("jvm-defaults", Mode.JVM_DEFAULTS.label("java25"));
    }

    @Test
    void theRuntimeIsTheTemplatesGlobalOne() {
        assertEquals("java25", Probe.runtimeOf(com.flexwebchat.harness.SamTemplate.parse(
                "Globals:\n  Function:\n    Runtime: java25\nResources: {}\n", ROOT)));
        assertEquals(Mode.DEFAULT_RUNTIME, Probe.runtimeOf(com.flexwebchat.harness.SamTemplate.parse("Resources: {}\n", ROOT)));
    }

    private static ProbeResult run(Mode mode, int status, double firstAnswer, Long loadedClasses) {
        return event(null, mode, status, firstAnswer, 100, loadedClasses);
    }

    private static ProbeResult event(String event, Mode mode, int status, double firstAnswer, double firstInvoke, Long loadedClasses) {
        return event(event, mode, status, firstAnswer, firstInvoke, loadedClasses, new double[0]);
    }

    private static ProbeResult event(String event, Mode mode, int status, double firstAnswer, double firstInvoke, Long loadedClasses,
                                     double[] warm) {
        return new ProbeResult(SUBJECT.id(), event, mode, status, firstAnswer, 30, 400, firstInvoke, Double.NaN,
                loadedClasses == null ? OptionalLong.empty() : OptionalLong.of(loadedClasses), warm);
    }

    @Test
    void theReportHasTheFirstRequestAfterTheHooksForEachEventBesideItsWarmP50() {
        BenchReport report = new BenchReport("java25", "java version 25", 5, 3, 10, 3, true);
        report.function(SUBJECT, new Artifact("agent-ended-function.zip", 12_884_901L, 15, 11));
        report.coldStarts(SUBJECT, Mode.LAMBDA_RUNTIME, List.of(run(Mode.LAMBDA_RUNTIME, 204, 500, null)));
        String wrapup = "webhooks-taskrouter-task-wrapup.json";
        String canceled = "webhooks-taskrouter-task-canceled.json";
        report.snapStartEvent(SUBJECT, wrapup, List.of(event(wrapup, Mode.SNAPSTART, 204, 700, 9, 60L, new double[] {1, 2, 3}),
                event(wrapup, Mode.SNAPSTART, 204, 710, 6, 62L), event(wrapup, Mode.SNAPSTART, 204, 720, 12, 70L)));
        report.snapStartEvent(SUBJECT, canceled, List.of(event(canceled, Mode.SNAPSTART, 204, 700, 2, 50L, new double[] {1, 1.5, 2}),
                event(canceled, Mode.SNAPSTART, 500, 710, 3, 51L), event(canceled, Mode.SNAPSTART, 204, 720, 4, 52L)));
        report.warm(SUBJECT, new WarmRun(3, 0, new double[] {1, 2, 3}, new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 1.5, 2.5},
                new double[] {0, 0, 0}));

        JsonNode f = report.json().get("functions").get(0);
        assertTrue(f.get("coldStart").has("lambda-java25-defaults"), f.toString());
        JsonNode snapStart = f.get("snapStart");
        assertEquals("lambda-java25+snapstart-hooks", snapStart.get("mode").asText());
        assertEquals("[\"-XX:+TieredCompilation\",\"-XX:+UseSerialGC\",\"-XX:MaxRAM=1024m\"]", snapStart.get("jvmArguments").toString());
        JsonNode w = snapStart.get("events").get(wrapup);
        assertEquals(9, w.get("firstRequestMillis").get("median").asDouble());
        assertEquals(2, w.get("warm").get("totalMillis").get("p50").asDouble());
        assertEquals(3, w.get("warm").get("invocations").asInt());
        assertEquals(4.5, w.get("firstRequestOverWarmP50").asDouble());
        assertFalse(w.get("withinGoal").asBoolean());
        assertEquals("{\"median\":62.0,\"min\":60,\"max\":70,\"samples\":[60,62,70]}", w.get("firstRequestLoadedClasses").toString());
        JsonNode c = snapStart.get("events").get(canceled);
        assertEquals(2, c.get("firstRequestOverWarmP50").asDouble());
        assertTrue(c.get("withinGoal").asBoolean());
        assertEquals("java25", report.json().get("runtime").asText());
        assertEquals(3, report.json().get("snapStartEventRuns").asInt());

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchReport.printTable(report.json(), new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("First request after the SnapStart hooks (lambda-java25+snapstart-hooks,")
                && l.contains("median [min-max] of 3 runs")), lines.toString());
        String wrapupLine = lines.stream().filter(l -> l.contains(wrapup)).findFirst().orElseThrow();
        assertTrue(wrapupLine.startsWith("  AgentEndedFunction"), wrapupLine);
        assertTrue(wrapupLine.contains("9.00 [6.00-12.00]") && wrapupLine.contains(" 2.00 ") && wrapupLine.contains("4.5x >")
                && wrapupLine.endsWith("62 [60-70]"), wrapupLine);
        String canceledLine = lines.stream().filter(l -> l.contains(canceled)).findFirst().orElseThrow();
        assertTrue(canceledLine.contains("2.0x ") && !canceledLine.contains("2.0x >"), canceledLine);
        assertTrue(canceledLine.endsWith("51 [50-52]  statuses [204, 500, 204]!"), canceledLine);
    }

    @Test
    void theReportHasEveryFigureAndTheFirstInvokeClassCountWhereItIsMeasured() {
        BenchReport report = new BenchReport(2, 10, 3, true);
        report.function(SUBJECT, new Artifact("agent-ended-function.zip", 12_884_901L, 15, 11));
        report.coldStarts(SUBJECT, Mode.LAMBDA_RUNTIME, List.of(run(Mode.LAMBDA_RUNTIME, 204, 500, null),
                run(Mode.LAMBDA_RUNTIME, 204, 600, null)));
        report.coldStarts(SUBJECT, Mode.SNAPSTART, List.of(run(Mode.SNAPSTART, 204, 550.1234, 120L),
                run(Mode.SNAPSTART, 500, 650, 131L)));
        report.warm(SUBJECT, new WarmRun(3, 0, new double[] {1, 2, 3}, new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 1.5, 2.5},
                new double[] {0, 0, 0}));

        JsonNode f = report.json().get("functions").get(0);
        assertEquals("POST /webhooks/taskrouter", f.get("route").asText());
        assertEquals(11, f.get("artifact").get("ownClasses").asInt());
        JsonNode lambda = f.get("coldStart").get("lambda-java21-defaults");
        assertEquals(550, lambda.get("firstAnswerMillis").get("median").asDouble());
        assertEquals("-XX:+UseSerialGC", lambda.get("javaToolOptions").asText());
        assertTrue(lambda.get("firstInvokeTwilioMillis").get("median").isNull(), "no Twilio time: null, not NaN");
        assertFalse(lambda.has("firstInvokeLoadedClasses"), "measured in the SnapStart mode only");
        JsonNode snapStart = f.get("coldStart").get("lambda-java21+snapstart-hooks");
        assertEquals(550.123, snapStart.get("firstAnswerMillis").get("samples").get(0).asDouble());
        assertEquals("{\"median\":125.5,\"min\":120,\"max\":131,\"samples\":[120,131]}",
                snapStart.get("firstInvokeLoadedClasses").toString());
        assertEquals("[204,500]", snapStart.get("statuses").toString());
        assertEquals(2, f.get("warm").get("totalMillis").get("p50").asDouble());

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchReport.printTable(report.json(), new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains("(Twilio)") && l.endsWith("classes loaded by first invoke")), lines.toString());
        String lambdaLine = lines.stream().filter(l -> l.contains("lambda-java21-defaults")).findFirst().orElseThrow();
        assertTrue(lambdaLine.startsWith("  AgentEndedFunction   lambda-java21-defaults   550 [500-600]"), lambdaLine);
        assertTrue(lambdaLine.endsWith(" -"), lambdaLine);
        String snapLine = lines.stream().filter(l -> l.contains("lambda-java21+snapstart-hooks")).findFirst().orElseThrow();
        assertTrue(snapLine.endsWith("125.5 [120-131]  statuses [204, 500]!"), snapLine);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  AgentEndedFunction   2.00 / 3.00 ") && l.endsWith("0 of 3")),
                lines.toString());
    }
}
