package com.flexwebchat.local.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flexwebchat.local.LocalApi;
import com.flexwebchat.local.ProjectRoot;
import com.flexwebchat.local.load.LoadOptions.Route;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./run-local load}, bounded to a few seconds: it runs, loads every route it is asked to, and reports. */
class LoadGeneratorTest {

    private static final Path TEMPLATE = ProjectRoot.find().resolve("template.yaml");

    private static LoadOptions options(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(TEMPLATE.toString());
        return LoadOptions.parse(all, Map.of());
    }

    /** The default path: an API of its own in a JVM of its own, its memory read before and after, stopped at the end. */
    @Test
    void startsItsOwnApiLoadsItAndReports(@TempDir Path folder) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        Path json = folder.resolve("load.json");
        LoadOptions options = options("--clients", "3", "--duration", "2s", "--warmup", "0", "--json", json.toString());

        LoadGenerator.Report report = LoadGenerator.run(options, out);
        LoadGenerator.print(report, out);
        LoadGenerator.writeJson(report, json);

        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(report.requests() >= 10, text);
        assertEquals(0, report.failures(), text);
        assertTrue(report.errors().isEmpty(), "no 4xx either, with the limits raised: " + report.errors());
        assertTrue(report.routes().containsKey(Route.INIT_WEBCHAT) && report.routes().containsKey(Route.REFRESH_TOKEN), text);
        assertTrue(text.contains("p50 ms") && text.contains("initWebchat") && text.contains("all "), text);
        assertNotNull(report.before(), text);
        assertTrue(report.before().rssKib() > 0 && report.after().rssKib() > 0, text);
        assertTrue(report.before().heapUsedKib() > 0 && report.after().heapUsedKib() > 0, "jcmd read the heap: " + text);
        assertTrue(text.contains("server memory, before -> after the load: RSS "), text);
        assertEquals(3, report.connects(), "one kept-alive connection per client");

        JsonNode written = new ObjectMapper().readTree(json.toFile());
        assertEquals(report.requests(), written.path("requests").asLong());
        assertTrue(written.path("routes").size() >= 2);

        long pid = Long.parseLong(report.server().replaceAll(".*\\(pid (\\d+);.*", "$1"));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the API it started is stopped");
    }

    /** Against a running API: exactly the requests asked for, every route, each client from its own address. */
    @Test
    void loadsARunningApiWithEveryRouteSigned() {
        Map<String, String> raised = Map.of("RATE_LIMIT_CHATS_PER_IP", LoadOptions.RAISED_LIMIT,
                "RATE_LIMIT_CHATS_PER_ACCOUNT", LoadOptions.RAISED_LIMIT, "RATE_LIMIT_RENEWALS_PER_VISITOR", LoadOptions.RAISED_LIMIT,
                "RATE_LIMIT_ENDINGS_PER_VISITOR", LoadOptions.RAISED_LIMIT);
        try (LocalApi api = LocalApi.start(new LocalApi.Options(TEMPLATE, 0, raised, 0,
                new PrintStream(OutputStream.nullOutputStream())))) {
            long before = api.invocations();
            LoadGenerator.Report report = LoadGenerator.run(options("--url", api.baseUrl().toString(), "--clients", "4",
                    "--requests", "60", "--mix", "initWebchat=1,refreshToken=1,endChat=1,webhooks=3"),
                    new PrintStream(OutputStream.nullOutputStream()));

            assertEquals(60, report.requests());
            assertEquals(0, report.failures(), report.routes().toString());
            assertTrue(report.errors().isEmpty(), "every webhook's signature was good: " + report.errors());
            assertEquals(Map.of("204", (long) report.routes().get(Route.TASKROUTER).count()),
                    report.routes().get(Route.TASKROUTER).outcomes());
            assertTrue(api.invocations() - before >= 60, "each request reached its function");
        }
    }

    /** With the limits as configured it is a limit test: one chat per address an hour, four clients on one address. */
    @Test
    void withTheLimitsAsConfiguredTheyAreWhatItMeasures() {
        try (LocalApi api = LocalApi.start(new LocalApi.Options(TEMPLATE, 0, Map.of("RATE_LIMIT_CHATS_PER_IP", "1/PT1H"), 0,
                new PrintStream(OutputStream.nullOutputStream())))) {
            LoadGenerator.Report report = LoadGenerator.run(options("--url", api.baseUrl().toString(), "--clients", "4",
                    "--addresses", "1", "--requests", "12", "--mix", "initWebchat=1"), new PrintStream(OutputStream.nullOutputStream()));

            Map<String, Long> answers = report.routes().get(Route.INIT_WEBCHAT).outcomes();
            assertEquals(1L, answers.get("200"), answers.toString());
            assertEquals(11L, answers.get("429 rate_limited"), answers.toString());
            assertEquals(0, report.failures());
        }
    }

    @Test
    void optionsAndTheirMistakes() {
        LoadOptions defaults = LoadOptions.parse(List.of(), Map.of());
        assertEquals(20, defaults.clients());
        assertEquals(30, defaults.duration().toSeconds());
        assertEquals(3, defaults.warmup().toSeconds());
        assertEquals(20, defaults.addresses());
        assertEquals(LoadOptions.Limits.RAISED, defaults.limits());
        assertEquals(2.0 / 3, defaults.mix().get(Route.STUDIO), 1e-9, "webhooks=2 shared by the three webhook routes");
        assertEquals(4.0, defaults.mix().get(Route.REFRESH_TOKEN));

        LoadOptions requests = LoadOptions.parse(List.of("--requests", "100"), Map.of());
        assertEquals(null, requests.duration());
        assertEquals(0, requests.warmup().toMillis());
        assertEquals(1500, LoadOptions.parse(List.of("--duration=1.5s"), Map.of()).duration().toMillis());
        assertEquals(120, LoadOptions.parse(List.of("--duration", "2m"), Map.of()).duration().toSeconds());
        assertEquals(LoadOptions.Limits.AS_CONFIGURED,
                LoadOptions.parse(List.of("--url", "http://127.0.0.1:3001"), Map.of()).limits(), "a running API's limits are its own");
        assertEquals("sekrit", LoadOptions.parse(List.of(), Map.of("AUTH_TOKEN", "sekrit")).authToken());

        for (List<String> wrong : List.of(List.of("--clients", "0"), List.of("--mix", "nope=1"), List.of("--mix", "initWebchat=0"),
                List.of("--duration", "soon"), List.of("--url", "ftp://x"), List.of("--pid", "12"), List.of("--limits", "off"),
                List.of("--clients"), List.of("--what", "1"))) {
            assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(wrong, Map.of()), wrong.toString());
        }
    }

    @Test
    void sourceAddressesAreLoopbackAndDistinct() {
        assertEquals("127.0.0.1", LoadGenerator.sourceAddress(0, 1).getHostAddress());
        assertEquals("127.0.0.2", LoadGenerator.sourceAddress(0, 300).getHostAddress());
        assertEquals("127.0.0.251", LoadGenerator.sourceAddress(249, 300).getHostAddress());
        assertEquals("127.0.1.2", LoadGenerator.sourceAddress(250, 300).getHostAddress());
        assertTrue(Files.isRegularFile(TEMPLATE));
    }
}
