package com.flexwebchat.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.testing.Clients;
import com.flexwebchat.emulator.testing.SdkAgainstEmulator;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.conversations.v1.Conversation;
import com.twilio.rest.conversations.v1.conversation.Message;
import com.twilio.rest.flexapi.v2.WebChannels;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.flexwebchat.emulator.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Authentication, error shapes, fault injection, delays and the request journal. */
class EmulatorBehaviourTest extends SdkAgainstEmulator {

    @Test
    void servesOnLoopbackWithAnEphemeralPort() {
        assertTrue(emulator.port() > 0);
        assertEquals("http://127.0.0.1:" + emulator.port(), emulator.baseUrl());
    }

    @Test
    void rejectsWrongCredentialsWithTwilios401() throws Exception {
        TwilioRestClient wrong = Clients.sdk(emulator, account.accountSid(), "not-the-token");
        ApiException e = assertThrows(ApiException.class, () -> Conversation.creator().create(wrong));
        assertEquals(401, e.getStatusCode());
        assertEquals(20003, e.getCode());
        assertEquals("Authenticate", e.getMessage());

        HttpResponse<String> anonymous = Clients.raw(emulator, "GET", "/conversations/v1/Conversations", Map.of(), null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent());
        assertEquals(20003, Json.parse(anonymous.body()).get("code").asInt());

        assertTrue(emulator.requests("POST", "/conversations/v1/Conversations").stream().allMatch(r -> r.status() == 401));
    }

    @Test
    void acceptsApiKeyCredentials() {
        TwilioRestClient withKey = Clients.sdk(emulator, account.apiKey(), account.apiSecret());
        assertTrue(Sids.isSid("CH", Conversation.creator().create(withKey).getSid()));
        assertThrows(ApiException.class, () -> Conversation.creator()
                .create(Clients.sdk(emulator, account.apiKey(), account.authToken())));
    }

    @Test
    void anAccountSidInThePathMustBeTheAccounts() {
        String own = "/api/2010-04-01/Accounts/" + account.accountSid() + "/Calls";
        String foreign = "/api/2010-04-01/Accounts/" + Sids.random("AC") + "/Calls";
        assertEquals(404, Clients.raw(emulator, "GET", own, Map.of()).statusCode());
        assertEquals(401, Clients.raw(emulator, "GET", foreign, Map.of()).statusCode());
    }

