package com.flexwebchat.emulator.webhooks;

import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.emulator.WebhookDelivery;
import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.Timestamps;
import com.flexwebchat.emulator.testing.Clients;
import com.flexwebchat.emulator.testing.WebhookReceiver;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.conversations.v1.Conversation;
import com.twilio.rest.conversations.v1.conversation.Message;
import com.twilio.rest.conversations.v1.conversation.Participant;
import com.twilio.rest.conversations.v1.service.configuration.Webhook;
import com.twilio.security.RequestValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.flexwebchat.emulator.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The webhooks the emulator sends as Twilio: their configuration through the SDK, which changes fire which events,
 * pre-event answers that modify or reject a message, and signatures. A JDK HTTP server on 127.0.0.1 receives them.
 */
class WebhooksTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static WebhookReceiver receiver;
    private TwilioEmulator emulator;
    private TwilioRestClient client;
    private String service;

    @BeforeAll
    static void startReceiver() {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    /** A fresh emulator per test: webhook configuration is state. */
    @BeforeEach
    void start() {
        emulator = TwilioEmulator.start(0);
        client = Clients.sdk(emulator);
        service = emulator.account().conversationsServiceSid();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void configurationThroughTheSdk() {
        Webhook updated = Webhook.updater(service).setPreWebhookUrl("https://example.com/pre")
                .setPostWebhookUrl("https://example.com/post").setFilters(List.of("onMessageAdd", "onMessageAdded"))
                .setMethod("post").update(client);

        assertEquals(List.of("onMessageAdd", "onMessageAdded"), updated.getFilters());
        assertEquals(Webhook.Method.POST, updated.getMethod());
        Webhook fetched = Webhook.fetcher(service).fetch(client);
        assertEquals("https://example.com/pre", fetched.getPreWebhookUrl().toString());
        assertEquals("https://conversations.twilio.com/v1/Services/" + service + "/Configuration/Webhooks",
                fetched.getUrl().toString());
        // Filters is a list parameter: the SDK repeats the form key.
        RecordedRequest update = emulator.requests("POST", ".*/Configuration/Webhooks").get(0);
        assertEquals(List.of("onMessageAdd", "onMessageAdded"), update.form().get("Filters"));

        com.twilio.rest.conversations.v1.configuration.Webhook global = com.twilio.rest.conversations.v1.configuration
                .Webhook.updater().setTarget(com.twilio.rest.conversations.v1.configuration.Webhook.Target.FLEX)
                .setFilters("onParticipantAdded").update(client);
        assertEquals(com.twilio.rest.conversations.v1.configuration.Webhook.Target.FLEX, global.getTarget());
        assertNull(com.twilio.rest.conversations.v1.configuration.Webhook.fetcher().fetch(client).getPostWebhookUrl());

        assertError(400, 50055, () -> Webhook.updater(service).setMethod("PUT").update(client));
        assertError(400, 20001, () -> Webhook.updater(service).setFilters("onEverything").update(client));
        assertEquals(400, Clients.raw(emulator, "POST", "/conversations/v1/Services/" + service + "/Configuration/Webhooks",
                Map.of("PreWebhookUrl", List.of("not a url"))).statusCode());
        assertEquals(404, Clients.raw(emulator, "GET", "/conversations/v1/Services/" + Sids.random("IS")
                + "/Configuration/Webhooks", Map.of()).statusCode());
    }

    @Test
    void preEventWebhookModifiesTheMessage() {
        configure("/modify", "/posted", "onMessageAdd", "onMessageAdded");
        receiver.answer("/modify", 200, "{\"body\":\"[redacted]\",\"attributes\":\"{\\\"checked\\\":true}\"}");
        String sid = conversationWith("gus");

        Message message = Message.creator(sid).setAuthor("gus").setBody("my card is 4111").setAttributes("{\"a\":1}")
                .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE).create(client);

        assertEquals("[redacted]", message.getBody());
        assertEquals("{\"checked\":true}", message.getAttributes());
        assertEquals("gus", message.getAuthor(), "fields the answer leaves out stay as sent");
        assertEquals("[redacted]", emulator.messages(sid).get(0).get("body"));
        WebhookReceiver.Received pre = receiver.received("/modify").get(0);
        assertEquals("onMessageAdd", pre.param("EventType"));
        assertEquals("my card is 4111", pre.param("Body"));
        assertEquals("gus", pre.param("Author"));
        assertEquals("{\"a\":1}", pre.param("Attributes"));
        assertEquals(sid, pre.param("ConversationSid"));
        assertEquals(emulator.participants(sid).get(0).get("sid"), pre.param("ParticipantSid"));
        assertEquals("API", pre.param("Source"));
        assertEquals(emulator.account().accountSid(), pre.param("AccountSid"));
        assertEquals(service, pre.param("ChatServiceSid"));
        assertNull(pre.param("MessageSid"), "the message has no SID before it is added");

        emulator.awaitWebhooks(WAIT);
        assertEquals("[redacted]", receiver.received("/posted").get(0).param("Body"));
    }

    @Test
    void preEventWebhookAnsweringEmptyKeepsTheMessage() {
        configure("/empty", null, "onMessageAdd");
        receiver.answer("/empty", 200, "");
        String sid = conversationWith("gus");

        Message message = Message.creator(sid).setAuthor("gus").setBody("as is")
                .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE).create(client);

        assertEquals("as is", message.getBody());
        assertEquals(1, receiver.received("/empty").size());
    }

    @Test
    void preEventWebhookRejectsTheMessage() {
        configure("/reject", "/reject-post", "onMessageAdd", "onMessageAdded");
        receiver.answer("/reject", 403, "");
        String sid = conversationWith("hal");

        ApiException e = assertThrows(ApiException.class, () -> Message.creator(sid).setAuthor("hal").setBody("spam")
                .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE).create(client));

        assertEquals(400, e.getStatusCode());
        assertEquals(20001, e.getCode());
        assertTrue(e.getMessage().contains("onMessageAdd") && e.getMessage().contains("403"), e.getMessage());
        assertTrue(emulator.messages(sid).isEmpty());
        emulator.awaitWebhooks(WAIT);
        assertTrue(receiver.received("/reject-post").isEmpty());
        assertEquals(List.of(), emulator.contractViolations());
    }

    @Test
    void aPreEventReceiverMayCallTheApiMeanwhile() {
        configure("/callback", null, "onMessageAdd");
        receiver.answer("/callback", request -> {
            // The backend answering a pre-event webhook typically reads the conversation first.
            String conversation = Conversation.fetcher(request.param("ConversationSid")).fetch(client).getSid();
            return new WebhookReceiver.Answer(200, "{\"body\":\"seen " + conversation.substring(0, 2) + "\"}");
        });
        String sid = conversationWith("ida");

        Message message = Message.creator(sid).setAuthor("ida").setBody("hi")
                .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE).create(client);

        assertEquals("seen CH", message.getBody());
    }

    @Test
    void postEventsAreSignedAsTwilioSignsThem() throws Exception {
        configure(null, "/signed", "onMessageAdded");
        String sid = conversationWith("jo");

        Message message = Message.creator(sid).setAuthor("jo").setBody("hello").setAttributes("{\"k\":\"v\"}")
                .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE).create(client);
        emulator.awaitWebhooks(WAIT);

        WebhookReceiver.Received post = receiver.received("/signed").get(0);
        assertEquals("POST", post.method());
        assertTrue(post.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
        assertNotNull(post.header("I-Twilio-Idempotency-Token"));
        Map<String, String> params = new LinkedHashMap<>();
        post.form().forEach((name, values) -> params.put(name, values.get(0)));
        assertTrue(new RequestValidator(emulator.account().authToken())
                .validate(receiver.url("/signed"), params, post.header("X-Twilio-Signature")));
        assertFalse(new RequestValidator("another-token")
                .validate(receiver.url("/signed"), params, post.header("X-Twilio-Signature")));

        assertEquals("onMessageAdded", params.get("EventType"));
        assertEquals(message.getSid(), params.get("MessageSid"));
        assertEquals("0", params.get("Index"));
        assertEquals("hello", params.get("Body"));
        assertEquals("jo", params.get("Author"));
        assertEquals("{\"k\":\"v\"}", params.get("Attributes"));
        assertEquals(message.getParticipantSid(), params.get("ParticipantSid"));
        assertEquals(Timestamps.format(message.getDateCreated().toInstant()), params.get("DateCreated"));
        assertEquals("API", params.get("Source"));

        WebhookDelivery delivery = emulator.webhookDeliveries().get(0);
        assertEquals(receiver.url("/signed"), delivery.url());
        assertEquals(200, delivery.status());
        assertEquals(post.header("X-Twilio-Signature"), delivery.signature());
    }

    /**
     * The documented rule: the URL, then each POST parameter as name and value with no delimiters, sorted by name
     * in "Unix-style case-sensitive sorting order" (upper case before lower case). A repeated name is appended once
     * per value, values sorted, as twilio-python's RequestValidator does; twilio-java's takes one value per name,
     * so it checks the single-valued case only.
     */
    @Test
    void repeatedKeysAreSignedOncePerValueInSortedOrder() throws Exception {
        String token = emulator.account().authToken();
        String url = receiver.url("/studio?flow=1");
        Map<String, List<String>> repeated = new LinkedHashMap<>();
        repeated.put("b", List.of("2", "1"));
        repeated.put("a", List.of("x"));
        repeated.put("B", List.of("z"));

        String expected = hmacSha1(token, url + "Bz" + "ax" + "b1" + "b2");
        assertEquals(expected, TwilioEmulator.signature(token, url, repeated));

        WebhookDelivery delivery = emulator.send(url, repeated);
        assertEquals(expected, delivery.signature());
        WebhookReceiver.Received studio = receiver.received("/studio").get(0);
        assertEquals(List.of("2", "1"), studio.form().get("b"), "sent in the caller's order; only the signature sorts");
        assertEquals(expected, studio.header("X-Twilio-Signature"));

        Map<String, List<String>> single = Map.of("CallSid", List.of("CA1234567890ABCDE"), "Digits", List.of("1234"));
        assertTrue(new RequestValidator(token).validate(url,
                Map.of("CallSid", "CA1234567890ABCDE", "Digits", "1234"), TwilioEmulator.signature(token, url, single)));
        // The documentation's worked example.
        assertEquals("L/OH5YylLD5NRKLltdqwSvS0BnU=", TwilioEmulator.signature("12345",
                "https://example.com/myapp.php?foo=1&bar=2", Map.of("CallSid", List.of("CA1234567890ABCDE"),
                        "Caller", List.of("+14158675310"), "Digits", List.of("1234"), "From", List.of("+14158675310"),
                        "To", List.of("+18005551212"))));
    }

    @Test
    void filtersDecideWhichEventsFire() {
        configure(null, "/filtered", "onParticipantAdded");
        String sid = Conversation.creator().create(client).getSid();

        Participant kim = Participant.creator(sid).setIdentity("kim").setAttributes("{\"vip\":true}")
                .setXTwilioWebhookEnabled(Participant.WebhookEnabledType.TRUE).create(client);
        Message.creator(sid).setAuthor("kim").setBody("not announced")
                .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE).create(client);
        emulator.awaitWebhooks(WAIT);

        List<WebhookReceiver.Received> received = receiver.received("/filtered");
        assertEquals(1, received.size());
        WebhookReceiver.Received added = received.get(0);
        assertEquals("onParticipantAdded", added.param("EventType"));
        assertEquals(kim.getSid(), added.param("ParticipantSid"));
        assertEquals("kim", added.param("Identity"));
        assertEquals(kim.getRoleSid(), added.param("RoleSid"));
        assertEquals("{\"vip\":true}", added.param("Attributes"));
        assertEquals("CHAT", added.param("MessagingBinding.Type"));
        assertEquals("API", added.param("Source"));
    }

    @Test
    void restChangesFireOnlyWithTheWebhookHeader() {
        configure("/quiet-pre", "/quiet", "onMessageAdd", "onMessageAdded", "onParticipantAdded", "onConversationAdded");

        String sid = Conversation.creator().create(client).getSid();
        Participant.creator(sid).setIdentity("lee").create(client);
        Message.creator(sid).setAuthor("lee").setBody("no header").create(client);
        Message.creator(sid).setAuthor("lee").setBody("header false")
                .setXTwilioWebhookEnabled(Message.WebhookEnabledType.FALSE).create(client);
        emulator.awaitWebhooks(WAIT);
        assertTrue(emulator.webhookDeliveries().isEmpty(), emulator.webhookDeliveries().toString());

        Message.creator(sid).setAuthor("lee").setBody("header true")
                .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE).create(client);
        emulator.awaitWebhooks(WAIT);
        assertEquals(List.of("onMessageAdd", "onMessageAdded"),
                emulator.webhookDeliveries().stream().map(WebhookDelivery::eventType).toList());
    }

    @Test
    void sdkMessagesAlwaysFire() {
        configure("/sdk-pre", "/sdk-post", "onMessageAdd", "onMessageAdded");
        String sid = conversationWith("max");

        Map<String, Object> message = emulator.addMessageFromSdk(sid, "max", "from the widget", null);
        emulator.awaitWebhooks(WAIT);

        assertEquals("from the widget", message.get("body"));
        WebhookReceiver.Received pre = receiver.received("/sdk-pre").get(0);
        assertEquals("SDK", pre.param("Source"));
        assertEquals("max", pre.param("ClientIdentity"));
        assertEquals(message.get("sid"), receiver.received("/sdk-post").get(0).param("MessageSid"));

        receiver.answer("/sdk-pre", 500, "");
        assertThrows(IllegalStateException.class, () -> emulator.addMessageFromSdk(sid, "max", "rejected", null));
        assertEquals(1, emulator.messages(sid).size());
    }

    @Test
    void accountLevelWebhooksApplyUnlessTheServiceHasItsOwn() {
        com.twilio.rest.conversations.v1.configuration.Webhook.updater().setPostWebhookUrl(receiver.url("/global"))
                .setFilters("onConversationAdded").update(client);
        Conversation.creator().setXTwilioWebhookEnabled(Conversation.WebhookEnabledType.TRUE).create(client);
        emulator.awaitWebhooks(WAIT);
        assertEquals(1, receiver.received("/global").size());

        // "service-scoped webhooks will override your global webhook settings"
        configure(null, "/service", "onConversationAdded");
        String sid = Conversation.creator().setFriendlyName("Scoped")
                .setXTwilioWebhookEnabled(Conversation.WebhookEnabledType.TRUE).create(client).getSid();
        emulator.awaitWebhooks(WAIT);
        assertEquals(1, receiver.received("/global").size());
        WebhookReceiver.Received added = receiver.received("/service").get(0);
        assertEquals(sid, added.param("ConversationSid"));
        assertEquals("Scoped", added.param("FriendlyName"));
        assertEquals("active", added.param("State"));
    }

    @Test
    void conversationStateChanges() {
        configure(null, "/state", "onConversationStateUpdated");
        String closedByTimer = Conversation.creator().create(client).getSid();
        String closedByApi = Conversation.creator().create(client).getSid();

        emulator.closeConversation(closedByTimer);
        Conversation.updater(closedByApi).setState(Conversation.State.INACTIVE)
                .setXTwilioWebhookEnabled(Conversation.WebhookEnabledType.TRUE).update(client);
        emulator.awaitWebhooks(WAIT);

        List<WebhookReceiver.Received> received = receiver.received("/state");
        assertEquals(2, received.size());
        assertEquals(closedByTimer, received.get(0).param("ConversationSid"));
        assertEquals("TIMER", received.get(0).param("Reason"));
        assertEquals("active", received.get(0).param("StateFrom"));
        assertEquals("closed", received.get(0).param("StateTo"));
        assertEquals("API", received.get(1).param("Reason"));
        assertEquals("inactive", received.get(1).param("StateTo"));
    }

    @Test
    void getWebhooksCarryTheParametersInTheSignedUrl() {
        Webhook.updater(service).setPostWebhookUrl(receiver.url("/get")).setMethod("GET")
                .setFilters("onConversationAdded").update(client);

        Conversation.creator().setXTwilioWebhookEnabled(Conversation.WebhookEnabledType.TRUE).create(client);
        emulator.awaitWebhooks(WAIT);

        WebhookReceiver.Received get = receiver.received("/get").get(0);
        assertEquals("GET", get.method());
        assertEquals("onConversationAdded", get.param("EventType"));
        assertTrue(new RequestValidator(emulator.account().authToken())
                .validate(receiver.url("/get") + "?" + get.query(), Map.of(), get.header("X-Twilio-Signature")));
    }

    @Test
    void unreachableReceiversAreRecordedAsUnanswered() {
        String closedPort = "http://127.0.0.1:1/nothing";
        Webhook.updater(service).setPreWebhookUrl(closedPort).setFilters("onMessageAdd").update(client);
        String sid = conversationWith("ned");

        // "no response or timeout": Conversations publishes the change unmodified.
        Message message = Message.creator(sid).setAuthor("ned").setBody("still here")
                .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE).create(client);

        assertEquals("still here", message.getBody());
        WebhookDelivery delivery = emulator.webhookDeliveries().get(0);
        assertEquals(0, delivery.status());
        assertNotNull(delivery.error());
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** Points the service's webhooks at the receiver ({@code null} leaves a URL unset). */
    private void configure(String prePath, String postPath, String... filters) {
        var updater = Webhook.updater(service).setFilters(List.of(filters)).setMethod("POST");
        if (prePath != null) {
            updater.setPreWebhookUrl(receiver.url(prePath));
        }
        if (postPath != null) {
            updater.setPostWebhookUrl(receiver.url(postPath));
        }
        updater.update(client);
    }

    /** A conversation with a chat participant, made without webhooks. */
    private String conversationWith(String identity) {
        String sid = Conversation.creator().create(client).getSid();
        Participant.creator(sid).setIdentity(identity).create(client);
        return sid;
    }

    private static String hmacSha1(String key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    }
}
