package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the local API lets through to a function, and what slow clients can do to it, over raw
 * sockets (the JDK's HttpClient refuses to send most of these requests): as strict as API Gateway
 * about what it forwards, and never starved by clients that send half a request and stall.
 */
class LocalApiStrictnessTest {

    private static final String ORIGIN = "http://localhost:3000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Its default read timeout (10 s), so that starving it cannot be hidden by stalled clients being cut off. */
    private static LocalApi api;
    /** A read timeout of 1 s, to see stalled clients cut off. */
    private static LocalApi quick;

    @BeforeAll
    static void start() throws Exception {
        api = stubApi(Map.of());
        quick = stubApi(Map.of("LOCAL_READ_TIMEOUT", "PT1S"));
    }

    /** The stub template; a real-looking account (no emulator) and a store named but never asked (no dynalite). */
    private static LocalApi stubApi(Map<String, String> extra) throws Exception {
        Path template = Path.of(LocalApiStrictnessTest.class.getResource("/stub-template.yaml").toURI());
        Map<String, String> settings = new LinkedHashMap<>(Map.of("ACCOUNT_SID", "AC00000000000000000000000000000000",
                "ALLOWED_ORIGINS", ORIGIN, "STORE_TABLE", "unused", "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9"));
        settings.putAll(extra);
        return LocalApi.start(new LocalApi.Options(template, 0, settings, 0, new PrintStream(OutputStream.nullOutputStream())));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (quick != null) {
            quick.close();
        }
    }

    private static String request(String headers, String body) {
        return "POST /echo/ada HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "Content-Length: "
                + body.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n\r\n" + body;
    }

    private static RawHttp.Answer exchange(LocalApi to, String raw) throws Exception {
        try (RawHttp http = RawHttp.connect(to.port())) {
            return http.send(raw).read(Duration.ofSeconds(5));
        }
    }

    // ---------------------------------------------------------------- slow clients

    /**
     * First failing input on the JDK HttpServer with 8 threads: 12 connections each sending
     * "POST /echo/ada HTTP/1.1\r\nHost: 127.0.0.1\r\nOrig" and 12 sending a whole head with
     * Content-Length: 100 and 10 bytes of body, then stalling; the valid request that followed
     * was not answered within 5 s (HttpTimeoutException).
     */
    @Test
    void halfSentRequestsDoNotStopAValidRequestFromBeingAnswered() throws Exception {
        List<RawHttp> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                stalled.add(RawHttp.connect(api.port()).send("POST /echo/ada HTTP/1.1\r\nHost: 127.0.0.1\r\nOrig"));
                stalled.add(RawHttp.connect(api.port()).send("POST /echo/ada HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":\"1234"));
            }
            Thread.sleep(200); // let the server take them all up
            long before = api.invocations();

            long started = System.nanoTime();
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(api.baseUrl().resolve("/echo/ada"))
                    .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json").header("Origin", ORIGIN)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(201, answer.statusCode(), answer.body());
            assertTrue(millis < 2_000, "answered promptly beside 24 stalled requests, took " + millis + " ms");
            assertEquals(before + 1, api.invocations(), "the stalled requests reached no function");
        } finally {
            stalled.forEach(RawHttp::close);
        }
    }

    /**
     * First failing input on the JDK HttpServer: "POST /echo/ada HTTP/1.1\r\nHost: 127.0.0.1\r\nOrig",
     * then nothing; the connection was still open 5 s later (it has no request timeout).
     */
    @Test
    void stalledRequestsAreClosedWithinTheReadTimeout() throws Exception {
        Map<String, String> stalls = new LinkedHashMap<>();
        stalls.put("half a head", "POST /echo/ada HTTP/1.1\r\nHost: 127.0.0.1\r\nOrig");
        stalls.put("half a body", "POST /echo/ada HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"a\":");
        stalls.put("a request line without its end", "POST /echo/ada HT");
        List<RawHttp> connections = new ArrayList<>();
        try {
            for (String stall : stalls.values()) {
                connections.add(RawHttp.connect(quick.port()).send(stall));
            }
            long before = quick.invocations();
            int i = 0;
            for (String name : stalls.keySet()) {
                Duration closedAfter = connections.get(i++).awaitClose(Duration.ofSeconds(5));
                assertNotNull(closedAfter, name + ": still open 5 s later, with a read timeout of 1 s");
                assertTrue(closedAfter.toMillis() < 3_000, name + ": closed after " + closedAfter.toMillis() + " ms");
            }
            assertEquals(before, quick.invocations());
        } finally {
            connections.forEach(RawHttp::close);
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedToo() throws Exception {
        try (RawHttp silent = RawHttp.connect(quick.port())) {
            Duration closedAfter = silent.awaitClose(Duration.ofSeconds(5));
            assertNotNull(closedAfter, "still open 5 s later, with a read timeout of 1 s");
        }
    }

    @Test
    void aSlowButSteadyClientWithinTheTimeoutIsServed() throws Exception {
        String raw = request("Origin: " + ORIGIN + "\r\nContent-Type: application/json\r\n", "{\"a\":1}");
        try (RawHttp http = RawHttp.connect(quick.port())) {
            int half = raw.length() / 2;
            http.send(raw.substring(0, half));
            Thread.sleep(400);
            http.send(raw.substring(half));
            assertEquals(201, http.read(Duration.ofSeconds(5)).status());
        }
    }

    // ---------------------------------------------------------------- what reaches a function

    /**
     * First failing input on the JDK HttpServer: "Origin: http://localhost:3000\0" (the NUL as a
     * raw byte) was answered 201 with Access-Control-Allow-Origin: http://localhost:3000 and the
     * function invoked: the server trims the value, NUL included, so it passed the origin check.
     */
    @Test
    void anOriginWithATrailingNulIsRefusedAndReachesNoFunction() throws Exception {
        long before = api.invocations();

        RawHttp.Answer answer = exchange(api, request("Origin: " + ORIGIN + "\0\r\nContent-Type: application/json\r\n", "{}"));

        assertEquals(400, answer.status(), answer.body());
        assertEquals("{\"message\":\"Bad Request\"}", answer.body());
        assertNull(answer.header("Access-Control-Allow-Origin"));
        assertEquals(before, api.invocations(), "the function was invoked");
    }

    /** Every control character but HTAB, anywhere in any header's value (RFC 9110 section 5.5). */
    @ParameterizedTest
    @ValueSource(strings = {"\0http://localhost:3000", "http://local\0host:3000", "http://localhost:3000\u0001",
            "http://localhost:3000\u001f", "http://localhost:3000\u007f", "http://localhost:3000\r", "http://loc\ralhost:3000",
            "http://localhost:3000\u000b", "http://localhost:3000\f"})
    void aHeaderValueWithAControlCharacterIsRefused(String origin) throws Exception {
        long before = api.invocations();
        RawHttp.Answer inOrigin = exchange(api, request("Origin: " + origin + "\r\nContent-Type: application/json\r\n", "{}"));
        RawHttp.Answer inAnother = exchange(api, request("Origin: " + ORIGIN + "\r\nX-Custom: a" + origin.replace("http://", "")
                + "\r\nContent-Type: application/json\r\n", "{}"));

        assertEquals(400, inOrigin.status(), inOrigin.body());
        assertEquals(400, inAnother.status(), inAnother.body());
        assertEquals(before, api.invocations());
    }

    @Test
    void tabsInsideAValueAndSpacesAroundItAreFine() throws Exception {
        RawHttp.Answer answer = exchange(api, request("Origin:   " + ORIGIN + " \t\r\nX-Custom: a\tb\r\n"
                + "Content-Type: application/json\r\n", "{}"));
        assertEquals(201, answer.status(), answer.body());
        assertEquals(ORIGIN, answer.header("Access-Control-Allow-Origin"));
        JsonNode echo = JSON.readTree(answer.body());
        assertEquals("a\tb", echo.path("headers").path("x-custom").asText());
    }

    /** Payload format 2.0: "Duplicate headers are combined with commas and included in the headers field." */
    @Test
    void repeatedHeadersReachTheFunctionJoinedWithCommas() throws Exception {
        RawHttp.Answer answer = exchange(api, request("Origin: " + ORIGIN + "\r\nX-Custom: a\r\nx-custom: b\r\n"
                + "Content-Type: application/json\r\n", "{}"));
        assertEquals(201, answer.status(), answer.body());
        assertEquals("a,b", JSON.readTree(answer.body()).path("headers").path("x-custom").asText());
    }

    /** HTTP API's quota: 10,240 bytes for the request line and the header values together. */
    @Test
    void headersOverApiGatewaysLimitAreRefused() throws Exception {
        String requestLine = "POST /echo/ada HTTP/1.1";
        String fixed = "127.0.0.1" + ORIGIN + "application/json" + "2"; // Host, Origin, Content-Type, Content-Length values
        int room = 10_240 - requestLine.length() - fixed.length();
        long before = api.invocations();

        RawHttp.Answer atLimit = exchange(api, request("Origin: " + ORIGIN + "\r\nX-Big: " + "x".repeat(room)
                + "\r\nContent-Type: application/json\r\n", "{}"));
        RawHttp.Answer over = exchange(api, request("Origin: " + ORIGIN + "\r\nX-Big: " + "x".repeat(room + 1)
                + "\r\nContent-Type: application/json\r\n", "{}"));
        RawHttp.Answer wayOver = exchange(api, request("Origin: " + ORIGIN + "\r\n"
                + "X-Many: 1234567890\r\n".repeat(2_000) + "Content-Type: application/json\r\n", "{}"));

        assertEquals(201, atLimit.status(), "exactly 10,240 bytes");
        assertEquals(431, over.status(), over.body());
        assertEquals(431, wayOver.status(), wayOver.body());
        assertEquals(before + 1, api.invocations());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "POST /echo/ada\r\nHost: h\r\n\r\n",                                  // no version
            "POST  /echo/ada HTTP/1.1\r\nHost: h\r\n\r\n",                        // two spaces
            "POST /echo/ada HTTP/1.1 x\r\nHost: h\r\n\r\n",                       // something after the version
            "POST echo/ada HTTP/1.1\r\nHost: h\r\n\r\n",                          // not a path
            "POST /echo/a\0da HTTP/1.1\r\nHost: h\r\n\r\n",                       // NUL in the target
            "POST /echo/a da HTTP/1.1\r\nHost: h\r\n\r\n",                        // space in the target
            "P(ST /echo/ada HTTP/1.1\r\nHost: h\r\n\r\n",                         // not a method token
            "POST /echo/ada http/1.1\r\nHost: h\r\n\r\n",                         // version in lower case
            "POST /echo/ada HTTP/1.1\nHost: h\n\n",                               // bare LF line ends
            "POST /echo/ada HTTP/1.1\r\n\r\n",                                    // HTTP/1.1 without Host
            "POST /echo/ada HTTP/1.1\r\nHost: h\r\nHost: h\r\n\r\n",              // two Hosts
            "POST /echo/ada HTTP/1.1\r\nHost: h\r\nOrigin : x\r\n\r\n",           // space before the colon
            "POST /echo/ada HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  folded\r\n\r\n",   // obsolete line folding
            "POST /echo/ada HTTP/1.1\r\nHost: h\r\nno colon\r\n\r\n",             // no colon
            "POST /echo/ada HTTP/1.1\r\nHost: h\r\n: empty name\r\n\r\n",         // empty name
            "POST /echo/ada HTTP/1.1\r\nHost: h\r\nX\0A: 1\r\n\r\n",              // NUL in a name
            "POST /echo/ada HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", // two lengths
            "POST /echo/ada HTTP/1.1\r\nHost: h\r\nContent-Length: 2x\r\n\r\n{}", // not a number
            "POST /echo/ada HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    })
    void malformedRequestsAreRefused(String raw) throws Exception {
        long before = api.invocations();
        RawHttp.Answer answer = exchange(api, raw);
        assertEquals(400, answer.status(), () -> "for " + raw.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0")
                + ": " + answer.body());
        assertEquals(before, api.invocations());
    }

    // ---------------------------------------------------------------- what well-behaved clients do still works

    @Test
    void keepAliveChunkedBodiesAndExpectContinueWork() throws Exception {
        try (RawHttp http = RawHttp.connect(api.port())) {
            RawHttp.Answer first = http.send(request("Origin: " + ORIGIN + "\r\nContent-Type: application/json\r\n", "{\"n\":1}"))
                    .read(Duration.ofSeconds(5));
            RawHttp.Answer chunked = http.send("POST /echo/ada HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"n\"\r\n3;ext=1\r\n:2}\r\n0\r\n\r\n").read(Duration.ofSeconds(5));
            http.send("POST /echo/ada HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 7\r\n\r\n");
            Thread.sleep(100);
            RawHttp.Answer continued = http.send("{\"n\":3}").read(Duration.ofSeconds(5));

            assertEquals(201, first.status());
            assertEquals("{\"n\":1}", JSON.readTree(first.body()).path("body").asText());
            assertEquals(201, chunked.status(), chunked.body());
            assertEquals("{\"n\":2}", JSON.readTree(chunked.body()).path("body").asText());
            assertEquals(201, continued.status());
            assertEquals("{\"n\":3}", JSON.readTree(continued.body()).path("body").asText());
        }
    }

    @Test
    void theTcpPeerIsTheSourceIp() throws Exception {
        try (RawHttp http = RawHttp.connect(api.port(), "127.0.0.42")) {
            RawHttp.Answer answer = http.send(request("Content-Type: application/json\r\nX-Forwarded-For: 10.9.9.9\r\n", "{}"))
                    .read(Duration.ofSeconds(5));
            JsonNode echo = JSON.readTree(answer.body());
            assertEquals("127.0.0.42", echo.path("sourceIp").asText());
        }
    }

    @Test
    void aBodyOverTenMegabytesIsRefusedUnread() throws Exception {
        try (RawHttp http = RawHttp.connect(api.port())) {
            RawHttp.Answer answer = http.send("POST /echo/ada HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (10 * 1024 * 1024 + 1) + "\r\n\r\n{").read(Duration.ofSeconds(5));
            assertEquals(413, answer.status());
            assertEquals("{\"message\":\"Request Entity Too Large\"}", answer.body());
        }
    }

}
