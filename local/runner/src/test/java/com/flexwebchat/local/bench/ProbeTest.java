package com.flexwebchat.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each function's first request after the SnapStart hooks, in a fresh JVM from its deployment
 * package, for every event its handler primes (each {@code events/} file it registers): the
 * classes it still loads are what priming missed, and what a restored function would load while a
 * visitor waits, whichever route its first request is for. The probes run with the store on, as
 * deployed. The ceiling is what priming leaves today (0 to 8 classes: a lambda the JDK's HTTP
 * client makes for a new connection, a lock's queue node under contention, a Double's rendering)
 * with room for noise; a change that leaves a route or a dependency unprimed goes far past it
 * (while the runtime deserialised the event, its own Jackson alone loaded 56 on every first
 * request; before priming ran the real handlers on recorded events, the token function's first
 * request loaded 275; a transcript request that reaches the mail service loads about 180).
 */
class ProbeTest {

    static final long CEILING = 20;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"WebChannelFunction, initWebchat.json endChat.json",
            "TokenFunction, refreshToken.json",
            "StudioWebhookFunction, webhooks-studio.json",
            "ConversationsWebhookFunction, webhooks-conversations-onMessageAdd.json webhooks-conversations-onParticipantAdded.json"
                    + " webhooks-conversations-onConversationUpdated.json webhooks-conversations-onConversationStateUpdated.json email.json",
            "AgentEndedFunction, webhooks-taskrouter-task-wrapup.json webhooks-taskrouter-task-canceled.json"
                    + " webhooks-taskrouter-task-completed.json"})
    void theFirstRequestAfterTheSnapStartHooksLoadsFewClassesForEveryPrimedEvent(String function, String events) {
        Map<String, ProbeResult> results = Probe.runEvents(function, 2, 3);

        assertEquals(List.of(events.split(" ")), List.copyOf(results.keySet()), "the events the handler primes");
        results.forEach((event, result) -> {
            assertEquals(function, result.function());
            assertEquals(event, result.event());
            assertTrue(result.succeeded(), event + ": " + result);
            assertTrue(result.firstInvokeLoadedClasses().isPresent(), result.toString());
            long loaded = result.firstInvokeLoadedClasses().getAsLong();
            assertTrue(loaded <= CEILING, function + "'s first request after priming, from " + event + ", loaded " + loaded
                    + " classes (ceiling " + CEILING + "): something on its path is no longer primed");
            assertEquals(3, result.warmMillis().length, event + ": the warm requests after the first, in the same JVM");
            assertTrue(java.util.Arrays.stream(result.warmMillis()).allMatch(ms -> ms > 0), result.toString());
            assertTrue(result.initMillis() > 0 && result.firstInvokeMillis() > 0 && result.firstAnswerMillis() > result.initMillis(),
                    result.toString());
        });
    }
}
