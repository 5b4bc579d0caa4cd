package com.flexwebchat.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.SamLocalInvoke;
import com.flexwebchat.shared.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * events/refreshToken.json run as {@code sam local invoke TokenFunction -e ... --env-vars
 * env.example.json} would run it. Its token is signed with the emulator's development API secret
 * for the identity {@code events-visitor} (see events/README.md).
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

    static APIGatewayV2HTTPResponse invoke() {
        return SamLocalInvoke.invokeExample("TokenFunction", "refreshToken.json", twilio.baseUrl());
    }

    /** The chat the event's visitor is in, created the way events/README.md tells a user to. */
    static void startChatFor(String identity) throws Exception {
        String credentials = twilio.account().accountSid() + ":" + twilio.account().authToken();
        HttpRequest request = HttpRequest.newBuilder(URI.create(twilio.baseUrl() + "/flex-api/v2/WebChats"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("AddressSid=" + twilio.account().addressSid() + "&Identity=" + identity))
                .build();
        assertEquals(201, HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void refreshTokenIsRefusedWhileTheVisitorHasNoChatAndRenewedOnceItHasOne() throws Exception {
        APIGatewayV2HTTPResponse refused = invoke();
        assertEquals(403, refused.getStatusCode());
        assertEquals("token_refused", Json.parse(refused.getBody()).at("/error/code").asText());

        startChatFor("events-visitor");

        APIGatewayV2HTTPResponse renewed = invoke();
        assertEquals(200, renewed.getStatusCode(), renewed.getBody());
    }
}
