package com.flexwebchat.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.EmulatedTwilio.OwnEmulator;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.flexwebchat.shared.token.AccessTokenVerifier;
import com.twilio.rest.conversations.v1.service.ConversationUpdater;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /refreshToken} through the real handler, the real SDK, over HTTP to the emulator. */
class RefreshTokenTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Clock HALF_AN_HOUR_LATER = Clock.fixed(NOW.plusSeconds(1800), ZoneOffset.UTC);
    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass().clock(HALF_AN_HOUR_LATER);

    static String tokenFor(String identity, String accountSid, String apiKey, String apiSecret, String serviceSid) {
        return new AccessTokenIssuer(accountSid, apiKey, apiSecret, serviceSid, Duration.ofHours(1), CLOCK)
                .issue(identity).jwt();
    }

    static String tokenFor(String identity) {
        return tokenFor(identity, ACCOUNT.accountSid(), ACCOUNT.apiKey(), ACCOUNT.apiSecret(), ACCOUNT.conversationsServiceSid());
    }

    /** The function, on the class's Twilio. */
    static RefreshTokenHandler handler() {
        return new RefreshTokenHandler(twilio.runtime());
    }

    static APIGatewayV2HTTPResponse refresh(RefreshTokenHandler handler, String body, String origin) {
        return handler.handle(HttpApiEvents.request("POST", "/refreshToken", "/refreshToken", "",
                Map.of("origin", origin, "content-type", "application/json"), body, false),
                new LocalContext("TokenFunction", Duration.ofSeconds(6)));
    }

    static APIGatewayV2HTTPResponse refresh(String token) {
        return refresh(handler(), "{\"token\":\"" + token + "\"}", EmulatedTwilio.ORIGIN);
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.parse(response.getBody());
    }

    static void assertRefused(APIGatewayV2HTTPResponse response, String reason) throws Exception {
        assertEquals(403, response.getStatusCode());
        assertEquals("token_refused", json(response).get("error").get("code").asText());
        assertTrue(twilio.logs().text().contains("\"reason\":\"" + reason + "\""), twilio.logs().text());
    }

    @Test
    void renewsTheTokenForTheSameIdentityWhileTheChatIsOpen() throws Exception {
        WebChannels chat = twilio.startChat();

        APIGatewayV2HTTPResponse response = refresh(tokenFor(chat.getIdentity()));

        assertEquals(200, response.getStatusCode());
        JsonNode body = json(response);
        assertEquals(2, body.size());
        assertEquals(NOW.plusSeconds(1800 + 3600).toEpochMilli(), body.get("expiration").asLong());
        AccessTokenVerifier verifier = new AccessTokenVerifier(ACCOUNT.accountSid(), ACCOUNT.apiKey(),
                ACCOUNT.apiSecret(), ACCOUNT.conversationsServiceSid(), HALF_AN_HOUR_LATER);
        assertEquals(chat.getIdentity(), verifier.verify(body.get("token").asText()));
        assertNotEquals(tokenFor(chat.getIdentity()), body.get("token").asText());
        assertEquals(1, twilio.emulator().requests("GET", "/conversations/v1/Services/.*/ParticipantConversations").size());
        assertEquals(EmulatedTwilio.ORIGIN, response.getHeaders().get("Access-Control-Allow-Origin"));
    }

    @Test
    void refusesATamperedTokenWithoutAskingTwilio() throws Exception {
        WebChannels chat = twilio.startChat();
        String token = tokenFor(chat.getIdentity());
        String[] parts = token.split("\\.");
        String other = tokenFor("someone-else").split("\\.")[1];

        assertRefused(refresh(parts[0] + "." + other + "." + parts[2]), "BAD_SIGNATURE");
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        WebChannels chat = twilio.startChat();
        RefreshTokenHandler later = new RefreshTokenHandler(EmulatedTwilio.runtime(
                twilio.environment(), Clock.fixed(NOW.plusSeconds(3601), ZoneOffset.UTC)));

        assertRefused(refresh(later, "{\"token\":\"" + tokenFor(chat.getIdentity()) + "\"}", EmulatedTwilio.ORIGIN), "EXPIRED");
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void refusesATokenSignedWithAnotherSecret() throws Exception {
        WebChannels chat = twilio.startChat();
        assertRefused(refresh(tokenFor(chat.getIdentity(), ACCOUNT.accountSid(), ACCOUNT.apiKey(),
                "another-api-secret-0123456789abc", ACCOUNT.conversationsServiceSid())), "BAD_SIGNATURE");
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void refusesATokenIssuedByAnotherKey() throws Exception {
        WebChannels chat = twilio.startChat();
        assertRefused(refresh(tokenFor(chat.getIdentity(), ACCOUNT.accountSid(), "SK" + "9".repeat(32),
                ACCOUNT.apiSecret(), ACCOUNT.conversationsServiceSid())), "ANOTHER_API_KEY");
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void refusesATokenForAnotherAccount() throws Exception {
        WebChannels chat = twilio.startChat();
        assertRefused(refresh(tokenFor(chat.getIdentity(), "AC" + "9".repeat(32), ACCOUNT.apiKey(),
                ACCOUNT.apiSecret(), ACCOUNT.conversationsServiceSid())), "ANOTHER_ACCOUNT");
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void refusesATokenForAnotherChatService() throws Exception {
        WebChannels chat = twilio.startChat();
        assertRefused(refresh(tokenFor(chat.getIdentity(), ACCOUNT.accountSid(), ACCOUNT.apiKey(),
                ACCOUNT.apiSecret(), "IS" + "9".repeat(32))), "ANOTHER_SERVICE");
    }

    @Test
    void refusesOnceTheConversationIsClosed() throws Exception {
        WebChannels chat = twilio.startChat();
        twilio.emulator().closeConversation(chat.getConversationSid());

        assertRefused(refresh(tokenFor(chat.getIdentity())), "CHAT_ENDED");
        assertEquals(1, twilio.emulator().requests().size());
    }

    @Test
    void refusesAnIdentityWithNoConversation() throws Exception {
        assertRefused(refresh(tokenFor("never-chatted")), "CHAT_ENDED");
    }

    @Test
    void aMissingTokenIsBadInputAndNothingIsAsked() throws Exception {
        for (String body : new String[] {"{}", "{\"token\":42}", "{\"token\":\"\"}"}) {
            APIGatewayV2HTTPResponse response = refresh(handler(), body, EmulatedTwilio.ORIGIN);
            assertEquals(400, response.getStatusCode(), body);
            assertEquals("token", json(response).get("error").get("field").asText());
        }
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void aDisallowedOriginIsRefusedWithoutCallingTwilio() throws Exception {
        WebChannels chat = twilio.startChat();
        APIGatewayV2HTTPResponse response = refresh(handler(), "{\"token\":\"" + tokenFor(chat.getIdentity()) + "\"}",
                "https://evil.example");
        assertEquals(403, response.getStatusCode());
        assertEquals("origin_not_allowed", json(response).get("error").get("code").asText());
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void twilioFailingIsA502NotARefusal() throws Exception {
        WebChannels chat = twilio.startChat();
        twilio.emulator().failNext("GET", "/conversations/v1/Services/.*/ParticipantConversations", 503, 20503, 5);

        APIGatewayV2HTTPResponse response = refresh(tokenFor(chat.getIdentity()));

        assertEquals(502, response.getStatusCode());
        assertEquals(2, twilio.emulator().requests().size(), "a read is retried once after a 5xx");
    }

    @Test
    void theLogNeverHoldsTheTokens() throws Exception {
        WebChannels chat = twilio.startChat();
        String presented = tokenFor(chat.getIdentity());
        String renewed = json(refresh(presented)).get("token").asText();

        assertFalse(twilio.logs().text().contains(presented.split("\\.")[2]));
        assertFalse(twilio.logs().text().contains(renewed.split("\\.")[2]));
        assertFalse(twilio.logs().text().contains(ACCOUNT.apiSecret()));
    }

    @Test
    @OwnEmulator // it moves the emulator's clock forward
    void refusesOnceTwilioClosedTheChatOnItsTimer() throws Exception {
        WebChannels chat = twilio.startChat();
        twilio.runtime().twilio().call("set the closed timer", client -> new ConversationUpdater(
                ACCOUNT.conversationsServiceSid(), chat.getConversationSid()).setTimersClosed("PT10M").update(client));
        String token = tokenFor(chat.getIdentity());
        assertEquals(200, refresh(token).getStatusCode());

        twilio.emulator().advanceClock(Duration.ofMinutes(11));

        assertRefused(refresh(token), "CHAT_ENDED");
    }
}
