package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.EmulatorAccount;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conversation timers, applied lazily as time passes. */
class ConversationTimersTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void inactiveThenActiveAgainThenClosed() {
        Conversation c = new Conversation(EmulatorAccount.DEFAULT_ACCOUNT_SID, EmulatorAccount.DEFAULT_CONVERSATIONS_SERVICE_SID, T0);
        c.startTimers(Duration.ofMinutes(1), Duration.ofMinutes(10), T0);
        assertEquals("2026-11-21T10:01:00Z", c.timers().get("date_inactive"));
        assertEquals("2026-11-21T10:10:00Z", c.timers().get("date_closed"));

        c.applyTimers(T0.plusSeconds(59));
        assertEquals(Conversation.State.ACTIVE, c.state);
        c.applyTimers(T0.plusSeconds(60));
        assertEquals(Conversation.State.INACTIVE, c.state);

        // A message wakes the conversation and restarts the inactive timer.
        c.addMessage("ada", "back", "{}", java.util.List.of(), T0.plusSeconds(120));
        assertEquals(Conversation.State.ACTIVE, c.state);
        assertEquals("2026-11-21T10:03:00Z", c.timers().get("date_inactive"));

        c.applyTimers(T0.plus(Duration.ofMinutes(10)));
        assertEquals(Conversation.State.CLOSED, c.state);
        assertTrue(c.timers().isEmpty());
        assertEquals(T0.plus(Duration.ofMinutes(10)), c.dateUpdated);
    }
}
