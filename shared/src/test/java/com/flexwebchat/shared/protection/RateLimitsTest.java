package com.flexwebchat.shared.protection;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.config.Protections.Limit;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.testing.Burst;
import com.flexwebchat.shared.testing.LocalStore;
import com.flexwebchat.shared.testing.LogCapture;
import com.flexwebchat.shared.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fixed-window limits counted on a real DynamoDB-compatible engine (dynalite). */
class RateLimitsTest {

    static final Instant TEN_TWENTY = Instant.parse("2026-11-21T10:20:00Z");
    static final Limit THREE_AN_HOUR = new Limit(3, Duration.ofHours(1));

    @RegisterExtension
    static final LocalStore local = new LocalStore();

    final MovableClock clock = new MovableClock(TEN_TWENTY);
    final LogCapture logs = new LogCapture();

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    RateLimits instance() {
        return new RateLimits(local.store(clock), clock);
    }

    static ApiError limited(Runnable count) {
        ApiError error = assertThrows(ApiError.class, count::run);
        assertEquals(429, error.status());
        assertEquals("rate_limited", error.code());
        return error;
    }

    @Test
    void upToTheLimitThenA429UntilTheWindowEnds() {
        RateLimits limits = instance();
        for (int i = 0; i < 3; i++) {
            limits.count("chats-per-ip", THREE_AN_HOUR, "ip:abc");
        }

        ApiError error = limited(() -> limits.count("chats-per-ip", THREE_AN_HOUR, "ip:abc"));

        assertEquals(40 * 60, error.retryAfterSeconds(), "the clock hour ends at 11:00");
        JsonNode line = logs.lines().stream().filter(l -> l.path("message").asText().equals("Request over its limit"))
                .findFirst().orElseThrow();
        assertEquals("chats-per-ip", line.path("limit").asText());
        assertEquals("ip:abc", line.path("subject").asText());
        assertEquals(2400, line.path("retryAfterSeconds").asLong());
    }

    @Test
    void theNextWindowStartsAfresh() {
        RateLimits limits = instance();
        for (int i = 0; i < 3; i++) {
            limits.count("chats-per-ip", THREE_AN_HOUR, "ip:abc");
        }
        clock.set(Instant.parse("2026-11-21T10:59:59.500Z"));
        assertEquals(1, limited(() -> limits.count("chats-per-ip", THREE_AN_HOUR, "ip:abc")).retryAfterSeconds(),
                "half a second left is answered as one");

        clock.set(Instant.parse("2026-11-21T11:00:00Z"));

        assertDoesNotThrow(() -> limits.count("chats-per-ip", THREE_AN_HOUR, "ip:abc"));
    }

    @Test
    void subjectsAndLimitsAreCountedApart() {
        RateLimits limits = instance();
        Limit one = new Limit(1, Duration.ofMinutes(1));
        limits.count("chats-per-ip", one, "ip:a");

        assertDoesNotThrow(() -> limits.count("chats-per-ip", one, "ip:b"));
        assertDoesNotThrow(() -> limits.count("renewals-per-visitor", one, "ip:a"));
        limited(() -> limits.count("chats-per-ip", one, "ip:a"));
    }

    @Test
    void ofTwentyConcurrentRequestsOverALimitOfFiveExactlyFiveGetThrough() {
        Limit five = new Limit(5, Duration.ofHours(1));

        List<Optional<ApiError>> outcomes = Burst.of(20, i -> {
            try {
                instance().count("chats-per-ip", five, "ip:burst");
                return Optional.empty();
            } catch (ApiError e) {
                return Optional.of(e);
            }
        });

        assertEquals(5, outcomes.stream().filter(Optional::isEmpty).count());
        assertEquals(15, outcomes.stream().flatMap(Optional::stream).filter(e -> e.status() == 429).count());
    }

    @Test
    void anOffLimitCountsNothing() {
        RateLimits limits = instance();
        for (int i = 0; i < 10; i++) {
            limits.count("chats-per-ip", Limit.OFF, "ip:abc");
        }
        assertEquals(List.of(), local.items());
    }

    @Test
    void aCounterLastsOnlyAsLongAsItsWindow() {
        instance().count("chats-per-ip", THREE_AN_HOUR, "ip:abc");

        JsonNode counter = local.items().get(0);
        assertEquals("limit#chats-per-ip#ip:abc#" + Instant.parse("2026-11-21T10:00:00Z").toEpochMilli(),
                counter.path("pk").path("S").asText());
        assertEquals(String.valueOf(Instant.parse("2026-11-21T11:00:00Z").getEpochSecond()), counter.path("ttl").path("N").asText());
    }

    @Test
    void withTheStoreNotAnsweringRequestsGoThroughAndThatIsLogged() {
        RateLimits limits = instance();

        local.whilePaused(() -> {
            long started = System.nanoTime();
            assertDoesNotThrow(() -> limits.count("chats-per-ip", new Limit(1, Duration.ofHours(1)), "ip:abc"));
            assertTrue((System.nanoTime() - started) / 1_000_000 < 1_000);
        });

        JsonNode warning = logs.lines().stream().filter(l -> l.path("message").asText().startsWith("Limit not applied"))
                .findFirst().orElseThrow(() -> new AssertionError(logs.text()));
        assertEquals("WARN", warning.path("level").asText());
        assertEquals("chats-per-ip", warning.path("limit").asText());
        assertTrue(warning.path("failOpen").asBoolean());
    }

    @Test
    void withTheStoreGoneRequestsGoThrough() {
        RateLimits limits = new RateLimits(LocalStore.refusing(clock), clock);
        for (int i = 0; i < 3; i++) {
            assertDoesNotThrow(() -> limits.count("chats-per-ip", new Limit(1, Duration.ofHours(1)), "ip:abc"));
        }
        assertTrue(logs.text().contains("Limit not applied"), logs.text());
    }

    @Test
    void withoutAStoreNothingIsCounted() {
        RateLimits limits = new RateLimits(null, clock);
        for (int i = 0; i < 3; i++) {
            assertDoesNotThrow(() -> limits.count("chats-per-ip", new Limit(1, Duration.ofHours(1)), "ip:abc"));
        }
    }

    /** Counts that guard sending email fail closed: a store that does not answer, or none, refuses. */
    @Test
    void countOrRefuseCountsAsCountDoesAndRefusesWhenTheStoreIsDownOrMissing() {
        RateLimits limits = instance();
        for (int i = 0; i < 3; i++) {
            assertTrue(limits.countOrRefuse("transcripts-per-address", THREE_AN_HOUR, "email:abc") != null);
        }
        limited(() -> limits.countOrRefuse("transcripts-per-address", THREE_AN_HOUR, "email:abc"));

        ApiError down = assertThrows(ApiError.class, () -> new RateLimits(LocalStore.refusing(clock), clock)
                .countOrRefuse("transcripts-per-address", THREE_AN_HOUR, "email:abc"));
        assertEquals(503, down.status());
        assertEquals("store_unavailable", down.code());
        assertTrue(logs.text().contains("\"failOpen\":false"), logs.text());
        assertEquals(503, assertThrows(ApiError.class, () -> new RateLimits(null, clock)
                .countOrRefuse("transcripts-per-address", THREE_AN_HOUR, "email:abc")).status());
        assertEquals(null, new RateLimits(null, clock).countOrRefuse("off", Limit.OFF, "email:abc"), "a limit that is off needs no store");
    }
}
