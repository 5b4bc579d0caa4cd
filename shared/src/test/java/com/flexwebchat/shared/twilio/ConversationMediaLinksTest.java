package com.flexwebchat.shared.twilio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.LogCapture;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link ConversationMedia} does with the link MCS answers, which no faithful emulator produces: a link off
 * Twilio's media hosts is never followed (only Twilio's own media is fetched), and a body that runs past the limit,
 * whatever size was declared, is cut off there. A stand-in for Twilio on 127.0.0.1, as TWILIO_API_BASE_URL.
 */
class ConversationMediaLinksTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String SERVICE = EmulatorAccount.DEFAULT_CONVERSATIONS_SERVICE_SID;
    static final String SID = "MEabababababababababababababababab";
    static final long MB = 1 << 20;

    private FakeHost twilio;
    private FakeHost elsewhere;
    private ConversationMedia media;
    private LogCapture logs;

    @BeforeEach
    void start() {
        logs = new LogCapture();
        twilio = new FakeHost();
        elsewhere = new FakeHost();
        Map<String, String> env = new HashMap<>();
        env.put("ACCOUNT_SID", ACCOUNT.accountSid());
        env.put("AUTH_TOKEN", ACCOUNT.authToken());
        env.put("API_KEY", ACCOUNT.apiKey());
        env.put("API_SECRET", ACCOUNT.apiSecret());
        env.put("ADDRESS_SID", ACCOUNT.addressSid());
        env.put("CONVERSATIONS_SERVICE_SID", SERVICE);
        env.put("ALLOWED_ORIGINS", EmulatedTwilio.ORIGIN);
        env.put("TWILIO_API_BASE_URL", twilio.base());
        WebChatRuntime runtime = EmulatedTwilio.runtime(env, Clock.systemUTC());
        media = runtime.media();
    }

    @AfterEach
    void stop() {
        logs.close();
        twilio.close();
        elsewhere.close();
    }

    /** MCS's answer: the file of {@code size} bytes (null: undeclared) is at {@code link}. */
    private void describe(String link, Long size) {
        twilio.answer("/mcs.us1/v1/Services/" + SERVICE + "/Media/" + SID, json("{\"sid\":\"" + SID
                + "\",\"content_type\":\"application/pdf\",\"filename\":\"x.pdf\",\"size\":" + size
                + ",\"links\":{\"content_direct_temporary\":\"" + link.replace("{elsewhere}", elsewhere.base())
                .replace("{base}", twilio.base()) + "\"}}"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{elsewhere}/media.us1/" + SID,
            "https://evil.example.com/" + SID,
            "https://media.us1.twilio.com.evil.example.com/" + SID,
            "https://media.us1.twilio.com@evil.example.com/" + SID,
            "https://user:secret@media.us1.twilio.com/" + SID,
            "http://media.us1.twilio.com/" + SID,
            "https://media.us1.twilio.com:8443/" + SID,
            "https://api.twilio.com/2010-04-01/Accounts",
            "https://evilmedia.us1.twilio.com/" + SID,
            "ftp://media.us1.twilio.com/" + SID,
            "https://media.us1.twilio.com?Expires=1",
            "https://media.us1.twilio.com/",
            "//media.us1.twilio.com/" + SID,
            "/media.us1/" + SID,
            "not a link at all"})
    void aLinkOffTwiliosMediaHostsIsNeverFollowed(String link) {
        describe(link, 3L);
        elsewhere.answer("/", file(new byte[] {1, 2, 3}));
        twilio.answer("/media.us1/" + SID, file(new byte[] {1, 2, 3}));

        TwilioFailure refused = assertThrows(TwilioFailure.class, () -> media.fetch(SERVICE, SID, MB));

        assertEquals(TwilioFailure.Kind.UNREADABLE_ANSWER, refused.kind());
        assertEquals(List.of("/mcs.us1/v1/Services/" + SERVICE + "/Media/" + SID), twilio.paths(), "only the lookup");
        assertEquals(List.of(), elsewhere.paths());
        assertTrue(logs.text().contains("Twilio's media link is not on Twilio's media host; not fetched"), logs.text());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://media.us1.twilio.com/" + SID + "?Expires=1&Signature=s",
            "https://MEDIA.us1.twilio.com:443/" + SID, "https://mcs.us1.twilio.com/v1/Services/" + SERVICE + "/Media/" + SID
            + "/Content", "{base}/media.us1/" + SID + "?Expires=1"})
    void twiliosMediaHostsAndTheConfiguredBaseAreFollowed(String link) {
        describe(link, 3L);
        twilio.answer("/media.us1/" + SID, file(new byte[] {1, 2, 3}));
        twilio.answer("/mcs.us1/v1/Services/" + SERVICE + "/Media/" + SID + "/Content", file(new byte[] {1, 2, 3}));

        assertArrayEquals(new byte[] {1, 2, 3}, media.fetch(SERVICE, SID, MB).orElseThrow().bytes());
        assertEquals(2, twilio.paths().size());
        assertNull(twilio.authorizations().get(1), "no credentials to the file's link");
        assertTrue(twilio.authorizations().get(0).startsWith("Basic "));
    }

    /** A body that runs past the limit though MCS declared it small: cut off at the limit, the connection closed. */
    @Test
    void aBodyRunningPastTheLimitIsCutOffThere() throws Exception {
        describe("https://media.us1.twilio.com/" + SID, 1_000L);
        long huge = 256 * MB;
        CompletableFuture<Long> written = new CompletableFuture<>();
        twilio.answer("/media.us1/" + SID, exchange -> stream(exchange, huge, written));

        long started = System.nanoTime();
        MediaContent file = media.fetch(SERVICE, SID, MB).orElseThrow();

        assertTrue(file.tooLarge());
        assertEquals(1_000, file.size(), "the size MCS declared");
        long sent = written.get(10, TimeUnit.SECONDS);
        assertTrue(sent < huge, "the server could write only " + sent + " of " + huge + " bytes: the client stopped reading");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 5_000);
    }

    @Test
    void aFileWithoutADeclaredSizeIsCutOffAtTheLimitToo() throws Exception {
        describe("https://media.us1.twilio.com/" + SID, null);
        CompletableFuture<Long> written = new CompletableFuture<>();
        twilio.answer("/media.us1/" + SID, exchange -> stream(exchange, 64 * MB, written));

        MediaContent file = media.fetch(SERVICE, SID, MB).orElseThrow();

        assertTrue(file.tooLarge());
        assertTrue(file.size() > MB, "at least what was read: " + file.size());
        written.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBodyOtherThanTheDeclaredSizeIsUnreadable() {
        describe("https://media.us1.twilio.com/" + SID, 4L);
        twilio.answer("/media.us1/" + SID, file(new byte[] {1, 2, 3}));
        assertEquals(TwilioFailure.Kind.UNREADABLE_ANSWER,
                assertThrows(TwilioFailure.class, () -> media.fetch(SERVICE, SID, MB)).kind());
    }

    @Test
    void aRedirectIsNotFollowed() {
        describe("https://media.us1.twilio.com/" + SID, 3L);
        elsewhere.answer("/", file(new byte[] {1, 2, 3}));
        twilio.answer("/media.us1/" + SID, exchange -> {
            exchange.getResponseHeaders().set("Location", elsewhere.base() + "/file");
            exchange.sendResponseHeaders(302, -1);
        });
        TwilioFailure failure = assertThrows(TwilioFailure.class, () -> media.fetch(SERVICE, SID, MB));
        assertEquals(302, failure.twilioStatus());
        assertEquals(List.of(), elsewhere.paths());
    }

    @Test
    void mcsAnswersOfTheWrongShapeAreUnreadable() {
        for (String answer : List.of("{}", "[]", "{\"sid\":\"" + SID + "\"}", "{\"sid\":\"ME" + "0".repeat(32)
                + "\",\"links\":{\"content_direct_temporary\":\"https://media.us1.twilio.com/x\"}}", "<html/>")) {
            twilio.answer("/mcs.us1/v1/Services/" + SERVICE + "/Media/" + SID, json(answer));
            assertEquals(TwilioFailure.Kind.UNREADABLE_ANSWER,
                    assertThrows(TwilioFailure.class, () -> media.fetch(SERVICE, SID, MB), answer).kind(), answer);
        }
    }

    /** The subscriber asks for one chunk at a time, and for none after the one that crosses the limit. */
    @Test
    void theCappedBodyStopsAskingAtTheLimit() throws Exception {
        ConversationMedia.Capped capped = new ConversationMedia.Capped(10, null);
        List<String> asked = new ArrayList<>();
        capped.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                asked.add("request " + n);
            }

            @Override
            public void cancel() {
                asked.add("cancel");
            }
        });
        capped.onNext(List.of(ByteBuffer.wrap(new byte[6])));
        capped.onNext(List.of(ByteBuffer.wrap(new byte[6])));
        capped.onNext(List.of(ByteBuffer.wrap(new byte[6])));

        assertEquals(List.of("request 1", "request 1", "cancel"), asked);
        ConversationMedia.Capped.Body body = capped.getBody().toCompletableFuture().get();
        assertTrue(body.overLimit());
        assertEquals(12, body.read());

        ConversationMedia.Capped whole = new ConversationMedia.Capped(10, 10L);
        whole.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        whole.onNext(List.of(ByteBuffer.wrap(new byte[10])));
        whole.onComplete();
        assertFalse(whole.getBody().toCompletableFuture().get().overLimit());
        assertEquals(10, whole.getBody().toCompletableFuture().get().bytes().length);
    }

    // --- the stand-in host ---------------------------------------------------------------------------------

    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static Handler json(String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    private static Handler file(byte[] content) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/pdf");
            exchange.sendResponseHeaders(200, content.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(content);
            }
        };
    }

    /** Streams {@code total} bytes, chunked, and completes {@code written} with what it managed to write. */
    private static void stream(HttpExchange exchange, long total, CompletableFuture<Long> written) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[64 * 1024];
        long sent = 0;
        try (OutputStream out = exchange.getResponseBody()) {
            while (sent < total) {
                out.write(chunk);
                sent += chunk.length;
            }
        } catch (IOException clientClosed) {
            // The client stopped reading and closed the connection.
        } finally {
            written.complete(sent);
        }
    }

    /** A local HTTP host that records each request's path and credentials and answers as a test says. */
    static final class FakeHost implements AutoCloseable {

        private final HttpServer server;
        private final List<String[]> requests = new CopyOnWriteArrayList<>();
        private final Map<String, Handler> answers = new java.util.concurrent.ConcurrentHashMap<>();

        FakeHost() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r, "fake-twilio-host");
                thread.setDaemon(true);
                return thread;
            }));
            server.createContext("/", exchange -> {
                try (exchange) {
                    requests.add(new String[] {exchange.getRequestURI().getPath(),
                            exchange.getRequestHeaders().getFirst("Authorization")});
                    Handler handler = answers.get(exchange.getRequestURI().getPath());
                    if (handler == null) {
                        handler = answers.get("/");
                    }
                    if (handler == null) {
                        exchange.sendResponseHeaders(404, -1);
                    } else {
                        handler.handle(exchange);
                    }
                }
            });
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void answer(String path, Handler handler) {
            answers.put(path, handler);
        }

        List<String> paths() {
            return requests.stream().map(r -> r[0]).toList();
        }

        List<String> authorizations() {
            return requests.stream().map(r -> r[1]).toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
