package com.flexwebchat.shared.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The X-Ray trace id each log line carries, from the header Lambda's Java runtime sets per invocation. */
class TraceIdTest {

    @Test
    void theRootOfTheHeaderIsTheTraceId() {
        assertEquals("1-5759e988-bd862e3fe1be46a994272793",
                Log.traceId("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"));
        assertEquals("1-5759e988-bd862e3fe1be46a994272793", Log.traceId("Parent=53995c3f42cd8ad8; Root=1-5759e988-bd862e3fe1be46a994272793"));
    }

    @Test
    void anythingElseIsNoTraceId() {
        assertNull(Log.traceId(null));
        assertNull(Log.traceId(""));
        assertNull(Log.traceId("Parent=53995c3f42cd8ad8;Sampled=1"));
        assertNull(Log.traceId("Root=<script>alert(1)</script>"));
    }

    @Test
    void everyLineOfAnInvocationCarriesIt() {
        String previous = System.getProperty("com.amazonaws.xray.traceHeader");
        try (var logs = new com.flexwebchat.shared.testing.LogCapture()) {
            System.setProperty("com.amazonaws.xray.traceHeader", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
            Log.begin("req-1");
            Log.info("one");
            Log.warn("two");
            Log.end();

            assertEquals(2, logs.text().split("\"traceId\":\"1-5759e988-bd862e3fe1be46a994272793\"", -1).length - 1, logs.text());
        } finally {
            if (previous == null) {
                System.clearProperty("com.amazonaws.xray.traceHeader");
            } else {
                System.setProperty("com.amazonaws.xray.traceHeader", previous);
            }
        }
    }
}
