package com.flexwebchat.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.testing.SdkAgainstEmulator;
import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.rest.conversations.v1.Conversation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault kinds a test can inject ({@link Fault}): what a client sees on the wire, what Twilio's state holds
 * after (the operation is carried out for a cut, dropped or withheld answer), what the journal records, and which
 * request a rule hits (the n-th, by path or by any call).
 */
class FaultInjectionTest extends SdkAgainstEmulator {

    private static final String CONVERSATIONS = "/conversations/v1/Conversations";

    /** A client of its own per test: a fresh connection each time, so the JDK never retries on a stale pooled one. */
    private final List<HttpClient> clients = new ArrayList<>();

    @AfterEach
    void noExchangeBreaksTheContract() {
        assertEquals(List.of(), emulator.contractViolations());
    }

    @Test
    void aGarbledAnswerCarriesTheStatusAndHalfTheBodyAfterTheOperationWasCarriedOut() throws Exception {
        emulator.inject("POST", CONVERSATIONS, 0, 1, Fault.garbled());

        HttpResponse<String> response = post(CONVERSATIONS, "FriendlyName=cut", Duration.ofSeconds(5));

        assertEquals(201, response.statusCode());
        assertThrows(JsonProcessingException.class, () -> Json.parse(response.body()));
        RecordedRequest recorded = emulator.requests("POST", CONVERSATIONS).get(0);
        assertEquals("garbled", recorded.fault());
        assertEquals(201, recorded.status());
        assertEquals(recorded.responseBody().substring(0, recorded.responseBody().length() / 2), response.body());
        String sid = Json.parse(recorded.responseBody()).get("sid").asText();
        assertTrue(emulator.conversation(sid).isPresent(), "the conversation was created all the same");
    }

    @Test
    void theSdkReportsAGarbledResourceAsApiExceptionButAGarbledPageAsApiConnectionException() {
        emulator.inject("POST", CONVERSATIONS, 0, 1, Fault.garbled());
        assertThrows(ApiException.class, () -> Conversation.creator().setFriendlyName("one").create(client));

        // What the backend's gateway must map too: a list page it cannot parse is not an ApiException.
        emulator.inject("GET", CONVERSATIONS, 0, 1, Fault.garbled());
        assertThrows(ApiConnectionException.class, () -> Conversation.reader().firstPage(client));
        assertEquals(List.of("garbled", "garbled"),
                emulator.requests().stream().map(RecordedRequest::fault).toList());
    }

    @Test
    void aDroppedConnectionGivesNoAnswerButTheOperationWasCarriedOut() throws Exception {
        emulator.inject("POST", CONVERSATIONS, 0, 1, Fault.dropped());

        IOException failure = assertThrows(IOException.class, () -> post(CONVERSATIONS, "FriendlyName=dropped", Duration.ofSeconds(5)));

        assertFalse(failure instanceof HttpTimeoutException, "closed at once, not timed out: " + failure);
        RecordedRequest recorded = emulator.requests("POST", CONVERSATIONS).get(0);
        assertEquals("dropped", recorded.fault());
        assertTrue(emulator.conversation(sidOf(recorded)).isPresent());
    }

    @Test
    void noAnswerHoldsTheRequestUntilTheClientGivesUpAndAResetLetsItGo() throws Exception {
        emulator.inject("POST", CONVERSATIONS, 0, 1, Fault.noAnswer());

        long started = System.nanoTime();
        assertThrows(HttpTimeoutException.class, () -> post(CONVERSATIONS, "FriendlyName=held", Duration.ofMillis(300)));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(waited >= 300 && waited < 3_000, "waited " + waited + " ms");
        RecordedRequest recorded = emulator.requests("POST", CONVERSATIONS).get(0);
        assertEquals("no answer", recorded.fault());
        assertTrue(emulator.conversation(sidOf(recorded)).isPresent());
        emulator.reset();
    }

    @Test
    void heldRequestsDoNotStarveTheServerAndAResetLetsThemGo() throws Exception {
        // More held requests than the 16 threads the server once had: each has a thread of its own,
        // others are served meanwhile, and a reset lets them all go.
        emulator.inject("GET", CONVERSATIONS, 0, 20, Fault.noAnswer());
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            held.add(client().sendAsync(request("GET", CONVERSATIONS, null, Duration.ofSeconds(20)),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (emulator.requests("GET", CONVERSATIONS).size() < 20 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(20, emulator.requests("GET", CONVERSATIONS).size(), "every held request reached the server");
        assertEquals(201, post(CONVERSATIONS, "FriendlyName=meanwhile", Duration.ofSeconds(5)).statusCode(),
                "served while 20 are held");
        emulator.reset();

        long started = System.nanoTime();
        for (CompletableFuture<HttpResponse<String>> request : held) {
            try {
                request.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(e.getCause() instanceof IOException, e.getCause().toString());
            }
        }
        assertEquals(201, post(CONVERSATIONS, "FriendlyName=after", Duration.ofSeconds(5)).statusCode());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 10_000);
    }

    @Test
    void theNthCallIsCountedOverEveryRequestOrOverThoseMatching() throws Exception {
        emulator.injectOnCall(3, Fault.error(503, 20503));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(post(CONVERSATIONS, "FriendlyName=n" + i, Duration.ofSeconds(5)).statusCode());
        }
        assertEquals(List.of(201, 201, 503, 201), statuses);
        assertEquals("503", emulator.requests().get(2).fault());
        assertNull(emulator.requests().get(3).fault());

        // The second GET of a conversation, whatever else goes on in between.
        String sid = Conversation.creator().create(client).getSid();
        emulator.clearRequests();
        emulator.inject("GET", CONVERSATIONS + "/CH[0-9a-f]{32}", 1, 1, Fault.error(404, 20404));
        assertEquals(200, get(CONVERSATIONS + "/" + sid).statusCode());
        assertEquals(201, post(CONVERSATIONS, "FriendlyName=between", Duration.ofSeconds(5)).statusCode());
        assertEquals(404, get(CONVERSATIONS + "/" + sid).statusCode());
        assertEquals(200, get(CONVERSATIONS + "/" + sid).statusCode());
    }

    @Test
    void aSlowAnswerComesAfterItsDelayAndIsJournaledAsSlow() throws Exception {
        emulator.inject("GET", CONVERSATIONS, 0, 1, Fault.slow(Duration.ofMillis(400)));

        long started = System.nanoTime();
        assertEquals(200, get(CONVERSATIONS).statusCode());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) >= 400);
        assertEquals("slow 400ms", emulator.requests().get(0).fault());
    }

    @Test
    void anErrorAnswerNeedsAnErrorStatus() {
        assertThrows(IllegalArgumentException.class, () -> Fault.error(200, 0));
        assertThrows(IllegalArgumentException.class, () -> emulator.injectOnCall(0, Fault.garbled()));
    }

    private static String sidOf(RecordedRequest recorded) throws JsonProcessingException {
        return Json.parse(recorded.responseBody()).get("sid").asText();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client().send(request("GET", path, null, Duration.ofSeconds(5)), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String form, Duration timeout) throws IOException, InterruptedException {
        return client().send(request("POST", path, form, timeout), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String method, String path, String form, Duration timeout) {
        String credentials = account.accountSid() + ":" + account.authToken();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .timeout(timeout)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        if (form == null) {
            return builder.GET().build();
        }
        return builder.header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private HttpClient client() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        clients.add(client);
        return client;
    }
}
