package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Emf} and {@link LocalMetrics} on EMF lines written by hand from the specification
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)
 * in the shape the functions' metrics contract gives (issue 12): several dimension sets, arrays of values, a third directive,
 * and lines that are not EMF or are malformed. None of it comes from the functions' own code.
 */
class LocalMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2026-01-01T10:00:00Z. */
    private static final long T0 = 1_767_261_600_000L;
    private static final String NS = "FlexWebChat/local";

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * A "Request completed" line as the contract has it: Requests under [], [Route], [Route, Outcome]; the rest under
     * [] and [Route]; {@code others} is "Name":value pairs already in JSON (a number or a list), each a metric of
     * {@code units}.
     */
    static String requestLine(long timestamp, String route, String outcome, double latency, String... others) {
        StringBuilder definitions = new StringBuilder("{\"Name\":\"Latency\",\"Unit\":\"Milliseconds\"}");
        StringBuilder members = new StringBuilder();
        for (String other : others) {
            String name = other.substring(0, other.indexOf(':'));
            String unit = name.endsWith("Latency") || name.equals("InitDuration") ? "Milliseconds" : "Count";
            definitions.append(",{\"Name\":\"").append(name).append("\",\"Unit\":\"").append(unit).append("\"}");
            members.append(",\"").append(name).append("\":").append(other.substring(other.indexOf(':') + 1));
        }
        return "{\"timestamp\":\"" + Instant.ofEpochMilli(timestamp) + "\",\"level\":\"INFO\",\"message\":\"Request completed\","
                + "\"requestId\":\"r-" + timestamp + "\",\"route\":\"POST /" + route + "\",\"status\":200,"
                + "\"_aws\":{\"Timestamp\":" + timestamp + ",\"CloudWatchMetrics\":["
                + "{\"Namespace\":\"" + NS + "\",\"Dimensions\":[[],[\"Route\"],[\"Route\",\"Outcome\"]],"
                + "\"Metrics\":[{\"Name\":\"Requests\",\"Unit\":\"Count\"}]},"
                + "{\"Namespace\":\"" + NS + "\",\"Dimensions\":[[],[\"Route\"]],\"Metrics\":[" + definitions + "]}]},"
                + "\"Route\":\"" + route + "\",\"Outcome\":\"" + outcome + "\",\"Requests\":1,\"Latency\":"
                + String.format(Locale.ROOT, "%.1f", latency) + members + "}";
    }

    // ---------------------------------------------------------------- the parser

    @Test
    void aLineGivesOneDataPointPerDirectiveDimensionSetAndMetric() {
        Emf.Result result = Emf.parse(requestLine(T0, "initWebchat", "ok", 25.4, "TwilioCalls:2", "TwilioLatency:[12.1,5.3]"));

        assertTrue(result.ok(), result.malformed());
        assertEquals(Instant.ofEpochMilli(T0), result.time());
        List<Emf.DataPoint> requests = result.points().stream().filter(p -> p.metric().equals("Requests")).toList();
        assertEquals(List.of(Map.of(), Map.of("Route", "initWebchat"), Map.of("Route", "initWebchat", "Outcome", "ok")),
                requests.stream().map(Emf.DataPoint::dimensions).toList());
        assertTrue(requests.stream().allMatch(p -> p.namespace().equals(NS) && p.unit().equals("Count")
                && p.values().equals(List.of(1.0))));
        List<Emf.DataPoint> twilio = result.points().stream().filter(p -> p.metric().equals("TwilioLatency")).toList();
        assertEquals(2, twilio.size(), "[] and [Route]");
        assertEquals(List.of(12.1, 5.3), twilio.get(0).values(), "a list of values, one per call");
        assertEquals("Milliseconds", twilio.get(0).unit());
        assertEquals(3 + 2 + 2 + 2, result.points().size());
    }

    @Test
    void aMetricWithoutUnitIsNoneAndAnEmptyDimensionListPublishesNothing() {
        Emf.Result result = Emf.parse("{\"_aws\":{\"Timestamp\":" + T0 + ",\"CloudWatchMetrics\":[{\"Namespace\":\"X\","
                + "\"Dimensions\":[[\"A\"]],\"Metrics\":[{\"Name\":\"Widgets\"}]},{\"Namespace\":\"X\",\"Dimensions\":[],"
                + "\"Metrics\":[{\"Name\":\"Widgets\",\"Unit\":\"Count\"}]}]},\"A\":\"a\",\"Widgets\":3}");

        assertTrue(result.ok(), result.malformed());
        assertEquals(1, result.points().size());
        assertEquals("None", result.points().get(0).unit());
        assertEquals(Map.of("A", "a"), result.points().get(0).dimensions());
    }

    @Test
    void linesWithoutABlockAreNotEmf() {
        for (String line : List.of("", "POST /initWebchat 200 25.1 ms (WebChannelFunction)", "{\"message\":\"Request completed\"}",
                "[1,2]", "{not json at all", "{\"message\":\"mentions _aws in text\"}")) {
            Emf.Result result = Emf.parse(line);
            assertFalse(result.emf(), line);
            assertNull(result.malformed(), line);
        }
    }

    static final List<String> MALFORMED = List.of(
            "{\"_aws\":[],\"Requests\":1}",
            "{\"_aws\":{\"CloudWatchMetrics\":[]},\"Requests\":1}",
            "{\"_aws\":{\"Timestamp\":\"" + T0 + "\",\"CloudWatchMetrics\":[]}}",
            "{\"_aws\":{\"Timestamp\":" + T0 + "}}",
            "{\"_aws\":{\"Timestamp\":" + T0 + ",\"CloudWatchMetrics\":[{\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"Requests\"}]}]},\"Requests\":1}",
            "{\"_aws\":{\"Timestamp\":" + T0 + ",\"CloudWatchMetrics\":[{\"Namespace\":\"X\",\"Dimensions\":[\"Route\"],\"Metrics\":[{\"Name\":\"Requests\"}]}]},\"Route\":\"a\",\"Requests\":1}",
            "{\"_aws\":{\"Timestamp\":" + T0 + ",\"CloudWatchMetrics\":[{\"Namespace\":\"X\",\"Dimensions\":[[\"Route\"]],\"Metrics\":[{\"Name\":\"Requests\"}]}]},\"Requests\":1}",
            "{\"_aws\":{\"Timestamp\":" + T0 + ",\"CloudWatchMetrics\":[{\"Namespace\":\"X\",\"Dimensions\":[[\"Route\"]],\"Metrics\":[{\"Name\":\"Requests\"}]}]},\"Route\":7,\"Requests\":1}",
            "{\"_aws\":{\"Timestamp\":" + T0 + ",\"CloudWatchMetrics\":[{\"Namespace\":\"X\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"Requests\"}]}]}}",
            "{\"_aws\":{\"Timestamp\":" + T0 + ",\"CloudWatchMetrics\":[{\"Namespace\":\"X\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"Requests\"}]}]},\"Requests\":\"1\"}",
            "{\"_aws\":{\"Timestamp\":" + T0 + ",\"CloudWatchMetrics\":[{\"Namespace\":\"X\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"Latency\"}]}]},\"Latency\":[1,\"2\"]}",
            "{\"_aws\":{\"Timestamp\":" + T0 + ",\"CloudWatchMetrics\":[{\"Namespace\":\"X\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"Latency\"}]}]},\"Latency\":[]}",
            "{\"_aws\":{\"Timestamp\":" + T0 + ",\"CloudWatchMetrics\":[{\"Namespace\":\"X\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"Latency\",\"Unit\":\"Parsecs\"}]}]},\"Latency\":1}",
            "{\"_aws\":{\"Timestamp\":" + T0 + ",\"CloudWatchMetrics\":[{\"Namespace\":\"X\",\"Dimensions\":[[]],\"Metrics\":[{\"Unit\":\"Count\"}]}]}}",
            "{\"_aws\":{\"Timestamp\":" + T0 + ",\"CloudWatchMetrics\":[{\"Namespace\":\"X\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"Requests\"}]}]},\"Requests\":1");

    @Test
    void aBlockThatBreaksTheSpecificationIsMalformedWithItsReason() {
        for (String line : MALFORMED) {
            Emf.Result result = Emf.parse(line);
            assertTrue(result.emf() && result.malformed() != null, line);
            assertTrue(result.points().isEmpty(), line);
        }
        assertEquals("the dimension Route has no string value in the line", Emf.parse(MALFORMED.get(6)).malformed());
        assertEquals("the metric Requests has no value in the line", Emf.parse(MALFORMED.get(8)).malformed());
        assertTrue(Emf.parse(MALFORMED.get(2)).malformed().startsWith("_aws.Timestamp"));
        String tooMany = "{\"_aws\":{\"Timestamp\":" + T0 + ",\"CloudWatchMetrics\":[{\"Namespace\":\"X\",\"Dimensions\":[[]],"
                + "\"Metrics\":[{\"Name\":\"Latency\"}]}]},\"Latency\":[" + "1,".repeat(100) + "1]}";
        assertTrue(Emf.parse(tooMany).malformed().contains("1 to 100 numbers"));
    }

    // ---------------------------------------------------------------- the aggregation

    @Test
    void requestsChatsFailuresAndUpstreamsAreCountedOncePerLine() {
        TestClock clock = new TestClock(Instant.ofEpochMilli(T0 + 90_000));
        LocalMetrics metrics = new LocalMetrics(clock, 10_000, Duration.ofMinutes(30));
        // Minute 10:00: two chats started (one a cold start), one refused origin, one rate limited.
        metrics.accept(requestLine(T0 + 1_000, "initWebchat", "ok", 120.0, "TwilioCalls:3", "TwilioLatency:[40.0,20.5,9.5]",
                "StoreCalls:2", "StoreLatency:[3.0,4.0]", "ChatsStarted:1", "ColdStarts:1", "InitDuration:812.0"));
        metrics.accept(requestLine(T0 + 2_000, "initWebchat", "ok", 30.0, "TwilioCalls:2", "TwilioLatency:[10.0,11.0]",
                "StoreCalls:1", "StoreLatency:2.0", "ChatsStarted:1"));
        metrics.accept(requestLine(T0 + 3_000, "initWebchat", "origin_not_allowed", 1.5, "ClientErrors:1"));
        metrics.accept(requestLine(T0 + 4_000, "initWebchat", "rate_limited", 2.5, "ClientErrors:1", "RequestsLimited:1",
                "StoreCalls:1", "StoreLatency:1.0"));
        // Not EMF: the gateway's access line, a function's other line, text; malformed: a block without Timestamp.
        metrics.accept("POST /initWebchat 200 25.1 ms (WebChannelFunction)");
        metrics.accept("{\"timestamp\":\"2026-01-01T10:00:04Z\",\"level\":\"WARN\",\"message\":\"Request origin refused\"}");
        metrics.accept(MALFORMED.get(1));
        // Minute 10:01: a renewal failing on Twilio, a chat ended by the agent (a third directive: EndedBy).
        metrics.accept(requestLine(T0 + 61_000, "refreshToken", "twilio_error", 900.0, "ServerErrors:1", "TwilioCalls:1",
                "TwilioErrors:1", "TwilioLatency:[890.0]"));
        metrics.accept("{\"message\":\"Request completed\",\"_aws\":{\"Timestamp\":" + (T0 + 62_000) + ",\"CloudWatchMetrics\":["
                + "{\"Namespace\":\"" + NS + "\",\"Dimensions\":[[],[\"Route\"],[\"Route\",\"Outcome\"]],\"Metrics\":[{\"Name\":\"Requests\",\"Unit\":\"Count\"}]},"
                + "{\"Namespace\":\"" + NS + "\",\"Dimensions\":[[],[\"Route\"]],\"Metrics\":[{\"Name\":\"Latency\",\"Unit\":\"Milliseconds\"},"
                + "{\"Name\":\"ChatsEnded\",\"Unit\":\"Count\"},{\"Name\":\"TwilioCalls\",\"Unit\":\"Count\"}]},"
                + "{\"Namespace\":\"" + NS + "\",\"Dimensions\":[[\"EndedBy\"]],\"Metrics\":[{\"Name\":\"ChatsEnded\",\"Unit\":\"Count\"}]}]},"
                + "\"Route\":\"taskrouter\",\"Outcome\":\"ok\",\"EndedBy\":\"agent\",\"Requests\":1,\"Latency\":15.0,\"ChatsEnded\":1,"
                + "\"TwilioCalls\":1}");

        JsonNode snapshot = metrics.snapshot(JSON);

        JsonNode lines = snapshot.path("lines");
        assertEquals(9, lines.path("seen").asLong());
        assertEquals(6, lines.path("emf").asLong());
        assertEquals(1, lines.path("malformed").asLong());
        assertEquals(2, lines.path("withoutEmf").asLong());
        assertEquals(6, lines.path("requestLines").asLong(), "the six with \"message\":\"Request completed\"");
        assertEquals(0, lines.path("requestLinesWithoutEmf").asLong());
        assertEquals("_aws.Timestamp is not a number of milliseconds since the epoch", snapshot.path("lastMalformed").path("reason").asText());
        assertEquals(List.of(NS), names(snapshot.path("namespaces")));

        JsonNode totals = snapshot.path("totals");
        assertEquals(6, totals.path("requests").asLong(), "Requests is under three dimension sets, counted once a line");
        assertEquals(2, totals.path("chatsStarted").asLong());
        assertEquals(2, totals.path("chatsNotStarted").asLong(), "initWebchat answers whose Outcome was not ok");
        assertEquals(0, totals.path("chatStartFailures").asLong());
        assertEquals(3, totals.path("failures").asLong());
        assertEquals(1, totals.path("chatsEnded").asLong(), "in two directives, counted once");
        assertEquals(7, totals.path("twilioCalls").asLong());
        assertEquals(1, totals.path("twilioErrors").asLong());
        assertEquals(4, totals.path("storeCalls").asLong());
        assertEquals(1, totals.path("limited").asLong());
        assertEquals(0, totals.path("blocked").asLong());
        assertEquals(1, totals.path("coldStarts").asLong());
        assertEquals(1, totals.path("serverErrors").asLong());
        assertEquals(2, totals.path("clientErrors").asLong());
        assertEquals(6, snapshot.path("metrics").path("TwilioLatency").path("samples").asLong(), "one value per call");
        assertEquals(981.0, snapshot.path("metrics").path("TwilioLatency").path("sum").asDouble(), 1e-9);
        assertEquals("Milliseconds", snapshot.path("metrics").path("TwilioLatency").path("unit").asText());
        assertEquals(812.0, snapshot.path("metrics").path("InitDuration").path("sum").asDouble(), 1e-9);

        assertEquals("initWebchat origin_not_allowed 1, initWebchat rate_limited 1, refreshToken twilio_error 1",
                failures(snapshot), "by count, then route and outcome");

        JsonNode window = snapshot.path("window");
        assertEquals(6, window.path("lines").asInt());
        JsonNode minutes = window.path("minutes");
        assertEquals(LocalMetrics.MIN_MINUTES_SHOWN, minutes.size(), "padded back to ten minutes");
        JsonNode tenOClock = minutes.get(minutes.size() - 2);
        JsonNode tenOhOne = minutes.get(minutes.size() - 1);
        assertEquals("2026-01-01T10:00:00Z", tenOClock.path("minute").asText());
        assertEquals(4, tenOClock.path("requests").asLong());
        assertEquals(2, tenOClock.path("chatsStarted").asLong());
        assertEquals(2, tenOClock.path("chatsNotStarted").asLong());
        assertEquals(2, tenOClock.path("failures").asLong());
        assertEquals(5, tenOClock.path("twilioCalls").asLong());
        assertEquals(1, tenOClock.path("limited").asLong());
        assertEquals(1, tenOClock.path("coldStarts").asLong());
        assertEquals(120.0, tenOClock.path("latencyP95").asDouble(), 1e-9);
        assertEquals("2026-01-01T10:01:00Z", tenOhOne.path("minute").asText());
        assertEquals(2, tenOhOne.path("requests").asLong());
        assertEquals(1, tenOhOne.path("twilioErrors").asLong());
        assertEquals(0, minutes.get(0).path("requests").asLong());
        assertTrue(minutes.get(0).path("latencyP95").isNull());

        JsonNode init = route(window, "initWebchat");
        assertEquals(4, init.path("requests").asLong());
        assertEquals(2, init.path("failures").asLong());
        assertEquals("{\"ok\":2,\"origin_not_allowed\":1,\"rate_limited\":1}", init.path("outcomes").toString());
        assertEquals(4, init.path("latency").path("samples").asInt());
        assertEquals(2.5, init.path("latency").path("p50").asDouble(), 1e-9, "nearest rank of 1.5, 2.5, 30, 120");
        assertEquals(120.0, init.path("latency").path("p95").asDouble(), 1e-9);
        assertEquals(120.0, init.path("latency").path("max").asDouble(), 1e-9);
        assertEquals(5, init.path("twilioCalls").asLong());
        assertEquals(5, init.path("twilioLatency").path("samples").asInt());
        assertEquals(4, init.path("storeCalls").asLong());
        assertEquals(900.0, route(window, "refreshToken").path("latency").path("p99").asDouble(), 1e-9);

        JsonNode twilio = window.path("twilio");
        assertEquals(7, twilio.path("calls").asLong());
        assertEquals(1, twilio.path("errors").asLong());
        assertEquals(6, twilio.path("latency").path("samples").asInt());
        assertEquals(11.0, twilio.path("latency").path("p50").asDouble(), 1e-9, "9.5 10 11 20.5 40 890: the third");
        assertEquals(890.0, twilio.path("latency").path("p99").asDouble(), 1e-9);
        assertEquals(4, window.path("store").path("latency").path("samples").asInt());
    }

    @Test
    void percentilesAreNearestRank() {
        TestClock clock = new TestClock(Instant.ofEpochMilli(T0));
        LocalMetrics metrics = new LocalMetrics(clock, 10_000, Duration.ofMinutes(30));
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            order.add((i * 37) % 200 + 1); // 1..200, shuffled
        }
        for (int latency : order) {
            metrics.accept(requestLine(T0, "endChat", "ok", latency));
        }

        JsonNode latency = route(metrics.snapshot(JSON).path("window"), "endChat").path("latency");

        assertEquals(200, latency.path("samples").asInt());
        assertEquals(100.0, latency.path("p50").asDouble(), 1e-9);
        assertEquals(190.0, latency.path("p95").asDouble(), 1e-9);
        assertEquals(198.0, latency.path("p99").asDouble(), 1e-9);
        assertEquals(200.0, latency.path("max").asDouble(), 1e-9);
    }

    @Test
    void theWindowKeepsTheLastLinesAndMinutesWhileTheTotalsKeepEverything() {
        TestClock clock = new TestClock(Instant.ofEpochMilli(T0));
        LocalMetrics metrics = new LocalMetrics(clock, 5, Duration.ofMinutes(30));
        for (int i = 0; i < 8; i++) {
            metrics.accept(requestLine(T0, "initWebchat", "ok", 10 + i, "ChatsStarted:1"));
        }
        JsonNode bounded = metrics.snapshot(JSON);
        assertEquals(5, bounded.path("retention").path("kept").asInt(), "the last five lines");
        assertEquals(5, route(bounded.path("window"), "initWebchat").path("requests").asLong());
        assertEquals(15.0, route(bounded.path("window"), "initWebchat").path("latency").path("p50").asDouble(), 1e-9,
                "of 10..17, the five kept are 13..17");
        assertEquals(8, bounded.path("totals").path("chatsStarted").asLong(), "since start");

        clock.now = clock.now.plus(Duration.ofMinutes(31));
        JsonNode later = metrics.snapshot(JSON);
        assertEquals(0, later.path("retention").path("kept").asInt(), "older than 30 minutes");
        assertTrue(later.path("window").path("routes").isEmpty());
        assertEquals(8, later.path("totals").path("requests").asLong());
        JsonNode minutes = later.path("window").path("minutes");
        assertEquals(LocalMetrics.MIN_MINUTES_SHOWN, minutes.size());
        assertEquals(clock.now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString(),
                minutes.get(minutes.size() - 1).path("minute").asText(), "ending now");
    }

    @Test
    void aFreshRunHasTheWholeShapeWithZeros() {
        JsonNode snapshot = new LocalMetrics().snapshot(JSON);

        for (String key : LocalMetrics.TOTALS.keySet()) {
            assertEquals(0, snapshot.path("totals").path(key).asLong(-1), key);
        }
        assertEquals(0, snapshot.path("totals").path("failures").asLong(-1));
        assertEquals(0, snapshot.path("totals").path("chatsNotStarted").asLong(-1));
        assertTrue(snapshot.path("failures").isArray() && snapshot.path("failures").isEmpty());
        assertTrue(snapshot.path("lastMalformed").isNull());
        assertEquals(LocalMetrics.DEFAULT_MAX_LINES, snapshot.path("retention").path("maxLines").asInt());
        assertEquals(30, snapshot.path("retention").path("minutes").asInt());
        assertEquals(0, snapshot.path("window").path("twilio").path("latency").path("samples").asInt(-1));
        assertTrue(snapshot.path("window").path("twilio").path("latency").path("p95").isNull());
        assertEquals(LocalMetrics.MIN_MINUTES_SHOWN, snapshot.path("window").path("minutes").size());
    }

    @Test
    void nothingALineHoldsCanMakeItThrow() {
        LocalMetrics metrics = new LocalMetrics();
        List<String> odd = new ArrayList<>(MALFORMED);
        odd.addAll(List.of("{", "{}", "null", "{\"_aws\":null}", "{\"_aws\":{\"Timestamp\":-5,\"CloudWatchMetrics\":[]}}",
                "{\"_aws\":{\"Timestamp\":1e400,\"CloudWatchMetrics\":[]}}", "\u0000{\"_aws\":1}", "{\"_aws\":{\"Timestamp\":1,"
                        + "\"CloudWatchMetrics\":[{\"Namespace\":\"X\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"L\"}]}]},\"L\":1e400}"));
        odd.add(null);
        for (String line : odd) {
            metrics.accept(line);
        }
        JsonNode snapshot = metrics.snapshot(JSON);
        assertEquals(odd.size(), snapshot.path("lines").path("seen").asInt());
        assertEquals(0, snapshot.path("lines").path("emf").asInt());
        assertTrue(snapshot.path("lines").path("malformed").asInt() >= MALFORMED.size());
    }

    static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    static String failures(JsonNode snapshot) {
        List<String> parts = new ArrayList<>();
        snapshot.path("failures").forEach(f -> parts.add(f.path("route").asText() + " " + f.path("outcome").asText() + " "
                + f.path("count").asLong()));
        return String.join(", ", parts);
    }

    static JsonNode route(JsonNode window, String name) {
        for (JsonNode route : window.path("routes")) {
            if (route.path("route").asText().equals(name)) {
                return route;
            }
        }
        throw new AssertionError("no route " + name + " in " + window.path("routes"));
    }
}
