package com.flexwebchat.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.SamLocalInvoke;
import com.flexwebchat.shared.json.Json;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Conversations webhook's events/ files run as {@code sam local invoke
 * ConversationsWebhookFunction -e ... --env-vars env.example.json} would run them, signed with the
 * emulator's auth token (events/README.md).
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
        return SamLocalInvoke.invokeExample("ConversationsWebhookFunction", event, twilio.baseUrl());
    }


    @Test
    void aCardNumberInAMessageIsMaskedBeforeItIsStored() throws Exception {
        APIGatewayV2HTTPResponse response = invoke("webhooks-conversations-onMessageAdd.json");

        assertEquals(200, response.getStatusCode(), response.getBody());
        String body = Json.parse(response.getBody()).get("body").asText();
        assertEquals("My card is •••• •••• •••• 1111, can you check my order?", body);
        assertFalse(response.getBody().contains("4111 1111"));
        assertEquals(List.of(), twilio.writes());
    }

    @Test
    void aParticipantWithoutAWorkerIsNotAnAgent() {
        APIGatewayV2HTTPResponse response = invoke("webhooks-conversations-onParticipantAdded.json");

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(List.of(), twilio.writes());
    }

    @Test
    void anotherEventIsAcknowledgedAndNothingElse() {
        APIGatewayV2HTTPResponse response = invoke("webhooks-conversations-onConversationUpdated.json");

        assertEquals(200, response.getStatusCode());
        assertEquals(List.of(), twilio.requests());
    }
}
