package com.flexwebchat.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One real cold start in a fresh JVM from the function's deployment package, through the public API. */
class ProbeTest {

    @Test
    void aProbeAfterTheSnapStartHooksReportsTheClassesTheFirstRequestStillLoads() {
        ProbeResult result = Probe.run("AgentEndedFunction", Mode.SNAPSTART);

        assertEquals("AgentEndedFunction", result.function());
        assertEquals(204, result.status(), result.toString());
        assertTrue(result.succeeded());
        assertTrue(result.firstInvokeLoadedClasses().isPresent(), result.toString());
        assertTrue(result.firstInvokeLoadedClasses().getAsLong() > 0, "the request's own objects at least: " + result);
        assertTrue(result.initMillis() > 0 && result.firstInvokeMillis() > 0 && result.firstAnswerMillis() > result.initMillis(),
                result.toString());
    }
}