    @Test
    void unknownRoutesAnswerTwiliosErrorShape() throws Exception {
        HttpResponse<String> response = Clients.raw(emulator, "GET", "/conversations/v1/Nothing/Here", Map.of());

        assertEquals(404, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = Json.parse(response.body());
        assertEquals(20404, body.get("code").asInt());
        assertEquals(404, body.get("status").asInt());
        assertEquals("https://www.twilio.com/docs/errors/20404", body.get("more_info").asText());
        assertEquals("The requested resource /v1/Nothing/Here was not found", body.get("message").asText());
        assertEquals(4, body.size());

        HttpResponse<String> wrongMethod = Clients.raw(emulator, "DELETE", "/flex-api/v2/WebChats", Map.of());
        assertEquals(405, wrongMethod.statusCode());
        assertEquals(20004, Json.parse(wrongMethod.body()).get("code").asInt());
    }

    @Test
    void injectedFailureAnswersTheErrorWithoutDoingTheOperation() {
        emulator.failNext("POST", "/flex-api/v2/WebChats", 429, 20429, 1);

        assertError(429, 20429, () -> WebChannels.creator(account.addressSid()).setIdentity("rl").create(client));
        assertTrue(emulator.requests("POST", "/conversations/v1/.*").isEmpty());
        assertThrows(ApiException.class, () -> com.twilio.rest.conversations.v1.User.fetcher("rl").fetch(client));

        // Used up: the next request goes through.
        assertEquals("rl", WebChannels.creator(account.addressSid()).setIdentity("rl").create(client).getIdentity());
    }

    @Test
    void sdkRetriesInjected5xxAnswers() {
        // twilio-java retries 5xx answers, 3 attempts in all.
        emulator.failNext("POST", "/conversations/v1/Conversations", 503, 20503, 1);
        Conversation.creator().create(client);
        assertEquals(List.of(503, 201), statuses("POST", "/conversations/v1/Conversations"));

        emulator.clearRequests();
        emulator.failNext(null, "/conversations/v1/Conversations", 500, 20500, 3);
        assertError(500, 20500, () -> Conversation.creator().create(client));
        assertEquals(List.of(500, 500, 500), statuses("POST", "/conversations/v1/Conversations"));
    }

    @Test
    void resetForgetsArmedFaults() {
        emulator.failNext("POST", ".*", 429, 20429, 5);
        emulator.delayNext("POST", ".*", Duration.ofSeconds(30), 5);
        emulator.reset();
        assertTrue(Sids.isSid("CH", Conversation.creator().create(client).getSid()));
    }

    @Test
    void aDelayedAnswerDoesNotHoldUpOthers() throws Exception {
        String sid = Conversation.creator().create(client).getSid();
        emulator.delayNext("GET", "/conversations/v1/Conversations/" + sid, Duration.ofMillis(1500), 1);

        long start = System.nanoTime();
        CompletableFuture<Conversation> slow = CompletableFuture.supplyAsync(() -> Conversation.fetcher(sid).fetch(client));
        Thread.sleep(200);
        Conversation.creator().create(client);
        long fastMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertFalse(slow.isDone(), "the delayed request answered early");
        assertEquals(sid, slow.get(10, TimeUnit.SECONDS).getSid());
        long slowMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(fastMillis < 1200, "the other request waited " + fastMillis + " ms");
        assertTrue(slowMillis >= 1500, "the delay was " + slowMillis + " ms");
    }

    @Test
    void journalRecordsWhatWasSentAndAnswered() throws Exception {
        String sid = Conversation.creator().create(client).getSid();
        Message.creator(sid).setAuthor("ada").setBody("Hi & bye").setAttributes("{\"a\":1}")
                .setXTwilioWebhookEnabled(Message.WebhookEnabledType.FALSE).create(client);

        List<RecordedRequest> posts = emulator.requests("POST", "/conversations/v1/Conversations/" + sid + "/Messages");
        assertEquals(1, posts.size());
        RecordedRequest post = posts.get(0);
        // Decoded in the order they were sent (twilio-java's own order is a HashMap's).
        List<String> wireOrder = java.util.Arrays.stream(post.body().split("&")).map(p -> p.split("=")[0]).toList();
        assertEquals(wireOrder, List.copyOf(post.form().keySet()));
        assertEquals(java.util.Set.of("Author", "Body", "Attributes"), post.form().keySet());
        assertEquals("Hi & bye", post.formValue("Body"));
        assertTrue(post.body().contains("Body=Hi+%26+bye"));
        assertEquals("false", post.headers().get("x-twilio-webhook-enabled").get(0));
        assertTrue(post.headers().keySet().stream().allMatch(name -> name.equals(name.toLowerCase())));
        assertEquals(201, post.status());
        assertEquals(sid, Json.parse(post.responseBody()).get("conversation_sid").asText());

        assertEquals(2, emulator.requests().size());
        assertEquals(2, emulator.requests(null, "/conversations/v1/Conversations.*").size());
        emulator.clearRequests();
        assertTrue(emulator.requests().isEmpty());
    }

    @Test
    void stateAccessorsRejectUnknownConversations() {
        assertTrue(emulator.conversation(Sids.random("CH")).isEmpty());
        assertTrue(emulator.chatChannel(Sids.random("CH")).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> emulator.messages(Sids.random("CH")));
        assertThrows(IllegalArgumentException.class, () -> emulator.closeConversation(Sids.random("CH")));
    }

    private static List<Integer> statuses(String method, String pathRegex) {
        return emulator.requests(method, pathRegex).stream().map(RecordedRequest::status).toList();
    }
}
