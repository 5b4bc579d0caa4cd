package com.flexwebchat.shared.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.testing.Burst;
import com.flexwebchat.shared.testing.LocalStore;
import com.flexwebchat.shared.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store's table operations against a real DynamoDB-compatible engine (dynalite). */
class WebChatStoreTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @RegisterExtension
    static final LocalStore local = new LocalStore();

    final MovableClock clock = new MovableClock(NOW);
    final WebChatStore store = local.store(clock);

    @Test
    void twentyConcurrentCountsUpToFiveGiveExactlyFive() {
        List<OptionalLong> counts = Burst.of(20, i -> store.countUpTo("limit#test", 5, NOW.plusSeconds(3600)));

        List<Long> counted = counts.stream().filter(OptionalLong::isPresent).map(OptionalLong::getAsLong).sorted().toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), counted, "each of 1..5 handed out once");
        assertEquals(15, counts.stream().filter(OptionalLong::isEmpty).count());
        assertEquals("5", item("limit#test").path("n").path("N").asText(), "the counter never passed the limit");
        assertEquals(String.valueOf(NOW.plusSeconds(3600).getEpochSecond()), item("limit#test").path("ttl").path("N").asText());
    }

    @Test
    void aCounterKeepsTheExpiryOfItsFirstCount() {
        store.countUpTo("limit#ttl", 5, NOW.plusSeconds(60));
        store.countUpTo("limit#ttl", 5, NOW.plusSeconds(120));

        assertEquals(String.valueOf(NOW.plusSeconds(60).getEpochSecond()), item("limit#ttl").path("ttl").path("N").asText());
        assertEquals(OptionalLong.of(3), store.countUpTo("limit#ttl", 5, NOW.plusSeconds(180)));
    }

    @Test
    void countersOfDifferentKeysAreIndependent() {
        LongStream.range(0, 3).forEach(i -> store.countUpTo("limit#a", 3, NOW.plusSeconds(60)));

        assertEquals(OptionalLong.empty(), store.countUpTo("limit#a", 3, NOW.plusSeconds(60)));
        assertEquals(OptionalLong.of(1), store.countUpTo("limit#b", 3, NOW.plusSeconds(60)));
    }

    @Test
    void exactlyOneOfTwelveConcurrentPutIfAbsentWins() {
        List<Boolean> won = Burst.of(12, i -> store.putIfAbsent("claim#one", WebChatStore.ONLY,
                Map.of("by", "caller-" + i), NOW.plusSeconds(10)));

        assertEquals(1, won.stream().filter(w -> w).count(), won.toString());
        String winner = "caller-" + won.indexOf(true);
        assertEquals(winner, store.get("claim#one", WebChatStore.ONLY).orElseThrow().get("by"), "the winner's write is the one kept");
    }

    @Test
    void anExpiredClaimCanBeTakenAgain() {
        assertTrue(store.putIfAbsent("claim#two", WebChatStore.ONLY, Map.of("by", "first"), NOW.plusSeconds(10)));
        assertFalse(store.putIfAbsent("claim#two", WebChatStore.ONLY, Map.of("by", "second"), NOW.plusSeconds(10)));

        clock.advance(Duration.ofSeconds(11));

        assertTrue(store.putIfAbsent("claim#two", WebChatStore.ONLY, Map.of("by", "third"), clock.instant().plusSeconds(10)));
        assertEquals("third", store.get("claim#two", WebChatStore.ONLY).orElseThrow().get("by"));
    }

    /** At the second its ttl names, an item is gone for every operation alike: get does not see it, so a claim must be free. */
    @Test
    void aClaimIsFreeFromTheSecondItExpires() {
        store.putIfAbsent("claim#edge", WebChatStore.ONLY, Map.of(), NOW.plusSeconds(10));

        clock.set(NOW.plusSeconds(10));

        assertEquals(Optional.empty(), store.get("claim#edge", WebChatStore.ONLY));
        assertTrue(store.putIfAbsent("claim#edge", WebChatStore.ONLY, Map.of(), NOW.plusSeconds(20)));
    }

    @Test
    void aLiveClaimIsNotTakenOneSecondBeforeItExpires() {
        store.putIfAbsent("claim#live", WebChatStore.ONLY, Map.of(), NOW.plusSeconds(10));

        clock.set(NOW.plusSeconds(9));

        assertTrue(store.get("claim#live", WebChatStore.ONLY).isPresent());
        assertFalse(store.putIfAbsent("claim#live", WebChatStore.ONLY, Map.of(), NOW.plusSeconds(20)));
    }

    @Test
    void getAndQueryIgnoreExpiredItems() {
        store.put("p", "a", Map.of("v", "short"), NOW.plusSeconds(5));
        store.put("p", "b", Map.of("v", "long"), NOW.plusSeconds(60));
        store.put("p", "c", Map.of("v", "forever"), null);

        assertEquals(List.of("a", "b", "c"), store.query("p").stream().map(i -> i.get("sk")).toList());

        clock.advance(Duration.ofSeconds(6));

        assertEquals(Optional.empty(), store.get("p", "a"));
        assertEquals("long", store.get("p", "b").orElseThrow().get("v"));
        assertEquals(List.of("b", "c"), store.query("p").stream().map(i -> i.get("sk")).toList());
        assertEquals(3, local.items().size(), "expired items stay until DynamoDB's TTL deletes them; reads skip them");
    }

    @Test
    void queryReadsOnlyItsPartitionInSortKeyOrder() {
        store.put("q", "2", Map.of(), null);
        store.put("q", "1", Map.of(), null);
        store.put("other", "0", Map.of(), null);

        assertEquals(List.of("1", "2"), store.query("q").stream().map(i -> i.get("sk")).collect(Collectors.toList()));
        assertEquals(List.of(), store.query("nothing"));
    }

    @Test
    void setAddsAttributesAndDeleteRemovesTheItem() {
        store.put("s", WebChatStore.ONLY, Map.of("a", "1"), NOW.plusSeconds(60));

        store.set("s", WebChatStore.ONLY, Map.of("b", "2", "c", "3"));

        Map<String, String> item = store.get("s", WebChatStore.ONLY).orElseThrow();
        assertEquals(List.of("1", "2", "3"), List.of(item.get("a"), item.get("b"), item.get("c")));
        assertEquals(String.valueOf(NOW.plusSeconds(60).getEpochSecond()), item.get("ttl"), "the expiry stays");

        store.delete("s", WebChatStore.ONLY);
        assertEquals(Optional.empty(), store.get("s", WebChatStore.ONLY));
        assertEquals(List.of(), local.items());
    }

    JsonNode item(String pk) {
        return local.items().stream().filter(i -> i.path("pk").path("S").asText().equals(pk)).findFirst().orElseThrow();
    }
}
