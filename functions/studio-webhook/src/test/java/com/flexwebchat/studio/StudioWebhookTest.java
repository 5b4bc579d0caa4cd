package com.flexwebchat.studio;

import static com.flexwebchat.studio.StudioEvents.form;
import static com.flexwebchat.studio.StudioEvents.formPost;
import static com.flexwebchat.studio.StudioEvents.invoke;
import static com.flexwebchat.studio.StudioEvents.jsonPost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /webhooks/studio} through the real handler, with requests signed as Twilio signs
 * them, the real SDK, over HTTP to the twilio.emulator(). Chats are created the way {@code /initWebchat}
 * creates them: through Flex's orchestration, which stores the form as {@code pre_engagement_data}.
 */
class StudioWebhookTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String HOURS = "Mon-Fri 09:00-17:30; Sat 10:00-14:00";
    static final String ZONE = "Europe/Oslo";
    /** Monday 23 November 2026, 11:00 in Oslo. */
    static final Instant MONDAY_MORNING = Instant.parse("2026-11-23T10:00:00Z");
    /** Friday 27 November 2026, 18:00 in Oslo: closed until Saturday 10:00. */
    static final Instant FRIDAY_EVENING = Instant.parse("2026-11-27T17:00:00Z");
    /** Saturday 28 November 2026, 15:00 in Oslo: closed until Monday 09:00. */
    static final Instant SATURDAY_AFTERNOON = Instant.parse("2026-11-28T14:00:00Z");
    static final String FORM = "{\"friendlyName\":\"Ada Lovelace\",\"email\":\"ada@example.com\","
            + "\"query\":\"Where is my order 4711?\",\"department\":\"billing\",\"vip\":true,\"age\":36,\"note\":\"private\"}";

    @RegisterExtension
    static final EmulatedTwilio twilio = studioSettings(EmulatedTwilio.sharedByTheClass())
            .clock(Clock.fixed(MONDAY_MORNING, ZoneOffset.UTC));

    /** Routing fields, business hours in Oslo and two holidays. */
    static EmulatedTwilio studioSettings(EmulatedTwilio twilio) {
        return twilio.with("ROUTING_FIELDS", "department, vip, age, email, channelType, missing")
                .with("BUSINESS_HOURS", HOURS)
                .with("BUSINESS_TIMEZONE", ZONE)
                .with("HOLIDAYS", "2026-12-24,2026-12-25");
    }

    /** The function, on the class's Twilio: Monday morning, open. */
    static StudioWebhookHandler handler() {
        return new StudioWebhookHandler(twilio.runtime());
    }

    /** The function as it answers at {@code now}, with the class's settings. */
    static StudioWebhookHandler handlerAt(EmulatedTwilio twilio, Instant now) {
        return new StudioWebhookHandler(EmulatedTwilio.runtime(twilio.environment(), Clock.fixed(now, ZoneOffset.UTC)));
    }

    /** A chat as /initWebchat leaves it: created by Flex's orchestration with the form as PreEngagementData. */
    static String startChat(String preEngagementData) {
        return twilio.startChat("Ada Lovelace", preEngagementData).getConversationSid();
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.parse(response.getBody());
    }

    /** Studio's request for the chat's context, as the flow's chat_context widget makes it. */
    static APIGatewayV2HTTPResponse ask(StudioWebhookHandler handler, String conversationSid) {
        return invoke(handler, formPost(form("ConversationSid", conversationSid, "FlowSid", "FW" + "0".repeat(32))));
    }

    static APIGatewayV2HTTPResponse ask(String conversationSid) {
        return ask(handler(), conversationSid);
    }

    String conversationFetch(String sid) {
        return "/conversations/v1/Services/" + ACCOUNT.conversationsServiceSid() + "/Conversations/" + sid;
    }

    void assertError(APIGatewayV2HTTPResponse response, int status, String code) throws Exception {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals(code, json(response).at("/error/code").asText());
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
    }

    @Test
    void answersTheTaskAttributesOfAWebChatsChatAndThatItIsOpen() throws Exception {
        String sid = startChat(FORM);

        APIGatewayV2HTTPResponse response = ask(sid);

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        JsonNode body = json(response);
        assertEquals(Json.parse("{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"initial_question\":\"Where is my order 4711?\","
                        + "\"channelType\":\"web\",\"conversationSid\":\"" + sid + "\",\"department\":\"billing\",\"vip\":true,\"age\":36}"),
                body.get("taskAttributes"));
        assertTrue(body.get("open").asBoolean());
        assertTrue(body.get("opensAt").isNull());
        assertTrue(body.get("closedMessage").isNull());
        assertEquals(4, body.size());

        assertEquals(1, twilio.emulator().requests().size());
        assertEquals(1, twilio.emulator().requests("GET", conversationFetch(sid)).size(), "a service-scoped fetch");
        assertEquals(List.of(), twilio.emulator().requests("POST", ".*"), "nothing is created or changed");
    }

    @Test
    void taskAttributesStayWithinSendToFlexsLimit() throws Exception {
        String longQuestion = "Why? ".repeat(199) + "End";
        String sid = startChat("{\"friendlyName\":\"Ada\",\"query\":\"" + longQuestion + "\",\"department\":\"billing\"}");

        JsonNode attributes = json(ask(sid)).get("taskAttributes");

        assertTrue(Json.write(attributes).length() <= TaskAttributes.MAX_ATTRIBUTES_LENGTH, Json.write(attributes));
        assertTrue(attributes.get("initial_question").asText().endsWith("…"));
        assertTrue(longQuestion.startsWith(attributes.get("initial_question").asText().replace("…", "")));
        assertEquals("billing", attributes.get("department").asText());
        assertEquals(sid, attributes.get("conversationSid").asText());
    }

    @Test
    void aCardNumberInTheFormNeverReachesTheAgent() throws Exception {
        String sid = startChat("{\"friendlyName\":\"Ada\",\"query\":\"Charge 4111-1111-1111-1111 again\",\"department\":\"4012888888881881\"}");

        JsonNode attributes = json(ask(sid)).get("taskAttributes");

        assertEquals("Charge ••••-••••-••••-1111 again", attributes.get("initial_question").asText());
        assertEquals("••••••••••••1881", attributes.get("department").asText());
    }

    @Test
    void routingFieldsAreCopiedOnlyWhenListedAndNeverOverrideTheBuiltIns() throws Exception {
        String sid = startChat("{\"friendlyName\":\"Bob\",\"department\":\"sales\",\"channelType\":\"sms\","
                + "\"conversationSid\":\"CH" + "9".repeat(32) + "\",\"vip\":{\"nested\":true},\"note\":\"x\"}");

        JsonNode attributes = json(ask(sid)).get("taskAttributes");

        assertEquals("sales", attributes.get("department").asText());
        assertEquals("web", attributes.get("channelType").asText(), "ROUTING_FIELDS lists channelType; the form's must not win");
        assertEquals(sid, attributes.get("conversationSid").asText());
        assertFalse(attributes.has("vip"), "only strings, numbers and booleans are copied");
        assertFalse(attributes.has("note"), "not a routing field");
        assertFalse(attributes.has("missing"));
    }

    @Test
    void emailAndQuestionAreAbsentWhenNotGiven() throws Exception {
        for (String form : List.of("{\"friendlyName\":\"Ada\"}", "{\"friendlyName\":\"Ada\",\"email\":\"\",\"query\":\"  \"}")) {
            JsonNode attributes = json(ask(startChat(form))).get("taskAttributes");
            assertEquals("Ada", attributes.get("name").asText());
            assertFalse(attributes.has("email"), form);
            assertFalse(attributes.has("initial_question"), form);
        }
    }

    @Test
    void aChatWithoutAFormIsNamedAsFlexNamedTheCustomer() throws Exception {
        String sid = twilio.startChat("Grace", null).getConversationSid();

        JsonNode attributes = json(ask(sid)).get("taskAttributes");

        assertEquals(Json.parse("{\"name\":\"Grace\",\"channelType\":\"web\",\"conversationSid\":\"" + sid + "\"}"), attributes);
    }

    @Test
    void outsideBusinessHoursItIsClosedWithTheNextOpeningInTheBusinessZone() throws Exception {
        String sid = startChat(FORM);

        APIGatewayV2HTTPResponse response = ask(handlerAt(twilio, FRIDAY_EVENING), sid);

        assertEquals(200, response.getStatusCode());
        JsonNode body = json(response);
        assertFalse(body.get("open").asBoolean());
        assertEquals("2026-11-28T10:00:00+01:00", body.get("opensAt").asText());
        assertEquals("We're closed right now. We open again tomorrow at 10:00 (Europe/Oslo).", body.get("closedMessage").asText());
        assertEquals("Ada Lovelace", body.at("/taskAttributes/name").asText(), "the task attributes are there all the same");
    }

    @Test
    void theClosedMessageNamesTheWeekdayAndSkipsHolidays() throws Exception {
        String sid = startChat(FORM);

        JsonNode saturday = json(ask(handlerAt(twilio, SATURDAY_AFTERNOON), sid));
        assertEquals("2026-11-30T09:00:00+01:00", saturday.get("opensAt").asText());
        assertEquals("We're closed right now. We open again Monday at 09:00 (Europe/Oslo).", saturday.get("closedMessage").asText());

        // Wednesday 23 December, 18:00: Thursday and Friday are holidays.
        JsonNode christmas = json(ask(handlerAt(twilio, Instant.parse("2026-12-23T17:00:00Z")), sid));
        assertEquals("2026-12-26T10:00:00+01:00", christmas.get("opensAt").asText());
        assertEquals("We're closed right now. We open again Saturday at 10:00 (Europe/Oslo).", christmas.get("closedMessage").asText());
    }

    @Test
    void withoutBusinessHoursItIsAlwaysOpen() throws Exception {
        StudioWebhookHandler alwaysOpen = new StudioWebhookHandler(EmulatedTwilio.runtime(
                EmulatedTwilio.environment(twilio.emulator()), Clock.fixed(SATURDAY_AFTERNOON, ZoneOffset.UTC)));

        JsonNode body = json(ask(alwaysOpen, startChat(FORM)));

        assertTrue(body.get("open").asBoolean());
        assertTrue(body.get("closedMessage").isNull());
        assertFalse(body.get("taskAttributes").has("department"), "no ROUTING_FIELDS, no routing fields");
    }

    @Test
    void anUnknownConversationIs404() throws Exception {
        String unknown = "CH" + "a".repeat(32);

        assertError(ask(unknown), 404, "conversation_not_found");
        assertEquals(1, twilio.emulator().requests("GET", conversationFetch(unknown)).size());
        assertEquals(1, twilio.emulator().requests().size(), "a 404 is an answer, not retried");
        assertFalse(twilio.logs().text().contains("\"level\":\"ERROR\""), twilio.logs().text());
    }

    @Test
    void aClosedConversationIs409() throws Exception {
        String sid = startChat(FORM);
        twilio.emulator().closeConversation(sid);

        assertError(ask(sid), 409, "conversation_closed");
        assertEquals(1, twilio.emulator().requests().size());
    }

    @Test
    void aMissingOrMalformedSidIs400AndTwilioIsNotAsked() throws Exception {
        for (Map<String, List<String>> params : List.of(form("FlowSid", "FW1"), form("ConversationSid", ""),
                form("ConversationSid", "CH123"), form("ChannelSid", "../Conversations"))) {
            APIGatewayV2HTTPResponse response = invoke(handler(), formPost(params));
            assertError(response, 400, "invalid_field");
        }
        assertError(invoke(handler(), jsonPost("{\"ConversationSid\":null}")), 400, "invalid_field");
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void aBadSignatureIs403AndTwilioIsNotAsked() throws Exception {
        String sid = startChat(FORM);
        Map<String, List<String>> params = form("ConversationSid", sid);

        assertError(invoke(handler(), formPost(params, params, "another-auth-token-0000000000000")), 403, "invalid_signature");
        assertError(invoke(handler(), formPost(form("ConversationSid", "CH" + "b".repeat(32)), params, StudioEvents.AUTH_TOKEN)),
                403, "invalid_signature");
        APIGatewayV2HTTPResponse unsigned = invoke(handler(), com.flexwebchat.harness.HttpApiEvents.request("POST",
                StudioEvents.PATH, StudioEvents.PATH, "", StudioEvents.headers("application/x-www-form-urlencoded", null),
                "ConversationSid=" + sid, true));
        assertError(unsigned, 403, "invalid_signature");

        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void aJsonBodyIsAcceptedToo() throws Exception {
        String sid = startChat(FORM);

        APIGatewayV2HTTPResponse response = invoke(handler(), jsonPost("{\"ConversationSid\":\"" + sid + "\"}"));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("billing", json(response).at("/taskAttributes/department").asText());
        assertEquals(1, twilio.emulator().requests("GET", conversationFetch(sid)).size());
    }

    @Test
    void theLegacyChannelSidNameIsReadInConversationsModeToo() throws Exception {
        String sid = startChat(FORM);

        APIGatewayV2HTTPResponse response = invoke(handler(), formPost(form("ChannelSid", sid)));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(sid, json(response).at("/taskAttributes/conversationSid").asText());
        assertEquals(1, twilio.emulator().requests("GET", conversationFetch(sid)).size(), "the same service-scoped fetch");
    }

    @Test
    void twilioFailingIs502() throws Exception {
        String sid = startChat(FORM);
        twilio.emulator().failNext("GET", conversationFetch(sid), 503, 20503, 5);

        assertError(ask(sid), 502, "twilio_error");
        assertEquals(2, twilio.emulator().requests().size(), "a read is retried once after a 5xx");
    }

    @Test
    void twilioNotAnsweringInTimeIs504() throws Exception {
        String sid = startChat(FORM);
        twilio.emulator().delayNext("GET", conversationFetch(sid), Duration.ofSeconds(3), 1);

        APIGatewayV2HTTPResponse response = invoke(handler(), formPost(form("ConversationSid", sid)), Duration.ofSeconds(2));

        assertError(response, 504, "twilio_timeout");
        // The emulator journals the delayed request when it answers: wait so it does not leak into the next test.
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (twilio.emulator().requests().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
    }

    @Test
    void theBudgetIsStudiosTimeoutLessAMargin() {
        assertEquals(Duration.ofSeconds(10), StudioWebhookHandler.STUDIO_HTTP_TIMEOUT);
        assertTrue(StudioWebhookHandler.BUDGET.compareTo(StudioWebhookHandler.STUDIO_HTTP_TIMEOUT) < 0);
        assertTrue(StudioWebhookHandler.BUDGET.compareTo(Duration.ofSeconds(8)) <= 0,
                "two Twilio reads of 4 s at most must not be promised more than Studio waits");
    }

    @Test
    void theLogHasTheSidAndOutcomeButNoFormValues() throws Exception {
        String sid = startChat(FORM);
        ask(sid);
        ask(handlerAt(twilio, FRIDAY_EVENING), sid);

        List<JsonNode> lines = twilio.logs().lines();
        assertTrue(lines.stream().anyMatch(l -> sid.equals(l.path("conversationSid").asText())
                && "open".equals(l.path("outcome").asText())), twilio.logs().text());
        assertTrue(lines.stream().anyMatch(l -> "closed_hours".equals(l.path("outcome").asText())), twilio.logs().text());
        // Whole values: a bare number such as 4711 can turn up by chance in a request id or a duration.
        for (String value : List.of("Ada Lovelace", "ada@example.com", "Where is my order 4711?", "billing", "private")) {
            assertFalse(twilio.logs().text().contains(value), value + " leaked: " + twilio.logs().text());
        }
        assertFalse(twilio.logs().text().contains(ACCOUNT.authToken()));
    }

}
