package com.flexwebchat.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The Studio webhook's events/ files run as {@code sam local invoke StudioWebhookFunction -e ...
 * --env-vars env.example.json} would run them. They are signed with the emulator's auth token
 * (events/README.md), for the URL API Gateway's headers in them describe.
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
        return SamLocalInvoke.invokeExample("StudioWebhookFunction", event, twilio.baseUrl());
    }

    @Test
    void aSignedRequestIsAnsweredForItsConversation() throws Exception {
        APIGatewayV2HTTPResponse response = invoke("webhooks-studio.json");

        // The event's conversation is not in a fresh emulator: the signature passed and Twilio was asked.
        assertEquals(404, response.getStatusCode(), response.getBody());
        assertEquals("conversation_not_found", Json.parse(response.getBody()).at("/error/code").asText());
        assertEquals(1, twilio.requests("GET", "/conversations/v1/Services/.*/Conversations/CH00112233445566778899aabbccddeeff").size());
    }

    @Test
    void aTamperedBodyIsRefusedWithoutAskingTwilio() throws Exception {
        APIGatewayV2HTTPResponse response = invoke("webhooks-studio-bad-signature.json");

        assertEquals(403, response.getStatusCode());
        assertEquals(List.of(), twilio.requests());
    }
}
