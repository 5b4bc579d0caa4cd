package com.flexwebchat.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.protection.BlockList;
import com.flexwebchat.shared.testing.Burst;
import com.flexwebchat.shared.testing.ClientEvents;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.LocalStore;
import com.flexwebchat.shared.testing.MovableClock;
import com.flexwebchat.shared.testing.PersonalData;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The abuse protections of {@code POST /refreshToken} through the real handler, the real SDK against
 * the emulator, and a real DynamoDB-compatible store (dynalite): the block list (address and
 * identity), the limit per visitor, and the store down.
 */
class RefreshTokenProtectionTest {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final Instant HALF_AN_HOUR_LATER = NOW.plusSeconds(1800);
    static final Clock CLOCK = Clock.fixed(HALF_AN_HOUR_LATER, ZoneOffset.UTC);
    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String LOOKUPS = "/conversations/v1/Services/" + ACCOUNT.conversationsServiceSid() + "/ParticipantConversations";

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass().clock(CLOCK).withStore();

    final PersonalData personal = new PersonalData();

    @AfterEach
    void nothingPersonalIsKept() {
        EmulatedTwilio.dynamo().resume();
        personal.assertNoneIn(EmulatedTwilio.dynamo().items(), twilio.logs().text());
    }

    static RefreshTokenHandler instance(Clock clock, Map<String, String> extra) {
        Map<String, String> env = twilio.environment();
        env.putAll(extra);
        return new RefreshTokenHandler(EmulatedTwilio.runtime(env, clock));
    }

