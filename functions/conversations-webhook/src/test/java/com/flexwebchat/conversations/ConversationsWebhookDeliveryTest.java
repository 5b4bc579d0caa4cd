package com.flexwebchat.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.WebhookDelivery;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.twilio.rest.conversations.v1.service.configuration.WebhookUpdater;
import com.twilio.rest.conversations.v1.service.conversation.Participant;
import com.twilio.rest.conversations.v1.service.conversation.ParticipantCreator;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole loop: the emulator, playing Twilio, sends the Conversations webhooks it is configured
 * with (signed with the account's auth token, form-encoded) to this function over HTTP and acts on
 * the answers as Conversations does. Shows the function and Twilio agree on the protocol, not
 * only on our reading of it.
 */
class ConversationsWebhookDeliveryTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String PATH = "/webhooks/conversations";

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.freshForEachTest()
            .with("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());

    ConversationsWebhookHandler handler;
    HttpServer gateway;

    /** The function behind a local stand-in for API Gateway, and the service's webhooks pointed at it. */
    @BeforeEach
    void setUp() throws IOException {
        handler = new ConversationsWebhookHandler(twilio.runtime());
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext(PATH, this::invoke);
        gateway.start();

        String url = "http://127.0.0.1:" + gateway.getAddress().getPort() + PATH;
        twilio.runtime().twilio().call("configure the service's webhooks", client ->
                new WebhookUpdater(ACCOUNT.conversationsServiceSid())
                        .setPreWebhookUrl(url)
                        .setPostWebhookUrl(url)
                        .setMethod("POST")
                        .setFilters(List.of("onMessageAdd", "onParticipantAdded"))
                        .update(client));
    }

    @AfterEach
    void stopTheGateway() {
        gateway.stop(0);
    }

    /** API Gateway in front of the function: the request as an HTTP API event, the answer back. */
    void invoke(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        headers.put("x-forwarded-proto", "http");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        APIGatewayV2HTTPResponse response = handler.handle(HttpApiEvents.request(
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

    @Test
    void aCardNumberTheVisitorTypesIsStoredMasked() {
        WebChannels chat = twilio.startChat();

        Map<String, Object> stored = twilio.emulator().addMessageFromSdk(chat.getConversationSid(), chat.getIdentity(),
                "Please charge 4111 1111 1111 1111 again", null);

        assertEquals("Please charge •••• •••• •••• 1111 again", stored.get("body"));
        assertEquals(List.of("Please charge •••• •••• •••• 1111 again"),
                twilio.emulator().messages(chat.getConversationSid()).stream().map(m -> m.get("body")).toList());
        WebhookDelivery delivery = twilio.emulator().webhookDeliveries().get(0);
        assertEquals("onMessageAdd", delivery.eventType());
        assertEquals(200, delivery.status());
        assertFalse(twilio.logs().text().contains("4111 1111 1111 1111"));
    }

    @Test
    void anOrdinaryMessageIsStoredAsTyped() {
        WebChannels chat = twilio.startChat();

        Map<String, Object> stored = twilio.emulator().addMessageFromSdk(chat.getConversationSid(), chat.getIdentity(),
                "Where is my order?", null);

        assertEquals("Where is my order?", stored.get("body"));
    }

    @Test
    void aMessageOverTheLimitIsNeverStored() {
        WebChannels chat = twilio.startChat();

        IllegalStateException refused = assertThrows(IllegalStateException.class, () ->
                twilio.emulator().addMessageFromSdk(chat.getConversationSid(), chat.getIdentity(), "x".repeat(2_001), null));

        assertTrue(refused.getMessage().contains("onMessageAdd pre-event webhook, which answered HTTP 400"),
                refused.getMessage());
        assertEquals(List.of(), twilio.emulator().messages(chat.getConversationSid()));
    }

    @Test
    void anAgentJoiningIsAnnouncedUnderTheirPublicNameAndTheNoticeRaisesNoWebhook() throws Exception {
        WebChannels chat = twilio.startChat();
        twilio.emulator().addWorker("Alice Real", "{\"contact_uri\":\"client:alice_40example_2Ecom\",\"public_identity\":\"Sam\"}");

        // Flex adds the agent when they accept the task.
        twilio.runtime().twilio().call("add the agent", client ->
                new ParticipantCreator(ACCOUNT.conversationsServiceSid(), chat.getConversationSid())
                        .setIdentity("alice_40example_2Ecom")
                        .setXTwilioWebhookEnabled(Participant.WebhookEnabledType.TRUE)
                        .create(client));
        twilio.emulator().awaitWebhooks(Duration.ofSeconds(10));

        assertEquals("Sam", twilio.emulator().user("alice_40example_2Ecom").orElseThrow().get("friendly_name"));
        List<Map<String, Object>> messages = twilio.emulator().messages(chat.getConversationSid());
        assertEquals(1, messages.size());
        assertEquals("Concierge", messages.get(0).get("author"));
        assertEquals("Sam joined the chat", messages.get(0).get("body"));
        assertEquals(List.of("onParticipantAdded"),
                twilio.emulator().webhookDeliveries().stream().map(WebhookDelivery::eventType).toList(),
                "the notice, posted over REST without X-Twilio-Webhook-Enabled, comes back as no onMessageAdd");
        assertTrue(twilio.emulator().webhookDeliveries().get(0).succeeded());
        assertTrue(Json.parse((String) messages.get(0).get("attributes")).has("joinedParticipantSid"));
    }
}
