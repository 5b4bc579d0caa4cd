package com.flexwebchat.shared.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.store.KeyedHash;
import com.flexwebchat.shared.testing.LocalStore;
import com.flexwebchat.shared.testing.LogCapture;
import com.flexwebchat.shared.testing.MovableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chat an email started in the last day, on a real DynamoDB-compatible engine (dynalite). */
class RecentChatsTest {

    static final String CHAT = "CH" + "0123456789abcdef".repeat(2);
    static final String NEWER = "CH" + "fedcba9876543210".repeat(2);

    @RegisterExtension
    static final LocalStore local = new LocalStore();

    final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T10:00:00Z"));
    final KeyedHash hashes = new KeyedHash("a test hash key of 32 characters".getBytes(StandardCharsets.UTF_8));
    final LogCapture logs = new LogCapture();

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    RecentChats instance() {
        return new RecentChats(local.store(clock), hashes, clock);
    }

    @Test
    void anAddressFindsTheChatItStartedWhateverItsCaseAndOnlyForADay() {
        instance().remember("Ada@Example.com", CHAT);

        assertEquals(Optional.of(CHAT), instance().chatOf("ada@example.com"));
        assertEquals(Optional.empty(), instance().chatOf("bob@example.com"));
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        assertEquals(Optional.empty(), instance().chatOf("ada@example.com"), "24 hours later it is forgotten");
    }

    @Test
    void aNewerChatFromTheSameAddressTakesItsPlace() {
        instance().remember("ada@example.com", CHAT);
        instance().remember("ada@example.com", NEWER);

        assertEquals(Optional.of(NEWER), instance().chatOf("ada@example.com"));
    }

    @Test
    void theStoreKeepsAKeyedHashNeverTheAddress() {
        instance().remember("ada@example.com", CHAT);

        String items = local.items().toString();
        assertFalse(items.toLowerCase().contains("ada"), items);
        assertTrue(items.contains(RecentChats.PREFIX + "email:"), items);
    }

    @Test
    void aStoreThatDoesNotAnswerForgetsQuietlyButRefusesToFind() {
        RecentChats down = new RecentChats(LocalStore.refusing(clock), hashes, clock);

        down.remember("ada@example.com", CHAT);
        assertTrue(logs.text().contains("\"failOpen\":true"), logs.text());
        ApiError refused = assertThrows(ApiError.class, () -> down.chatOf("ada@example.com"));
        assertEquals(503, refused.status());
        assertEquals("store_unavailable", refused.code());
        assertFalse(logs.text().contains("ada@"), "no address in a log line");
    }

    @Test
    void withoutAStoreNothingIsRememberedAndFindingIsRefused() {
        RecentChats none = new RecentChats(null, hashes, clock);

        none.remember("ada@example.com", CHAT);
        assertEquals(503, assertThrows(ApiError.class, () -> none.chatOf("ada@example.com")).status());
    }
}
