package com.flexwebchat.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.emulator.WebhookDelivery;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.LogCapture;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.twilio.rest.conversations.v1.service.configuration.WebhookUpdater;
import com.twilio.rest.conversations.v1.service.conversation.Participant;
import com.twilio.rest.conversations.v1.service.conversation.ParticipantCreator;
import com.twilio.rest.flexapi.v2.WebChannels;
import com.twilio.rest.flexapi.v2.WebChannelsCreator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole loop: the emulator, playing Twilio, sends the Conversations webhooks it is configured
 * with (signed with the account's auth token, form-encoded) to this function over HTTP and acts on
 * the answers as Conversations does. Shows the function and Twilio agree on the protocol, not
 * only on our reading of it.
 */
class ConversationsWebhookDeliveryTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String PATH = "/webhooks/conversations";

    TwilioEmulator twilio;
    WebChatRuntime runtime;
    ConversationsWebhookHandler handler;
    HttpServer gateway;
    LogCapture logs;

    @BeforeEach
    void setUp() throws IOException {
        twilio = TwilioEmulator.start(0);
        logs = new LogCapture();
        Map<String, String> env = new LinkedHashMap<>(EmulatedTwilio.environment(twilio));
        env.put("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());
        runtime = EmulatedTwilio.runtime(env, Clock.systemUTC());
        handler = new ConversationsWebhookHandler(runtime);
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext(PATH, this::invoke);
        gateway.start();

        String url = "http://127.0.0.1:" + gateway.getAddress().getPort() + PATH;
        runtime.twilio().call("configure the service's webhooks", client ->
                new WebhookUpdater(ACCOUNT.conversationsServiceSid())
                        .setPreWebhookUrl(url)
                        .setPostWebhookUrl(url)
                        .setMethod("POST")
                        .setFilters(List.of("onMessageAdd", "onParticipantAdded"))
                        .update(client));
    }

    @AfterEach
    void tearDown() {
        logs.close();
        gateway.stop(0);
        try {
            assertEquals(List.of(), twilio.contractViolations());
        } finally {
            twilio.close();
        }
    }

    /** API Gateway in front of the function: the request as an HTTP API event, the answer back. */
    void invoke(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        headers.put("x-forwarded-proto", "http");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        APIGatewayV2HTTPResponse response = handler.handleRequest(HttpApiEvents.request(
                exchange.getRequestMethod(), PATH, exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, body, true),
                new LocalContext("ConversationsWebhookFunction", Duration.ofSeconds(15)));
        byte[] answer = response.getBody() == null ? new byte[0] : response.getBody().getBytes(StandardCharsets.UTF_8);
        response.getHeaders().forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(response.getStatusCode(), answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    WebChannels startChat() {
        return runtime.twilio().call("start a chat", client ->
                new WebChannelsCreator(ACCOUNT.addressSid()).setCustomerFriendlyName("Ada").create(client));
    }

    @Test
    void aCardNumberTheVisitorTypesIsStoredMasked() {
        WebChannels chat = startChat();

        Map<String, Object> stored = twilio.addMessageFromSdk(chat.getConversationSid(), chat.getIdentity(),
                "Please charge 4111 1111 1111 1111 again", null);

        assertEquals("Please charge •••• •••• •••• 1111 again", stored.get("body"));
        assertEquals(List.of("Please charge •••• •••• •••• 1111 again"),
                twilio.messages(chat.getConversationSid()).stream().map(m -> m.get("body")).toList());
        WebhookDelivery delivery = twilio.webhookDeliveries().get(0);
        assertEquals("onMessageAdd", delivery.eventType());
        assertEquals(200, delivery.status());
        assertFalse(logs.text().contains("4111 1111 1111 1111"));
    }

    @Test
    void anOrdinaryMessageIsStoredAsTyped() {
        WebChannels chat = startChat();

        Map<String, Object> stored = twilio.addMessageFromSdk(chat.getConversationSid(), chat.getIdentity(),
                "Where is my order?", null);

        assertEquals("Where is my order?", stored.get("body"));
    }

    @Test
    void aMessageOverTheLimitIsNeverStored() {
        WebChannels chat = startChat();

        IllegalStateException refused = assertThrows(IllegalStateException.class, () ->
                twilio.addMessageFromSdk(chat.getConversationSid(), chat.getIdentity(), "x".repeat(2_001), null));

        assertTrue(refused.getMessage().contains("onMessageAdd pre-event webhook, which answered HTTP 400"),
                refused.getMessage());
        assertEquals(List.of(), twilio.messages(chat.getConversationSid()));
    }

    @Test
    void anAgentJoiningIsAnnouncedUnderTheirPublicNameAndTheNoticeRaisesNoWebhook() throws Exception {
        WebChannels chat = startChat();
        twilio.addWorker("Alice Real", "{\"contact_uri\":\"client:alice_40example_2Ecom\",\"public_identity\":\"Sam\"}");

        // Flex adds the agent when they accept the task.
        runtime.twilio().call("add the agent", client ->
                new ParticipantCreator(ACCOUNT.conversationsServiceSid(), chat.getConversationSid())
                        .setIdentity("alice_40example_2Ecom")
                        .setXTwilioWebhookEnabled(Participant.WebhookEnabledType.TRUE)
                        .create(client));
        twilio.awaitWebhooks(Duration.ofSeconds(10));

        assertEquals("Sam", twilio.user("alice_40example_2Ecom").orElseThrow().get("friendly_name"));
        List<Map<String, Object>> messages = twilio.messages(chat.getConversationSid());
        assertEquals(1, messages.size());
        assertEquals("Concierge", messages.get(0).get("author"));
        assertEquals("Sam joined the chat", messages.get(0).get("body"));
        assertEquals(List.of("onParticipantAdded"),
                twilio.webhookDeliveries().stream().map(WebhookDelivery::eventType).toList(),
                "the notice, posted over REST without X-Twilio-Webhook-Enabled, comes back as no onMessageAdd");
        assertTrue(twilio.webhookDeliveries().get(0).succeeded());
        assertTrue(Json.parse((String) messages.get(0).get("attributes")).has("joinedParticipantSid"));
    }
}
