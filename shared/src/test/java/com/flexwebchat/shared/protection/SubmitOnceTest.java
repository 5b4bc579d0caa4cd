package com.flexwebchat.shared.protection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.store.WebChatStore;
import com.flexwebchat.shared.testing.Burst;
import com.flexwebchat.shared.testing.LocalStore;
import com.flexwebchat.shared.testing.LogCapture;
import com.flexwebchat.shared.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One chat per submit, on a real DynamoDB-compatible engine (dynalite). */
class SubmitOnceTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final Duration WINDOW = Duration.ofSeconds(10);
    static final SubmitOnce.Started CHAT = new SubmitOnce.Started("CH" + "a".repeat(32), "sealed-identity");

    @RegisterExtension
    static final LocalStore local = new LocalStore();

    final MovableClock clock = new MovableClock(NOW);
    final LogCapture logs = new LogCapture();

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    /** One function instance's: its own store client. */
    SubmitOnce instance() {
        return new SubmitOnce(local.store(clock), WINDOW, clock);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theFirstGoesAheadARepeatGetsItsChat() {
        SubmitOnce submits = instance();
        SubmitOnce.Claim.First first = assertInstanceOf(SubmitOnce.Claim.First.class, submits.claim("submit:abc"));
        submits.started(first, CHAT);

        assertEquals(new SubmitOnce.Claim.Repeat(CHAT), instance().claim("submit:abc"));
        assertTrue(logs.text().contains("Repeated submit answered with the chat it started"));
    }

    @Test
    void ofEightConcurrentClaimsOneGoesAheadAndTheOthersWaitForItsChat() {
        List<SubmitOnce.Claim> claims = Burst.of(8, i -> {
            SubmitOnce submits = instance();
            SubmitOnce.Claim claim = submits.claim("submit:burst");
            if (claim instanceof SubmitOnce.Claim.First first) {
                sleep(300); // at Twilio
                submits.started(first, CHAT);
            }
            return claim;
        });

        assertEquals(1, claims.stream().filter(c -> c instanceof SubmitOnce.Claim.First).count(), claims.toString());
        assertEquals(7, claims.stream().filter(c -> c.equals(new SubmitOnce.Claim.Repeat(CHAT))).count(), claims.toString());
    }

    @Test
    void differentSubmitsAreIndependent() {
        SubmitOnce submits = instance();
        submits.started((SubmitOnce.Claim.First) submits.claim("submit:one"), CHAT);

        assertInstanceOf(SubmitOnce.Claim.First.class, submits.claim("submit:two"));
    }

    @Test
    void aFailedFirstGivesItsClaimUpSoARetryGoesAhead() {
        SubmitOnce submits = instance();
        submits.failed((SubmitOnce.Claim.First) submits.claim("submit:failed"));

        assertInstanceOf(SubmitOnce.Claim.First.class, instance().claim("submit:failed"));
    }

    @Test
    void aRepeatWaitingOnAFirstThatFailsGoesAheadItself() throws Exception {
        SubmitOnce submits = instance();
        SubmitOnce.Claim.First first = (SubmitOnce.Claim.First) submits.claim("submit:handover");
        CompletableFuture<SubmitOnce.Claim> waiting = CompletableFuture.supplyAsync(() -> instance().claim("submit:handover"));
        sleep(250);
        assertTrue(!waiting.isDone(), "the repeat waits while the first is at Twilio");

        submits.failed(first);

        assertInstanceOf(SubmitOnce.Claim.First.class, waiting.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aRepeatDoesNotWaitPastItsDeadline() {
        instance().claim("submit:stuck"); // a first that never records its chat

        long started = System.nanoTime();
        ApiError error = assertThrows(ApiError.class,
                () -> Deadline.after(Duration.ofMillis(1_500)).run(() -> instance().claim("submit:stuck")));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(409, error.status());
        assertEquals("chat_starting", error.code());
        assertTrue(tookMillis < 1_000, "a second is kept for answering: took " + tookMillis + " ms");
    }

    @Test
    void afterTheWindowTheSameSubmitStartsANewChat() {
        SubmitOnce submits = instance();
        submits.started((SubmitOnce.Claim.First) submits.claim("submit:later"), CHAT);
        JsonNode item = local.items().get(0);
        assertEquals(String.valueOf(NOW.plus(WINDOW).getEpochSecond()), item.path("ttl").path("N").asText());

        clock.advance(WINDOW.minusSeconds(1));
        assertInstanceOf(SubmitOnce.Claim.Repeat.class, submits.claim("submit:later"));
        clock.advance(Duration.ofSeconds(1));
        assertInstanceOf(SubmitOnce.Claim.First.class, submits.claim("submit:later"));
    }

    // --- the store down: the submit goes ahead ------------------------------------------------------------------

    @Test
    void withTheStoreNotAnsweringTheSubmitGoesAheadAndThatIsLogged() {
        SubmitOnce submits = instance();

        local.whilePaused(() -> {
            long started = System.nanoTime();
            SubmitOnce.Claim.First first = assertInstanceOf(SubmitOnce.Claim.First.class, submits.claim("submit:paused"));
            assertNull(first.key(), "nothing to record the chat on");
            submits.started(first, CHAT);
            submits.failed(first);
            assertTrue((System.nanoTime() - started) / 1_000_000 < 1_000, "one store timeout, no more");
        });

        JsonNode warning = logs.lines().stream()
                .filter(l -> l.path("message").asText().startsWith("Submit not checked for repeats")).findFirst().orElseThrow();
        assertEquals("WARN", warning.path("level").asText());
        assertTrue(warning.path("failOpen").asBoolean());
    }

    @Test
    void withTheStoreGoneTheSubmitGoesAhead() {
        SubmitOnce submits = new SubmitOnce(LocalStore.refusing(clock), WINDOW, clock);

        assertNull(assertInstanceOf(SubmitOnce.Claim.First.class, submits.claim("submit:gone")).key());
        assertTrue(logs.text().contains("Submit not checked for repeats"), logs.text());
    }

    @Test
    void withoutAStoreEverySubmitGoesAhead() {
        SubmitOnce submits = new SubmitOnce(null, WINDOW, clock);
        assertInstanceOf(SubmitOnce.Claim.First.class, submits.claim("submit:x"));
        assertInstanceOf(SubmitOnce.Claim.First.class, submits.claim("submit:x"));
    }

    @Test
    void aRecordThatCannotBeWrittenIsLoggedAndTheChatStands() {
        WebChatStore store = local.store(clock);
        SubmitOnce submits = new SubmitOnce(store, WINDOW, clock);
        SubmitOnce.Claim.First first = (SubmitOnce.Claim.First) submits.claim("submit:unrecorded");

        local.whilePaused(() -> submits.started(first, CHAT));

        assertTrue(logs.text().contains("Started chat not recorded for repeated submits"), logs.text());
    }
}
