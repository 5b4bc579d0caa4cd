package com.flexwebchat.shared.protection;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.store.KeyedHash;
import com.flexwebchat.shared.store.WebChatStore;
import com.flexwebchat.shared.testing.LocalStore;
import com.flexwebchat.shared.testing.LogCapture;
import com.flexwebchat.shared.testing.MovableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The block list on a real DynamoDB-compatible engine (dynalite), one store client per instance as in Lambda. */
class BlockListTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final KeyedHash HASH = new KeyedHash("block-list-test-hash-key-0123456".getBytes(StandardCharsets.UTF_8));
    static final Duration REFRESH = Duration.ofSeconds(5);

    @RegisterExtension
    static final LocalStore local = new LocalStore();

    final MovableClock clock = new MovableClock(NOW);
    final LogCapture logs = new LogCapture();

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    /** One function instance's block list: its own store client and its own copy. */
    BlockList instance() {
        return new BlockList(local.store(clock), HASH, REFRESH, clock);
    }

    static void assertBlocked(BlockList list, String ip, String email, String identity) {
        ApiError refused = assertThrows(ApiError.class, () -> list.check(ip, email, identity));
        assertEquals(403, refused.status());
        assertEquals("blocked", refused.code());
    }

    static void assertAllowed(BlockList list, String ip, String email, String identity) {
        assertDoesNotThrow(() -> list.check(ip, email, identity));
    }

    // --- what a block matches ----------------------------------------------------------------------------------

    @Test
    void anIpv4RangeBlocksEveryAddressInIt() {
        BlockList list = instance();
        BlockList.Block block = list.add(BlockList.Kind.IP, "203.0.113.0/24", "botnet", null);

        assertEquals(BlockList.Kind.RANGE, block.kind());
        assertBlocked(list, "203.0.113.0", null, null);
        assertBlocked(list, "203.0.113.7", null, null);
        assertBlocked(list, "203.0.113.255", null, null);
        assertBlocked(list, "::ffff:203.0.113.9", null, null);
        assertAllowed(list, "203.0.114.1", null, null);
        assertAllowed(list, "203.0.112.255", null, null);
        assertAllowed(list, "2001:db8::1", null, null);
        assertAllowed(list, null, "ada@example.com", "visitor-1");
    }

    @Test
    void anIpv6RangeBlocksEveryAddressInIt() {
        BlockList list = instance();
        list.add(BlockList.Kind.RANGE, "2001:db8:abcd::/48", "hosting provider", null);

        assertBlocked(list, "2001:db8:abcd::1", null, null);
        assertBlocked(list, "2001:DB8:ABCD:12:0:0:0:9", null, null);
        assertBlocked(list, "2001:db8:abcd:ffff:ffff:ffff:ffff:ffff", null, null);
        assertAllowed(list, "2001:db8:abce::1", null, null);
        assertAllowed(list, "203.0.113.7", null, null);
    }

    @Test
    void aRangeIsKeptAsItsNetwork() {
        BlockList.Block block = instance().add(BlockList.Kind.IP, "203.0.113.77/24", "botnet", null);

        assertEquals("203.0.113.0/24", block.value());
        assertEquals("range#203.0.113.0/24", local.items().get(0).path("sk").path("S").asText());
    }

    @Test
    void aSlash32OrSlash128IsOneAddressKeptHashed() {
        BlockList list = instance();
        BlockList.Block v4 = list.add(BlockList.Kind.IP, "203.0.113.7/32", "abuse", null);
        BlockList.Block v6 = list.add(BlockList.Kind.IP, "2001:db8::7/128", "abuse", null);

        assertEquals(BlockList.Kind.IP, v4.kind());
        assertEquals(HASH.of(KeyedHash.Kind.IP, "203.0.113.7"), v4.value());
        assertEquals(HASH.of(KeyedHash.Kind.IP, "2001:db8::7"), v6.value());
        assertBlocked(list, "203.0.113.7", null, null);
        assertBlocked(list, "2001:0db8:0:0:0:0:0:7", null, null);
        assertAllowed(list, "203.0.113.8", null, null);
        assertAllowed(list, "2001:db8::8", null, null);
        assertFalse(local.items().toString().contains("203.0.113"), local.items().toString());
        assertFalse(local.items().toString().contains("2001:db8"), local.items().toString());
    }

    /** Given as a range, an address is still an address: kept hashed, and it blocks (it used to be kept as a range that never matched). */
    @Test
    void anAddressGivenAsARangeBlocksThatAddress() {
        BlockList list = instance();
        BlockList.Block slash32 = list.add(BlockList.Kind.RANGE, "198.51.100.7/32", "abuse", null);
        BlockList.Block bare = list.add(BlockList.Kind.RANGE, "198.51.100.8", "abuse", null);

        assertEquals(BlockList.Kind.IP, slash32.kind());
        assertEquals(BlockList.Kind.IP, bare.kind());
        assertBlocked(list, "198.51.100.7", null, null);
        assertBlocked(list, "198.51.100.8", null, null);
        assertAllowed(list, "198.51.100.9", null, null);
        assertTrue(list.remove(BlockList.Kind.IP, "198.51.100.7"));
        assertAllowed(list, "198.51.100.7", null, null);
    }

    @Test
    void whatIsNotAnAddressOrRangeIsRefusedNotKept() {
        BlockList list = instance();
        for (String bad : new String[] {"not-an-address", "203.0.113", "example.com", "203.0.113.0/33", "2001:db8::/129",
                "203.0.113.0/x", "nonsense/24"}) {
            assertThrows(IllegalArgumentException.class, () -> list.add(BlockList.Kind.IP, bad, "typo", null), bad);
        }
        assertEquals(List.of(), local.items());
    }

    @Test
    void anEmailIsBlockedWhateverItsCase() {
        BlockList list = instance();
        list.add(BlockList.Kind.EMAIL, "Spammer@Example.com", "spam", null);

        assertBlocked(list, "198.51.100.1", "spammer@example.com", null);
        assertBlocked(list, null, " SPAMMER@EXAMPLE.COM", null);
        assertAllowed(list, "198.51.100.1", "ada@example.com", null);
        assertAllowed(list, "198.51.100.1", "", null);
    }

    @Test
    void anIdentityIsBlocked() {
        BlockList list = instance();
        list.add(BlockList.Kind.IDENTITY, "visitor-7f3a", "harassed an agent", null);

        assertBlocked(list, null, null, "visitor-7f3a");
        assertAllowed(list, null, null, "visitor-7f3b");
    }

    @Test
    void aBlockEndsWhenItExpires() {
        BlockList list = instance();
        BlockList.Block block = list.add(BlockList.Kind.IP, "198.51.100.7", "cool down", Duration.ofHours(1));

        assertEquals(NOW.plus(Duration.ofHours(1)), block.expiresAt());
        assertEquals(String.valueOf(NOW.plus(Duration.ofHours(1)).getEpochSecond()),
                local.items().get(0).path("ttl").path("N").asText(), "DynamoDB's TTL deletes it in time");
        clock.advance(Duration.ofMinutes(59));
        assertBlocked(list, "198.51.100.7", null, null);

        clock.advance(Duration.ofMinutes(1));

        assertAllowed(list, "198.51.100.7", null, null);
        assertEquals(List.of(), list.list());
    }

    @Test
    void removeLiftsABlock() {
        BlockList list = instance();
        list.add(BlockList.Kind.EMAIL, "ada@example.com", "mistake", null);

        assertTrue(list.remove(BlockList.Kind.EMAIL, "ADA@example.com"));
        assertAllowed(list, null, "ada@example.com", null);
        assertFalse(list.remove(BlockList.Kind.EMAIL, "ada@example.com"), "nothing left to lift");
    }

    @Test
    void listGivesEveryBlockInForceAsKept() {
        BlockList list = instance();
        list.add(BlockList.Kind.IP, "203.0.113.0/24", "botnet", null);
        list.add(BlockList.Kind.IDENTITY, "visitor-7f3a", "abuse", Duration.ofDays(1));

        List<BlockList.Block> blocks = list.list();

        assertEquals(List.of(
                new BlockList.Block(BlockList.Kind.IDENTITY, HASH.of(KeyedHash.Kind.IDENTITY, "visitor-7f3a"), "abuse", NOW,
                        NOW.plus(Duration.ofDays(1))),
                new BlockList.Block(BlockList.Kind.RANGE, "203.0.113.0/24", "botnet", NOW, null)), blocks);
    }

    /**
     * Items someone wrote by hand (the AWS console, a script) that are not blocks as this class writes them must not
     * stop every request: they are skipped and said so, and the blocks that can be read still apply.
     */
    @Test
    void anItemThatIsNotABlockIsSkippedAndTheOthersStillApply() {
        WebChatStore store = local.store(clock);
        BlockList list = new BlockList(store, HASH, REFRESH, clock);
        list.add(BlockList.Kind.IP, "198.51.100.7", "abuse", null);
        store.put("blocks", "ip", java.util.Map.of("reason", "no value", "createdAt", NOW.toString()), null);
        store.put("blocks", "range#203.0.113.0/abc", java.util.Map.of("reason", "bad prefix", "createdAt", NOW.toString()), null);
        store.put("blocks", "range#not-a-network/24", java.util.Map.of("reason", "bad network", "createdAt", NOW.toString()), null);
        store.put("blocks", "email#" + HASH.of(KeyedHash.Kind.EMAIL, "x@example.com"),
                java.util.Map.of("reason", "bad date", "createdAt", "yesterday"), null);
        store.put("blocks", "identity#" + HASH.of(KeyedHash.Kind.IDENTITY, "v"),
                java.util.Map.of("reason", "bad expiry", "createdAt", NOW.toString(), "expiresAt", "never"), null);
        store.put("blocks", "device#abc", java.util.Map.of("reason", "a kind of a later version", "createdAt", NOW.toString()), null);
        store.put("blocks", "email#" + HASH.of(KeyedHash.Kind.EMAIL, "no-date@example.com"), java.util.Map.of(), null);

        assertBlocked(list, "198.51.100.7", null, null);
        assertAllowed(list, "203.0.113.9", "x@example.com", "v");
        assertBlocked(list, null, "no-date@example.com", null);

        JsonNode warning = logs.lines().stream().filter(l -> l.path("message").asText().startsWith("Block list items skipped"))
                .findFirst().orElseThrow(() -> new AssertionError(logs.text()));
        assertEquals(6, warning.path("skipped").asInt());
        assertEquals(2, list.list().size());
    }

    // --- what is kept and logged --------------------------------------------------------------------------------

    @Test
    void theStoreHoldsNoRawAddressEmailOrIdentityOnlyARange() {
        BlockList list = instance();
        list.add(BlockList.Kind.IP, "198.51.100.23", "abuse", null);
        list.add(BlockList.Kind.IP, "2001:db8::23", "abuse", null);
        list.add(BlockList.Kind.EMAIL, "Grace.Hopper@Example.com", "abuse", null);
        list.add(BlockList.Kind.IDENTITY, "visitor-c0ffee", "abuse", null);
        list.add(BlockList.Kind.IP, "192.0.2.0/24", "botnet", null);
        assertBlocked(list, "198.51.100.23", null, null);
        assertBlocked(list, null, "grace.hopper@example.com", null);
        assertBlocked(list, null, null, "visitor-c0ffee");

        String stored = local.items().toString().toLowerCase();
        for (String raw : new String[] {"198.51.100.23", "2001:db8::23", "2001:db8:0:0:0:0:0:23", "grace.hopper", "example.com",
                "visitor-c0ffee", "c0ffee"}) {
            assertFalse(stored.contains(raw), "the store holds " + raw + ": " + stored);
            assertFalse(logs.text().toLowerCase().contains(raw), "the log holds " + raw + ": " + logs.text());
        }
        assertTrue(stored.contains("range#192.0.2.0/24"), stored);
        JsonNode refusal = logs.lines().stream().filter(l -> l.path("message").asText().equals("Blocked visitor refused"))
                .findFirst().orElseThrow();
        assertEquals("ip", refusal.path("block").asText());
        assertEquals(HASH.of(KeyedHash.Kind.IP, "198.51.100.23"), refusal.path("subject").asText());
    }

    // --- every instance, within BLOCK_LIST_REFRESH -----------------------------------------------------------------

    @Test
    void aBlockAddedOnOneInstanceReachesAnotherWithinTheRefresh() {
        BlockList ops = instance();
        BlockList running = instance();
        assertAllowed(running, "198.51.100.99", null, null); // its copy, read now

        ops.add(BlockList.Kind.IP, "198.51.100.99", "abuse", null);

        assertBlocked(ops, "198.51.100.99", null, null); // where it was added, at once
        clock.advance(REFRESH.minusMillis(1));
        assertAllowed(running, "198.51.100.99", null, null); // the other one answers from its copy until it is due
        clock.advance(Duration.ofMillis(1));
        assertBlocked(running, "198.51.100.99", null, null);
    }

    @Test
    void withTheStoreNotAnsweringTheLastCopyIsUsedAndThatIsLogged() {
        BlockList running = instance();
        running.add(BlockList.Kind.IP, "198.51.100.99", "abuse", null);
        assertBlocked(running, "198.51.100.99", null, null);
        clock.advance(REFRESH.plusSeconds(1));

        local.whilePaused(() -> {
            long started = System.nanoTime();
            assertBlocked(running, "198.51.100.99", null, null);
            assertTrue((System.nanoTime() - started) / 1_000_000 < 1_000, "within the store's timeout");
            assertAllowed(instance(), "198.51.100.99", null, null); // an instance without a copy lets everyone through
        });

        List<JsonNode> warnings = logs.lines().stream()
                .filter(l -> l.path("message").asText().startsWith("Block list not refreshed")).toList();
        assertEquals(2, warnings.size(), logs.text());
        assertEquals("WARN", warnings.get(0).path("level").asText());
        assertTrue(warnings.get(0).path("failOpen").asBoolean());
        assertEquals(1, warnings.get(0).path("blocks").asInt(), "the copy it kept");
        assertEquals(0, warnings.get(1).path("blocks").asInt());
    }

    @Test
    void withTheStoreGoneNothingIsBlockedAndThatIsLogged() {
        BlockList list = new BlockList(LocalStore.refusing(clock), HASH, REFRESH, clock);

        assertAllowed(list, "198.51.100.99", "ada@example.com", "visitor-1");

        assertTrue(logs.text().contains("Block list not refreshed: the store did not answer"), logs.text());
    }

    @Test
    void withoutAStoreNothingIsBlocked() {
        assertAllowed(new BlockList(null, HASH, REFRESH, clock), "198.51.100.99", "ada@example.com", "visitor-1");
    }

    @Test
    void aCopyIsReadOncePerRefreshNotPerRequest() {
        WebChatStore store = local.store(clock);
        BlockList running = new BlockList(store, HASH, REFRESH, clock);
        assertAllowed(running, "198.51.100.1", null, null);

        local.whilePaused(() -> {
            long started = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertAllowed(running, "198.51.100." + i, null, null);
            }
            assertTrue((System.nanoTime() - started) / 1_000_000 < LocalStore.TIMEOUT.toMillis(),
                    "no request waited on the store");
        });
        assertFalse(logs.text().contains("Block list not refreshed"), logs.text());
    }
}
