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
    void optionsDefaultToFiveRunsAndAThousandIterations() {
        ColdStartBenchmark.Options defaults = ColdStartBenchmark.Options.parse(new String[0], ROOT);
        assertEquals(new ColdStartBenchmark.Options(5, 200, 1000, ROOT.resolve("local/runner/target/benchmark.json"), true),
                defaults);

        ColdStartBenchmark.Options given = ColdStartBenchmark.Options.parse(
                new String[] {"--runs", "1", "--warmup", "10", "--iterations", "100", "--out", "b.json", "--store", "off"}, ROOT);
        assertEquals(new ColdStartBenchmark.Options(1, 10, 100, Path.of("b.json"), false), given);

        assertThrows(IllegalArgumentException.class, () -> ColdStartBenchmark.Options.parse(new String[] {"--run", "1"}, ROOT));
        assertThrows(IllegalArgumentException.class, () -> ColdStartBenchmark.Options.parse(new String[] {"--store", "yes"}, ROOT));
    }

    private static ProbeResult run(Mode mode, int status, double firstAnswer, Long loadedClasses) {
        return new ProbeResult(SUBJECT.id(), mode, status, firstAnswer, 30, 400, 100, Double.NaN,
                loadedClasses == null ? OptionalLong.empty() : OptionalLong.of(loadedClasses));
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
        JsonNode snapStart = f.get("coldStart").get("lambda+snapstart-hooks");
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
        String snapLine = lines.stream().filter(l -> l.contains("lambda+snapstart-hooks")).findFirst().orElseThrow();
        assertTrue(snapLine.endsWith("125.5 [120-131]  statuses [204, 500]!"), snapLine);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  AgentEndedFunction   2.00 / 3.00 ") && l.endsWith("0 of 3")),
                lines.toString());
    }
}
