package com.flexwebchat.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each function's first request after the SnapStart hooks, in a fresh JVM from its deployment
 * package: the classes it still loads are what priming missed, and what a restored function would
 * load while a visitor waits. The probe runs with the store on, as deployed. The ceiling is what
 * priming leaves today (67 to 68 classes on JDK 17, mostly the runtime's own context and the first
 * real exchange's leftovers) with room for noise; a change that leaves a route or a dependency
 * unprimed goes far past it (before priming ran the real handlers on recorded events, the token
 * function's first request loaded 275; before it signed store requests and read the store once,
 * 123).
 */
class ProbeTest {

    static final long CEILING = 90;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"WebChannelFunction, 200", "TokenFunction, 200", "StudioWebhookFunction, 200",
            "ConversationsWebhookFunction, 200", "AgentEndedFunction, 204"})
    void theFirstRequestAfterTheSnapStartHooksLoadsFewClasses(String function, int status) {
        ProbeResult result = Probe.run(function, Mode.SNAPSTART);

        assertEquals(function, result.function());
        assertEquals(status, result.status(), result.toString());
        assertTrue(result.firstInvokeLoadedClasses().isPresent(), result.toString());
        long loaded = result.firstInvokeLoadedClasses().getAsLong();
        assertTrue(loaded > 0, "the request's own objects at least: " + result);
        assertTrue(loaded <= CEILING, function + "'s first request after priming loaded " + loaded
                + " classes (ceiling " + CEILING + "): something on its path is no longer primed");
        assertTrue(result.initMillis() > 0 && result.firstInvokeMillis() > 0 && result.firstAnswerMillis() > result.initMillis(),
                result.toString());
    }
}
