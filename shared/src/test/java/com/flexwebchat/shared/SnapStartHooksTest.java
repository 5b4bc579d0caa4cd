package com.flexwebchat.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.LogCapture;
import com.flexwebchat.shared.twilio.Deadline;
import com.twilio.rest.conversations.v1.service.ParticipantConversationReader;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SnapStartHooksTest {

    static TwilioEmulator twilio;
    static WebChatRuntime runtime;

    @BeforeAll
    static void start() {
        twilio = TwilioEmulator.start(0);
        runtime = EmulatedTwilio.runtime(EmulatedTwilio.environment(twilio), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        twilio.close();
    }

    int readConversations() {
        return runtime.twilio().call("read", client -> new ParticipantConversationReader(
                runtime.config().conversationsServiceSid()).setIdentity("x").firstPage(client).getRecords().size());
    }

    @Test
    void primingRunsBeforeTheSnapshotWithinABudget() {
        AtomicReference<Deadline> seen = new AtomicReference<>();
        SnapStartHooks hooks = SnapStartHooks.register(() -> seen.set(Deadline.current()), runtime.twilio());

        try (LogCapture logs = new LogCapture()) {
            hooks.beforeCheckpoint(null);
            assertTrue(logs.text().contains("Primed for the SnapStart snapshot"));
        }
        assertTrue(seen.get() != null && seen.get().remaining().toMillis() > 0);
        assertEquals(null, Deadline.current(), "the budget ends with priming");
    }

    @Test
    void aFailedPrimingIsLoggedAndNeverFailsTheSnapshot() {
        SnapStartHooks hooks = SnapStartHooks.register(() -> {
            throw new IllegalStateException("Twilio is down");
        }, runtime.twilio());

        try (LogCapture logs = new LogCapture()) {
            hooks.beforeCheckpoint(null);
            assertTrue(logs.text().contains("Priming failed"));
            assertTrue(logs.text().contains("IllegalStateException"));
        }
    }

    @Test
    void afterRestoreTwilioCallsWorkOnFreshConnections() {
        SnapStartHooks hooks = SnapStartHooks.register(this::readConversations, runtime.twilio());
        hooks.beforeCheckpoint(null);
        twilio.clearRequests();

        hooks.afterRestore(null);

        assertEquals(0, readConversations());
        assertEquals(1, twilio.requests().size());
    }
}
