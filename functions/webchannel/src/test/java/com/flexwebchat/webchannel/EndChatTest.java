package com.flexwebchat.webchannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /endChat} through the real handler, the real SDK, over HTTP to the emulator: chats
 * started by {@code /initWebchat}, sent to Flex the way Studio's Send to Flex does (an Interaction),
 * routed by the emulator's stand-in for TaskRouter.
 */
class EndChatTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final Map<String, String> BROWSER = Map.of("origin", EmulatedTwilio.ORIGIN, "content-type", "application/json");
    static final String CUSTOMER_LEFT = "The customer has left the chat";
    static final String INTERACTIONS = "/flex-api/v1/Interactions.*";

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass().clock(CLOCK)
            .with("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());

    // --- helpers -------------------------------------------------------------------------------------------

    record Chat(String token, String conversationSid) {
    }

    /** The function, on the class's Twilio. */
    static WebChannelHandler handler() {
        return new WebChannelHandler(twilio.runtime());
    }

    static APIGatewayV2HTTPResponse call(WebChannelHandler handler, String path, String body, Map<String, String> headers) {
        return handler.handle(HttpApiEvents.request("POST", path, path, "", headers, body, false),
                new LocalContext("WebChannelFunction", Duration.ofSeconds(10)));
    }

    APIGatewayV2HTTPResponse endChat(String body) {
        return call(handler(), "/endChat", body, BROWSER);
    }

    APIGatewayV2HTTPResponse endChat(Chat chat) {
        return endChat(tokenBody(chat.token()));
    }

    static String tokenBody(String token) {
        return Json.write(Json.object().put("token", token));
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.parse(response.getBody());
    }

    /** A chat as the widget starts it, without a first question (so the conversation holds only what /endChat posts). */
    Chat startChat(WebChannelHandler handler) throws Exception {
        APIGatewayV2HTTPResponse started = call(handler, "/initWebchat", "{\"formData\":{\"friendlyName\":\"Ada\"}}", BROWSER);
        assertEquals(200, started.getStatusCode());
        JsonNode body = json(started);
        return new Chat(body.get("token").asText(), body.get("conversationSid").asText());
    }

    Chat startChat() throws Exception {
        return startChat(handler());
    }

    /** Studio's Send to Flex: answers the task's SID. */
    String sendToFlex(Chat chat) {
        return twilio.sendToFlex(chat.conversationSid()).taskSid();
    }

    /** Sent to Flex, reserved for an agent who accepts it: answers the task's SID. */
    String assignToAnAgent(Chat chat) {
        String taskSid = sendToFlex(chat);
        twilio.emulator().routeTask(taskSid, "reserved");
        twilio.emulator().routeTask(taskSid, "assigned");
        return taskSid;
    }

    Map<String, Object> task(String taskSid) {
        return twilio.emulator().task(taskSid).orElseThrow();
    }

    JsonNode taskAttributes(String taskSid) throws Exception {
        return Json.parse(task(taskSid).get("attributes").toString());
    }

    String conversationState(Chat chat) {
        return twilio.emulator().conversation(chat.conversationSid()).orElseThrow().get("state").toString();
    }


    int indexOf(String method, String pathRegex) {
        List<RecordedRequest> all = twilio.emulator().requests();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).method().equals(method) && all.get(i).path().matches(pathRegex)) {
                return i;
            }
        }
        return -1;
    }

    void assertEnded(APIGatewayV2HTTPResponse response) throws Exception {
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(Json.parse("{\"ended\":true}"), json(response));
        assertEquals(EmulatedTwilio.ORIGIN, response.getHeaders().get("Access-Control-Allow-Origin"));
    }

    void assertNoticeFromConcierge(Chat chat) {
        List<Map<String, Object>> messages = twilio.emulator().messages(chat.conversationSid());
        assertEquals(1, messages.size(), messages.toString());
        assertEquals(CUSTOMER_LEFT, messages.get(0).get("body"));
        assertEquals("Concierge", messages.get(0).get("author"));
        RecordedRequest post = twilio.emulator().requests("POST", "/conversations/v1/.*Messages").get(0);
        assertNull(post.headers().get("x-twilio-webhook-enabled"), "webhooks off: no flow reacts to the notice");
    }

    // --- Flex Conversations --------------------------------------------------------------------------------

    @Test
    void anAssignedChatIsWrappedUpInFlexAndClosed() throws Exception {
        Chat chat = startChat();
        String taskSid = assignToAnAgent(chat);
        twilio.emulator().clearRequests();

        APIGatewayV2HTTPResponse response = endChat(chat);

        assertEnded(response);
        assertNoticeFromConcierge(chat);
        JsonNode attributes = taskAttributes(taskSid);
        String channelPath = "/flex-api/v1/Interactions/" + attributes.get("flexInteractionSid").asText()
                + "/Channels/" + attributes.get("flexInteractionChannelSid").asText();
        List<RecordedRequest> closes = twilio.emulator().requests("POST", channelPath);
        assertEquals(1, closes.size());
        assertEquals(Map.of("Status", List.of("closed")), closes.get(0).form(), "no Routing: assigned tasks go to wrapping");
        assertEquals("wrapping", task(taskSid).get("assignment_status"), "the agent can still wrap up");
        assertEquals("closed", conversationState(chat));

        RecordedRequest lookup = twilio.emulator()
                .requests("GET", "/taskrouter/v1/Workspaces/" + ACCOUNT.taskrouterWorkspaceSid() + "/Tasks").get(0);
        assertTrue(lookup.query().contains("EvaluateTaskAttributes=conversationSid"), lookup.query());
        assertTrue(indexOf("POST", "/conversations/v1/.*Messages") < indexOf("POST", channelPath),
                "the notice goes in before the interaction closes (closing makes the conversation read-only)");
        // Flex closes the conversation with the interaction; our own close then finds it closed and is done.
        assertTrue(twilio.logs().text().contains("Chat was closed already"));
    }

    @Test
    void aPendingChatIsCanceledInFlex() throws Exception {
        Chat chat = startChat();
        String taskSid = sendToFlex(chat);
        twilio.emulator().clearRequests();

        assertEnded(endChat(chat));

        assertEquals("canceled", task(taskSid).get("assignment_status"));
        assertEquals("closed", conversationState(chat));
        assertNoticeFromConcierge(chat);
    }

    @Test
    void aReservedChatIsCanceledInFlex() throws Exception {
        Chat chat = startChat();
        String taskSid = sendToFlex(chat);
        twilio.emulator().routeTask(taskSid, "reserved");

        assertEnded(endChat(chat));

        assertEquals("canceled", task(taskSid).get("assignment_status"));
        assertEquals("closed", conversationState(chat));
    }

    @Test
    void aChatThatNeverReachedFlexIsJustClosed() throws Exception {
        Chat chat = startChat();
        twilio.emulator().clearRequests();

        assertEnded(endChat(chat));

        assertNoticeFromConcierge(chat);
        assertEquals("closed", conversationState(chat));
        assertEquals(List.of(), twilio.emulator().requests(null, INTERACTIONS), "no task, so no interaction to close");
        List<RecordedRequest> closes = twilio.emulator().requests("POST",
                "/conversations/v1/Services/" + ACCOUNT.conversationsServiceSid() + "/Conversations/" + chat.conversationSid());
        assertEquals(1, closes.size());
        assertEquals(Map.of("State", List.of("closed")), closes.get(0).form());
        assertTrue(twilio.logs().text().contains("\"Chat closed\""));
    }

    @Test
    void endingAnEndedChatAnswersTheSameAndWritesNothing() throws Exception {
        Chat chat = startChat();
        String taskSid = assignToAnAgent(chat);
        assertEnded(endChat(chat));
        twilio.emulator().clearRequests();

        APIGatewayV2HTTPResponse again = endChat(chat);

        assertEnded(again);
        assertEquals(List.of(), twilio.emulator().writes(), "no second notice, no second close");
        assertEquals(1, twilio.emulator().messages(chat.conversationSid()).size());
        assertEquals("wrapping", task(taskSid).get("assignment_status"));
    }

    @Test
    void aChatClosedByItsTimerIsAlreadyEnded() throws Exception {
        Chat chat = startChat();
        twilio.emulator().closeConversation(chat.conversationSid());
        twilio.emulator().clearRequests();

        assertEnded(endChat(chat));
        assertEquals(List.of(), twilio.emulator().writes());
    }

    @Test
    void theNoticeAndTheTaskLookupRunAtTheSameTime() throws Exception {
        Chat chat = startChat();
        sendToFlex(chat);
        endChat(tokenBody("warm.up.token")); // classes, so only the delays are timed
        twilio.emulator().clearRequests();
        twilio.emulator().delayNext("POST", "/conversations/v1/.*Messages", Duration.ofMillis(500), 1);
        twilio.emulator().delayNext("GET", "/taskrouter/v1/Workspaces/.*/Tasks", Duration.ofMillis(500), 1);

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response = endChat(chat);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEnded(response);
        assertTrue(tookMillis >= 500, tookMillis + " ms");
        assertTrue(tookMillis < 900, "the task lookup overlapped the notice (1,000 ms one after the other): " + tookMillis + " ms");
    }

    @Test
    void withoutAWorkspaceTheFlexTaskIsLeftToFlexAndTheChatStillCloses() throws Exception {
        Map<String, String> env = twilio.environment();
        env.remove("TASKROUTER_WORKSPACE_SID");
        WebChannelHandler noWorkspace = new WebChannelHandler(EmulatedTwilio.runtime(env, CLOCK));
        Chat chat = startChat(noWorkspace);
        String taskSid = sendToFlex(chat);
        twilio.emulator().clearRequests();

        APIGatewayV2HTTPResponse response = call(noWorkspace, "/endChat", tokenBody(chat.token()), BROWSER);

        assertEnded(response);
        assertEquals(List.of(), twilio.emulator().requests(null, "/taskrouter/.*"));
        assertEquals(List.of(), twilio.emulator().requests(null, INTERACTIONS));
        assertEquals("pending", task(taskSid).get("assignment_status"));
        assertEquals("closed", conversationState(chat));
        JsonNode warning = twilio.logs().lines().stream()
                .filter(l -> l.path("message").asText().startsWith("TASKROUTER_WORKSPACE_SID is not set"))
                .findFirst().orElseThrow();
        assertEquals("WARN", warning.get("level").asText());
    }

    // --- refusals ------------------------------------------------------------------------------------------

    @Test
    void aTamperedTokenIsRefusedWithoutCallingTwilio() throws Exception {
        Chat chat = startChat();
        twilio.emulator().clearRequests();
        String[] parts = chat.token().split("\\.");
        String claims = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.replace("\"identity\":\"", "\"identity\":\"x").getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];

        assertRefused(endChat(tokenBody(forged)));
        assertTrue(twilio.logs().text().contains("BAD_SIGNATURE"));
    }

    @Test
    void anExpiredTokenIsRefusedWithoutCallingTwilio() throws Exception {
        Chat chat = startChat();
        twilio.emulator().clearRequests();
        WebChannelHandler later = new WebChannelHandler(EmulatedTwilio.runtime(twilio.environment(),
                Clock.fixed(NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC)));

        assertRefused(call(later, "/endChat", tokenBody(chat.token()), BROWSER));
        assertTrue(twilio.logs().text().contains("EXPIRED"));
        assertEquals("active", conversationState(chat));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefusedWithoutCallingTwilio() throws Exception {
        Chat chat = startChat();
        twilio.emulator().clearRequests();
        String identity = twilio.emulator().participants(chat.conversationSid()).get(0).get("identity").toString();
        String otherKey = new AccessTokenIssuer(ACCOUNT.accountSid(), "SK" + "1".repeat(32), "another secret",
                ACCOUNT.conversationsServiceSid(), Duration.ofHours(1), CLOCK).issue(identity).jwt();

        assertRefused(endChat(tokenBody(otherKey)));
        assertEquals("active", conversationState(chat));
    }

    void assertRefused(APIGatewayV2HTTPResponse response) throws Exception {
        assertEquals(403, response.getStatusCode());
        assertEquals("token_refused", json(response).at("/error/code").asText());
        assertEquals(List.of(), twilio.emulator().requests(), "no Twilio call for a refused token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"token\":\"\"}", "{\"token\":42}", "{\"token\":null}", ""})
    void aMissingTokenIsABadRequest(String body) throws Exception {
        APIGatewayV2HTTPResponse response = endChat(body);

        assertEquals(400, response.getStatusCode());
        JsonNode error = json(response).get("error");
        assertEquals("invalid_field", error.get("code").asText());
        assertEquals("token", error.get("field").asText());
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void aDisallowedOriginIsRefusedWithoutCallingTwilio() throws Exception {
        Chat chat = startChat();
        twilio.emulator().clearRequests();

        APIGatewayV2HTTPResponse response = call(handler(), "/endChat", tokenBody(chat.token()),
                Map.of("origin", "https://evil.example", "content-type", "application/json"));

        assertEquals(403, response.getStatusCode());
        assertEquals("origin_not_allowed", json(response).at("/error/code").asText());
        assertEquals(List.of(), twilio.emulator().requests());
        assertEquals("active", conversationState(chat));
    }

    @Test
    void anUnknownRouteIsNotFound() throws Exception {
        APIGatewayV2HTTPResponse response = call(handler(), "/closeChat", "{}", BROWSER);
        assertEquals(404, response.getStatusCode());
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void aStagePrefixBeforeTheRouteIsFine() throws Exception {
        Chat chat = startChat();
        assertEnded(call(handler(), "/prod/endChat", tokenBody(chat.token()), BROWSER));
    }

    // --- Twilio failing ------------------------------------------------------------------------------------

    @Test
    void twilioFailingIsA502() throws Exception {
        Chat chat = startChat();
        twilio.emulator().clearRequests();
        twilio.emulator().failNext("POST", "/conversations/v1/.*Messages", 500, 20500, 1);

        APIGatewayV2HTTPResponse response = endChat(chat);

        assertEquals(502, response.getStatusCode());
        assertEquals("twilio_error", json(response).at("/error/code").asText());
    }

    @Test
    void aFailingTaskLookupIsA502AndTheConversationStaysOpenForARetry() throws Exception {
        Chat chat = startChat();
        sendToFlex(chat);
        twilio.emulator().failNext("GET", "/taskrouter/v1/Workspaces/.*/Tasks", 503, 20503, 2);

        APIGatewayV2HTTPResponse response = endChat(chat);

        assertEquals(502, response.getStatusCode());
        assertEquals("active", conversationState(chat));
    }

    // --- logs ----------------------------------------------------------------------------------------------

    @Test
    void logsCarryTheConversationButNeverTheToken() throws Exception {
        Chat chat = startChat();
        endChat(chat);

        String text = twilio.logs().text();
        assertFalse(text.contains(chat.token()));
        assertFalse(text.contains(chat.token().split("\\.")[2]));
        JsonNode completed = twilio.logs().lines().stream()
                .filter(l -> l.path("message").asText().equals("Request completed")
                        && l.path("route").asText().equals("POST /endChat"))
                .findFirst().orElseThrow();
        assertEquals(chat.conversationSid(), completed.path("conversationSid").asText());
        assertEquals(200, completed.path("status").asInt());
    }

}
