package com.flexwebchat.webchannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.Fault;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rule at {@code /initWebchat}: a chat created at Twilio either gets its closed timer or is
 * closed. A timer update that fails is sent once more when time allows (it only sets the timer, so
 * sending it twice is harmless, even if the first did arrive); if that fails too, or a retry cannot
 * help (Twilio refused it with a 4xx), the conversation is closed and the answer is 502 (504 when
 * Twilio did not answer), so the widget shows an error instead of a chat that would never close.
 */
class InitWebchatTimerTest {

    static final String UPDATE = InitWebchatTest.CONVERSATION_UPDATE;
    static final String FORM = "{\"formData\":{\"friendlyName\":\"Ada\",\"query\":\"Hi\"}}";

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass().withStore();

    static APIGatewayV2HTTPResponse start(Duration lambdaTimeout) {
        return InitWebchatTest.post(new WebChannelHandler(twilio.runtime()), FORM, InitWebchatTest.BROWSER, lambdaTimeout);
    }

    /** The status and error, never the token of a successful answer. */
    static String describe(APIGatewayV2HTTPResponse response) {
        return response.getStatusCode() + " " + (response.getStatusCode() == 200 ? "" : response.getBody());
    }

    static String createdConversation() throws Exception {
        RecordedRequest create = twilio.emulator().requests("POST", "/flex-api/v2/WebChats").get(0);
        return Json.parse(create.responseBody()).get("conversation_sid").asText();
    }

    static Map<String, Object> conversation(String sid) {
        return twilio.emulator().conversation(sid).orElseThrow();
    }

    /** The conversation's updates, in order: what each set. */
    static List<Set<String>> updates() {
        return twilio.emulator().requests("POST", UPDATE).stream().map(r -> Set.copyOf(r.form().keySet())).toList();
    }

    static final Set<String> TIMER = Set.of("Timers.Closed");
    static final Set<String> CLOSE = Set.of("State");

    @Test
    void aTimerUpdateThatFailsOnceIsSentAgainAndTheChatStarts() throws Exception {
        twilio.emulator().failNext("POST", UPDATE, 500, 20500, 1);

        APIGatewayV2HTTPResponse response = start(Duration.ofSeconds(15));

        assertEquals(200, response.getStatusCode(), describe(response));
        String sid = Json.parse(response.getBody()).get("conversationSid").asText();
        assertEquals(List.of(TIMER, TIMER), updates());
        assertEquals("active", conversation(sid).get("state"));
        assertNotNull(((Map<?, ?>) conversation(sid).get("timers")).get("date_closed"));
    }

    @Test
    void aTimerUpdateThatFailsTwiceClosesTheChatAndAnswers502() throws Exception {
        twilio.emulator().failNext("POST", UPDATE, 500, 20500, 2);

        APIGatewayV2HTTPResponse response = start(Duration.ofSeconds(15));

        assertEquals(502, response.getStatusCode(), describe(response));
        assertEquals("twilio_error", Json.parse(response.getBody()).path("error").path("code").asText());
        assertEquals(List.of(TIMER, TIMER, CLOSE), updates());
        assertEquals("closed", conversation(createdConversation()).get("state"));
    }

    @Test
    void aTimerUpdateTwilioRefusesIsNotSentAgainAndTheChatIsClosed() throws Exception {
        twilio.emulator().failNext("POST", UPDATE, 400, 20001, 1);

        APIGatewayV2HTTPResponse response = start(Duration.ofSeconds(15));

        assertEquals(502, response.getStatusCode(), describe(response));
        assertEquals(List.of(TIMER, CLOSE), updates());
        assertEquals("closed", conversation(createdConversation()).get("state"));
    }

    @Test
    void aTimerUpdateWithoutAnswerIsSentAgainWithinTheFunctionsTimeAndTheChatClosedAfter() throws Exception {
        twilio.emulator().inject("POST", UPDATE, 0, 2, Fault.noAnswer());

        // 6.5 s: the first attempt waits its 4 s (TwilioGateway.CALL_TIMEOUT), which leaves time for a second.
        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response = start(Duration.ofMillis(6_500));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertEquals(504, response.getStatusCode(), describe(response));
        assertEquals("twilio_timeout", Json.parse(response.getBody()).path("error").path("code").asText());
        assertTrue(millis < 6_500, "answered after " + millis + " ms");
        assertEquals(List.of(TIMER, TIMER, CLOSE), updates());
        assertEquals("closed", conversation(createdConversation()).get("state"));
    }

    @Test
    void aGarbledAnswerToTheTimerUpdateCountsAsFailedButTheChatIsNotLeftHalfDone() throws Exception {
        // The timer was set (the emulator carried the update out); the function cannot know, so it sends it again.
        twilio.emulator().inject("POST", UPDATE, 0, 1, Fault.garbled());

        APIGatewayV2HTTPResponse response = start(Duration.ofSeconds(15));

        assertEquals(200, response.getStatusCode(), describe(response));
        assertEquals(List.of(TIMER, TIMER), updates());
    }

    @Test
    void withoutTimeForASecondAttemptTheChatIsClosedRightAway() throws Exception {
        // In a 2 s function the first attempt, waiting for an answer that never comes, leaves no room for a second.
        twilio.emulator().inject("POST", UPDATE, 0, 1, Fault.noAnswer());

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response = start(Duration.ofMillis(2_000));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertEquals(504, response.getStatusCode(), describe(response));
        assertTrue(millis < 2_000, "answered after " + millis + " ms");
        assertEquals(List.of(TIMER, CLOSE), updates());
        assertEquals("closed", conversation(createdConversation()).get("state"));
    }

    @Test
    void whenTheCloseFailsTooTheAnswerIsStillAnErrorAndTheAccountsDefaultTimerIsLeft() throws Exception {
        twilio.emulator().failNext("POST", UPDATE, 500, 20500, 4);

        APIGatewayV2HTTPResponse response = start(Duration.ofSeconds(15));

        assertEquals(502, response.getStatusCode(), describe(response));
        JsonNode error = Json.parse(response.getBody()).path("error");
        assertEquals("twilio_error", error.path("code").asText());
        assertTrue(twilio.logs().text().contains("account's default closed timer"), twilio.logs().text());
    }

    @Test
    void theFailedStartGivesItsSubmitBackSoTheWidgetsRetryStartsAChat() throws Exception {
        twilio.emulator().failNext("POST", UPDATE, 500, 20500, 2);
        assertEquals(502, start(Duration.ofSeconds(15)).getStatusCode());

        APIGatewayV2HTTPResponse retry = start(Duration.ofSeconds(15));

        assertEquals(200, retry.getStatusCode(), describe(retry));
        assertEquals(2, twilio.emulator().requests("POST", "/flex-api/v2/WebChats").size());
        assertEquals("active", conversation(Json.parse(retry.getBody()).get("conversationSid").asText()).get("state"));
    }
}