    /** The visitor's token, issued when the chat started half an hour ago. */
    String tokenFor(String identity) {
        personal.used(identity);
        return new AccessTokenIssuer(ACCOUNT.accountSid(), ACCOUNT.apiKey(), ACCOUNT.apiSecret(), ACCOUNT.conversationsServiceSid(),
                Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC)).issue(identity).jwt();
    }

    APIGatewayV2HTTPResponse refresh(RefreshTokenHandler handler, String ip, String token) {
        return handler.handle(ClientEvents.from(personal.used(ip), HttpApiEvents.request("POST", "/refreshToken",
                        "/refreshToken", "", Map.of("origin", EmulatedTwilio.ORIGIN, "content-type", "application/json"),
                        Json.write(Json.object().put("token", token)), false)),
                new LocalContext("TokenFunction", Duration.ofSeconds(15)));
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) {
        try {
            return Json.parse(response.getBody());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void assertRefused(APIGatewayV2HTTPResponse response, int status, String code) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals(code, json(response).path("error").path("code").asText(), response.getBody());
    }

    WebChannels chat() {
        WebChannels chat = twilio.startChat();
        personal.used(chat.getIdentity());
        return chat;
    }

    // --- the block list -----------------------------------------------------------------------------------------

    @Test
    void aBlockedVisitorsTokenCannotBeRenewed() {
        WebChannels chat = chat();
        twilio.runtime().blockList().add(BlockList.Kind.IDENTITY, chat.getIdentity(), "harassed an agent", null);

        APIGatewayV2HTTPResponse response = refresh(instance(CLOCK, Map.of()), "198.51.100.30", tokenFor(chat.getIdentity()));

        assertRefused(response, 403, "blocked");
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void aBlockedAddressCannotRenewAnyToken() {
        WebChannels chat = chat();
        twilio.runtime().blockList().add(BlockList.Kind.IP, "2001:db8:bad::/48", "abuse", null);
        RefreshTokenHandler handler = instance(CLOCK, Map.of());

        assertRefused(refresh(handler, "2001:db8:bad::7", tokenFor(chat.getIdentity())), 403, "blocked");
        assertEquals(List.of(), twilio.emulator().requests());
        assertEquals(200, refresh(handler, "2001:db8:600d::7", tokenFor(chat.getIdentity())).getStatusCode());
    }

    @Test
    void aBlockReachesAnInstanceAlreadyRunningWithinTheRefresh() {
        WebChannels chat = chat();
        MovableClock clock = new MovableClock(HALF_AN_HOUR_LATER);
        RefreshTokenHandler running = instance(clock, Map.of("BLOCK_LIST_REFRESH", "PT3S"));
        String token = tokenFor(chat.getIdentity());
        assertEquals(200, refresh(running, "198.51.100.31", token).getStatusCode());

        twilio.runtime().blockList().add(BlockList.Kind.IDENTITY, chat.getIdentity(), "abuse", null);
        clock.advance(Duration.ofSeconds(3));
        twilio.emulator().clearRequests();

        assertRefused(refresh(running, "198.51.100.31", token), 403, "blocked");
        assertEquals(List.of(), twilio.emulator().requests());
    }

    // --- the limit per visitor ----------------------------------------------------------------------------------

    @Test
    void ofTenConcurrentRenewalsOverALimitOfThreeExactlyThreeAreRenewed() {
        WebChannels chat = chat();
        String token = tokenFor(chat.getIdentity());
        List<RefreshTokenHandler> instances = IntStream.range(0, 4)
                .mapToObj(i -> instance(CLOCK, Map.of("RATE_LIMIT_RENEWALS_PER_VISITOR", "3/PT1H"))).toList();

        List<APIGatewayV2HTTPResponse> responses = Burst.of(10, i -> refresh(instances.get(i % 4), "198.51.100.32", token));

        assertEquals(3, responses.stream().filter(r -> r.getStatusCode() == 200).count());
        List<APIGatewayV2HTTPResponse> limited = responses.stream().filter(r -> r.getStatusCode() == 429).toList();
        assertEquals(7, limited.size());
        for (APIGatewayV2HTTPResponse response : limited) {
            assertRefused(response, 429, "rate_limited");
            assertEquals("1800", response.getHeaders().get("Retry-After"), "until 11:00, the end of the clock hour");
        }
        assertEquals(3, twilio.emulator().requests("GET", LOOKUPS).size());
        assertEquals(3, twilio.emulator().requests().size(), "Twilio was asked only for the three renewed");

        WebChannels other = chat();
        assertEquals(200, refresh(instances.get(0), "198.51.100.32", tokenFor(other.getIdentity())).getStatusCode(),
                "another visitor from the same address is counted apart");
    }

    // --- the store down -----------------------------------------------------------------------------------------

    @Test
    void aTokenThatIsNotOursIsRefusedBeforeTheStoreIsAsked() {
        RefreshTokenHandler handler = instance(CLOCK, Map.of());
        String token = tokenFor("someone");
        int middle = token.length() - 20; // inside the signature, where every character's six bits count
        String forged = token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A') + token.substring(middle + 1);
        EmulatedTwilio.dynamo().pause();
        try {
            long started = System.nanoTime();
            assertRefused(refresh(handler, "198.51.100.33", forged), 403, "token_refused");
            assertTrue((System.nanoTime() - started) / 1_000_000 < WebChatRuntime.STORE_TIMEOUT.toMillis(), "no store call waited on");
        } finally {
            EmulatedTwilio.dynamo().resume();
        }
    }

    @Test
    void withTheStoreNotAnsweringTheTokenIsStillRenewedWithinItsBudget() {
        WebChannels chat = chat();
        RefreshTokenHandler handler = instance(CLOCK, Map.of());
        String token = tokenFor(chat.getIdentity());
        EmulatedTwilio.dynamo().pause();
        try {
            long started = System.nanoTime();
            APIGatewayV2HTTPResponse response = refresh(handler, "198.51.100.34", token);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(200, response.getStatusCode(), response.getBody());
            assertTrue(tookMillis < 2 * WebChatRuntime.STORE_TIMEOUT.toMillis() + 2_000, "took " + tookMillis + " ms");
        } finally {
            EmulatedTwilio.dynamo().resume();
        }
        String logs = twilio.logs().text();
        assertTrue(logs.contains("Block list not refreshed: the store did not answer"), logs);
        assertTrue(logs.contains("Limit not applied: the store did not answer"), logs);
    }

    @Test
    void withTheStoreGoneTheTokenIsStillRenewed() {
        WebChannels chat = chat();
        RefreshTokenHandler handler = instance(CLOCK, LocalStore.refusingEnvironment());

        assertEquals(200, refresh(handler, "198.51.100.35", tokenFor(chat.getIdentity())).getStatusCode());
        assertTrue(twilio.logs().text().contains("\"failOpen\":true"), twilio.logs().text());
    }
}
