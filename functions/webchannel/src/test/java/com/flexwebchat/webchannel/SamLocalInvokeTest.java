package com.flexwebchat.webchannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.SamLocalInvoke;
import com.flexwebchat.shared.json.Json;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each events/ file for this function, run as {@code sam local invoke WebChannelFunction -e ...
 * --env-vars env.example.json} would run it: the handler template.yaml names, its no-argument
 * constructor, the event through the runtime's deserialiser, with the Twilio base URL pointed at
 * an emulator on this machine.
 */
class SamLocalInvokeTest {

    static TwilioEmulator twilio;

    @BeforeAll
    static void start() {
        twilio = TwilioEmulator.start(0);
    }

    @AfterAll
    static void stop() {
        twilio.close();
    }

    @BeforeEach
    void clear() {
        twilio.clearRequests();
    }

    static APIGatewayV2HTTPResponse invoke(String event) {
        return SamLocalInvoke.invokeExample("WebChannelFunction", event, twilio.baseUrl());
    }

    @Test
    void initWebchatStartsAChat() throws Exception {
        APIGatewayV2HTTPResponse response = invoke("initWebchat.json");

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = Json.parse(response.getBody());
        assertTrue(twilio.conversation(body.get("conversationSid").asText()).isPresent());
        assertEquals(2, twilio.messages(body.get("conversationSid").asText()).size());
    }

    @Test
    void aDisallowedOriginIsRefused() throws Exception {
        APIGatewayV2HTTPResponse response = invoke("initWebchat-disallowed-origin.json");

        assertEquals(403, response.getStatusCode());
        assertEquals("origin_not_allowed", Json.parse(response.getBody()).at("/error/code").asText());
        assertEquals(List.of(), twilio.requests());
    }

    @Test
    void anInvalidEmailIsRefused() throws Exception {
        APIGatewayV2HTTPResponse response = invoke("initWebchat-invalid-email.json");

        assertEquals(400, response.getStatusCode());
        assertEquals("formData.email", Json.parse(response.getBody()).at("/error/field").asText());
        assertEquals(List.of(), twilio.requests());
    }

    @Test
    void endChatEndsTheVisitorsChatOnceAndThenAnswersTheSame() throws Exception {
        APIGatewayV2HTTPResponse nothingToEnd = invoke("endChat.json");
        assertEquals(200, nothingToEnd.getStatusCode(), nothingToEnd.getBody());
        assertEquals(Json.parse("{\"ended\":true}"), Json.parse(nothingToEnd.getBody()));
        assertEquals(List.of(), twilio.writes());

        // The event's token belongs to "events-visitor" (events/README.md): give that identity a chat.
        String credentials = twilio.account().accountSid() + ":" + twilio.account().authToken();
        java.net.http.HttpResponse<String> created = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(twilio.baseUrl() + "/flex-api/v2/WebChats"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(credentials.getBytes()))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "AddressSid=" + twilio.account().addressSid() + "&Identity=events-visitor"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        String conversationSid = Json.parse(created.body()).get("conversation_sid").asText();

        APIGatewayV2HTTPResponse ended = invoke("endChat.json");

        assertEquals(200, ended.getStatusCode(), ended.getBody());
        assertEquals("closed", twilio.conversation(conversationSid).orElseThrow().get("state"));
        assertEquals("The customer has left the chat", twilio.messages(conversationSid).get(0).get("body"));
    }
}
