package com.flexwebchat.shared.protection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.testing.Burst;
import com.flexwebchat.shared.testing.LocalStore;
import com.flexwebchat.shared.testing.LogCapture;
import com.flexwebchat.shared.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Exactly-once effects (a webhook event's, a chat's ending) on a real DynamoDB-compatible engine (dynalite). */
class ExactlyOnceTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @RegisterExtension
    static final LocalStore local = new LocalStore();

    final MovableClock clock = new MovableClock(NOW);
    final LogCapture logs = new LogCapture();
    final AtomicInteger effects = new AtomicInteger();

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    ExactlyOnce instance() {
        return new ExactlyOnce(local.store(clock), clock);
    }

    /** The effect, counted. */
    final Supplier<String> effect = () -> {
        effects.incrementAndGet();
        return "done";
    };

    /** The same, slow enough that every concurrent delivery arrives while it runs. */
    final Supplier<String> slowEffect = () -> {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return effect.get();
    };

    @Test
    void ofEightConcurrentDeliveriesOfOneEventOneTakesEffect() {
        List<String> answers = Burst.of(8, i -> instance().once("9f3c2b1a-token", slowEffect, () -> "already"));

        assertEquals(1, effects.get());
        assertEquals(1, Collections.frequency(answers, "done"), answers.toString());
        assertEquals(7, Collections.frequency(answers, "already"), answers.toString());
        assertTrue(logs.text().contains("\"outcome\":\"duplicate_delivery\""), logs.text());
    }

    @Test
    void differentEventsEachTakeEffect() {
        ExactlyOnce effectsOnce = instance();
        effectsOnce.once("EV1", effect, () -> "already");
        effectsOnce.once("EV2", effect, () -> "already");

        assertEquals(2, effects.get());
    }

    /** Not only webhook events: /endChat ends each chat once, keyed by the chat. */
    @Test
    void aChatsEndingTakesEffectOnceAndAnotherChatsIsItsOwn() {
        String ending = "ending#CH" + "0123456789abcdef".repeat(2);

        List<String> answers = Burst.of(4, i -> instance().once(ending, slowEffect, () -> "already"));

        assertEquals(1, effects.get());
        assertEquals(3, Collections.frequency(answers, "already"), answers.toString());
        assertEquals(List.of("event#" + ending), local.items().stream().map(i -> i.path("pk").path("S").asText()).toList());
        assertEquals("done", instance().once("ending#CH" + "fedcba9876543210".repeat(2), effect, () -> "already"));
        assertEquals(2, effects.get());
    }

    @Test
    void aFailedEffectGivesItsRecordUpSoTwiliosRetryTakesEffect() {
        ExactlyOnce effectsOnce = instance();
        IllegalStateException failure = new IllegalStateException("Twilio answered 500");

        assertEquals(failure, assertThrows(IllegalStateException.class, () -> effectsOnce.once("EV-retry", () -> {
            throw failure;
        }, () -> "already")));

        assertEquals("done", instance().once("EV-retry", effect, () -> "already"));
        assertEquals(1, effects.get());
    }

    /** Not only exceptions: an effect that dies with an Error (out of memory, a stack overflow) gives its record up too. */
    @Test
    void anEffectThatDiesWithAnErrorGivesItsRecordUp() {
        ExactlyOnce effectsOnce = instance();

        assertThrows(StackOverflowError.class, () -> effectsOnce.once("EV-error", () -> {
            throw new StackOverflowError();
        }, () -> "already"));

        assertEquals("done", instance().once("EV-error", effect, () -> "already"), "the retry takes effect");
        assertEquals(1, effects.get());
    }

    /**
     * An effect that waits out all the time it is given (a Twilio call with no answer, cut off at
     * the deadline) must still leave time to give its claim up: else the claim stays for its
     * lease and the caller's retry is answered "done" with nothing done (the fault campaign's
     * /endChat and task.wrapup cases with no answer failed so).
     */
    @Test
    void anEffectThatWaitsOutItsTimeStillGivesItsClaimUp() {
        ExactlyOnce effectsOnce = instance();
        Deadline invocation = Deadline.after(Duration.ofMillis(700));

        assertThrows(IllegalStateException.class, () -> invocation.run(() -> effectsOnce.once("EV-slow", () -> {
            Duration given = Deadline.current().remaining();
            try {
                Thread.sleep(Math.max(0, given.toMillis()));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            throw new IllegalStateException("Twilio did not answer within " + given.toMillis() + " ms");
        }, () -> "already")));

        assertEquals("done", instance().once("EV-slow", effect, () -> "already"), "the retry takes effect");
    }

    /**
     * A holder that never finishes (Lambda stopped it at its timeout: no catch, no finally runs)
     * holds the key only for its lease, longer than any function may run; then a retry takes effect.
     */
    @Test
    void aHolderThatNeverFinishedHoldsTheKeyOnlyForItsLease() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread holder = new Thread(() -> instance().once("EV-stopped", () -> {
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "late";
        }, () -> "already"));
        holder.start();
        try {
            for (int i = 0; i < 100 && local.items().isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertEquals(1, local.items().size(), "the holder claimed the key");
            assertEquals("already", instance().once("EV-stopped", effect, () -> "already"), "while it may still be running");

            clock.advance(ExactlyOnce.LEASE);

            assertEquals("done", instance().once("EV-stopped", effect, () -> "already"), "after its lease");
            assertEquals(1, effects.get());
            assertTrue(ExactlyOnce.LEASE.compareTo(Duration.ofSeconds(15)) > 0, "longer than any function's timeout (template.yaml: 15 s at most)");
        } finally {
            stopped.countDown();
            holder.join(10_000);
        }
    }

    @Test
    void theRecordIsKeptForADay() {
        instance().once("EV-day", effect, () -> "already");
        JsonNode record = local.items().get(0);
        assertEquals("event#EV-day", record.path("pk").path("S").asText());
        assertEquals(String.valueOf(NOW.plus(Duration.ofDays(1)).getEpochSecond()), record.path("ttl").path("N").asText());

        clock.advance(Duration.ofHours(23));
        assertEquals("already", instance().once("EV-day", effect, () -> "already"));
        clock.advance(Duration.ofHours(1));
        assertEquals("done", instance().once("EV-day", effect, () -> "already"), "then the webhook's own checks are all there is");
        assertEquals(2, effects.get());
    }

    @Test
    void anEventWithoutAUsableKeyJustTakesEffect() {
        ExactlyOnce effectsOnce = instance();
        for (String key : new String[] {null, "", "  ", "x".repeat(201)}) {
            effectsOnce.once(key, effect, () -> "already");
            effectsOnce.once(key, effect, () -> "already");
        }

        assertEquals(8, effects.get());
        assertEquals(List.of(), local.items());
    }

    @Test
    void withTheStoreNotAnsweringTheEffectTakesPlaceAndThatIsLogged() {
        ExactlyOnce effectsOnce = instance();

        local.whilePaused(() -> assertEquals("done", effectsOnce.once("EV-paused", effect, () -> "already")));

        assertEquals(1, effects.get());
        JsonNode warning = logs.lines().stream().filter(l -> l.path("message").asText().startsWith("Event not recorded"))
                .findFirst().orElseThrow(() -> new AssertionError(logs.text()));
        assertEquals("WARN", warning.path("level").asText());
        assertTrue(warning.path("failOpen").asBoolean());
    }

    @Test
    void withTheStoreGoneTheEffectTakesPlace() {
        assertEquals("done", new ExactlyOnce(LocalStore.refusing(clock), clock).once("EV-gone", effect, () -> "already"));

        assertEquals(1, effects.get());
        assertTrue(logs.text().contains("Event not recorded"), logs.text());
    }

    @Test
    void withoutAStoreEveryDeliveryTakesEffect() {
        ExactlyOnce effectsOnce = new ExactlyOnce(null, clock);
        effectsOnce.once("EV-x", effect, () -> "already");
        effectsOnce.once("EV-x", effect, () -> "already");

        assertEquals(2, effects.get());
    }
}
