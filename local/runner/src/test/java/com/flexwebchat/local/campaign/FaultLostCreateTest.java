package com.flexwebchat.local.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.Fault;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.ops.wiring.TwilioWiring;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.webchannel.WebChannelHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10, class 3: an {@code /initWebchat} whose create succeeded at Twilio but whose answer was
 * lost (none came, the connection dropped, the body was cut). Flex's {@code POST /v2/WebChats}
 * takes nothing of ours that could find the chat again, so the chat is an orphan: what must hold is
 * that it does not stay open forever and that the widget's retry is not blocked. The README relies
 * on the account's default closed timer, which {@code ./run-local wire} sets, as the backstop; here
 * the real wiring command wires the emulator and the orphan is seen to close by it.
 */
class FaultLostCreateTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String WEB_CHATS = "/flex-api/v2/WebChats";
    static final Duration LAMBDA_TIMEOUT = Duration.ofSeconds(3);

    /** One per test: the wiring changes the account, and the test moves the emulator's clock. */
    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.freshForEachTest().withStore();

    static Stream<Arguments> lostAnswers() {
        return Stream.of(
                Arguments.of("no answer", Fault.noAnswer(), 504),
                Arguments.of("dropped", Fault.dropped(), 504),
                Arguments.of("garbled", Fault.garbled(), 502));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lostAnswers")
    void theOrphanOfALostCreateClosesByTheDefaultTimerWireSetsAndTheRetryStartsAChat(String name, Fault fault, int status)
            throws Exception {
        assertEquals(0, wire(), "./run-local wire against the emulator");
        twilio.emulator().clearRequests();
        twilio.emulator().inject("POST", WEB_CHATS, 0, 1, fault);

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse lost = initWebchat();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertEquals(status, lost.getStatusCode(), lost.getBody());
        assertTrue(millis < LAMBDA_TIMEOUT.toMillis(), "answered after " + millis + " ms");
        List<RecordedRequest> creates = twilio.emulator().requests("POST", WEB_CHATS);
        assertEquals(1, creates.size(), "a create whose outcome is unknown is never sent again");
        String orphan = Json.parse(creates.get(0).responseBody()).get("conversation_sid").asText();
        Map<String, Object> conversation = twilio.emulator().conversation(orphan).orElseThrow();
        assertEquals("active", conversation.get("state"), "the chat was made, and nobody knows its SID");
        assertEquals(List.of(), twilio.emulator().messages(orphan), "nothing posted: no Studio flow ran, no task reached an agent");
        Instant closes = Instant.parse(String.valueOf(((Map<?, ?>) conversation.get("timers")).get("date_closed")));
        Instant created = Instant.parse(String.valueOf(conversation.get("date_created")));
        assertEquals(Duration.ofDays(1), Duration.between(created, closes), "the account's default closed timer (CLOSE_AFTER)");

        twilio.emulator().advanceClock(Duration.ofDays(1).plusMinutes(1));
        assertEquals("closed", twilio.emulator().conversation(orphan).orElseThrow().get("state"), "the orphan closed itself");

        // The widget's retry, the same form from the same browser within DUPLICATE_SUBMIT_WINDOW: a new chat, not 409.
        APIGatewayV2HTTPResponse retry = initWebchat();
        assertEquals(200, retry.getStatusCode(), retry.getBody());
        String chat = Json.parse(retry.getBody()).get("conversationSid").asText();
        assertNotEquals(orphan, chat);
        assertEquals("active", twilio.emulator().conversation(chat).orElseThrow().get("state"));
    }

    @Test
    void withoutTheWiringTheOrphanHasNoClosedTimerAtAll() throws Exception {
        // What the README's "./run-local wire also sets the account's default closed timer" is for.
        twilio.emulator().inject("POST", WEB_CHATS, 0, 1, Fault.noAnswer());

        assertEquals(504, initWebchat().getStatusCode());

        String orphan = Json.parse(twilio.emulator().requests("POST", WEB_CHATS).get(0).responseBody()).get("conversation_sid").asText();
        Map<?, ?> timers = (Map<?, ?>) twilio.emulator().conversation(orphan).orElseThrow().get("timers");
        assertNull(timers.get("date_closed"));
    }

    @Test
    void aChatWhoseCreateWasAnsweredGetsItsOwnTimerOverTheDefault() throws Exception {
        assertEquals(0, wire());
        APIGatewayV2HTTPResponse response = initWebchat();
        assertEquals(200, response.getStatusCode());
        String chat = Json.parse(response.getBody()).get("conversationSid").asText();
        assertNotNull(((Map<?, ?>) twilio.emulator().conversation(chat).orElseThrow().get("timers")).get("date_closed"));
        assertEquals(1, twilio.emulator().requests("POST", "/conversations/v1/Services/.*/Conversations/" + chat).size());
    }

    private static APIGatewayV2HTTPResponse initWebchat() {
        return new WebChannelHandler(twilio.runtime()).handle(HttpApiEvents.request("POST", "/initWebchat", "/initWebchat", "",
                        Map.of("origin", EmulatedTwilio.ORIGIN, "content-type", "application/json", "user-agent", "Widget/1"),
                        "{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"Hi\"}}", false),
                new LocalContext("WebChannelFunction", LAMBDA_TIMEOUT));
    }

    /** {@code ./run-local wire --api-url ...} with the emulator's account, as {@code Wire} runs it. */
    private static int wire() {
        TwilioEmulator emulator = twilio.emulator();
        Map<String, String> settings = new HashMap<>(EmulatedTwilio.environment(emulator));
        settings.put("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return TwilioWiring.run(new String[] {"--api-url", "https://abc123.execute-api.eu-west-1.amazonaws.com"}, settings,
                s -> new TwilioWiring.Account(s, "the emulator"), (stack, key) -> {
                    throw new AssertionError("no stack");
                }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    }
}
