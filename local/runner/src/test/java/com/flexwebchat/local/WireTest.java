package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.ops.wiring.TwilioWiring;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run-local wire}'s settings: the account as {@code ./run-local} names it. The wiring
 * itself is tested with it, in ops.
 */
class WireTest {

    private static final String API = "https://abc123.execute-api.eu-west-1.amazonaws.com";

    private TwilioEmulator emulator;
    private EmulatorAccount account;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() {
        emulator = TwilioEmulator.start(0);
        account = emulator.account();
    }

    @AfterEach
    void stop() {
        assertEquals(List.of(), emulator.contractViolations());
        assertFalse(output().contains(account.authToken()), "the auth token is never printed");
        emulator.close();
    }

    private int wire(Map<String, String> settings, String... args) {
        return TwilioWiring.run(args, settings, Wire::account, (stack, key) -> {
            throw new AssertionError("no stack was named");
        }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withAnAccountSidItWiresThatAccountAtTheGivenUrl() {
        Map<String, String> settings = new HashMap<>(Map.of(
                "TWILIO_API_BASE_URL", emulator.baseUrl(),
                "ACCOUNT_SID", account.accountSid(),
                "AUTH_TOKEN", account.authToken(),
                "API_KEY", account.apiKey(),
                "API_SECRET", account.apiSecret(),
                "ADDRESS_SID", account.addressSid(),
                "CONVERSATIONS_SERVICE_SID", account.conversationsServiceSid(),
                "TASKROUTER_WORKSPACE_SID", account.taskrouterWorkspaceSid()));

        assertEquals(0, wire(settings, "--api-url", API, "--dry-run"), output());

        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Twilio: " + emulator.baseUrl() + " (account AC…cdef)"), output());
    }

    @Test
    void withOnlyTheEmulatorsUrlItWiresTheEmulatorsTestAccount() {
        Map<String, String> settings = new HashMap<>(Map.of("TWILIO_API_BASE_URL", emulator.baseUrl()));

        assertEquals(0, wire(settings, "--api-url", API), output());

        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Twilio: emulator at " + emulator.baseUrl()
                + " (test account AC…cdef)"), output());
        EmulatorRest twilio = new EmulatorRest(emulator);
        assertEquals(API + "/webhooks/taskrouter", twilio.get("/taskrouter/v1/Workspaces/" + account.taskrouterWorkspaceSid())
                .path("event_callback_url").asText());
        assertEquals("PT24H", twilio.get("/conversations/v1/Configuration").path("default_closed_timer").asText(),
                "CLOSE_AFTER's default, a day");
    }

    @Test
    void withoutAnAccountItSaysWhatIsMissing() {
        assertEquals(1, wire(new HashMap<>(), "--api-url", API));

        assertTrue(err.toString(StandardCharsets.UTF_8).contains("ACCOUNT_SID and AUTH_TOKEN are required"), output());
        assertEquals(List.of(), emulator.requests());
    }
}
