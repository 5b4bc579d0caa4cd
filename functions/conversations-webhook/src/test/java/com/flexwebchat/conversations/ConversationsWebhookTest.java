package com.flexwebchat.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SignedWebhooks;
import com.flexwebchat.shared.config.ConfigException;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.twilio.rest.conversations.v1.service.conversation.ParticipantCreator;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * {@code POST /webhooks/conversations} through the real handler: events signed as Twilio signs
 * them, shaped as API Gateway delivers them, and the real SDK over HTTP to the twilio.emulator().
 */
class ConversationsWebhookTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String PATH = "/webhooks/conversations";
    static final String URL = SignedWebhooks.url(PATH);
    static final String CARD = "4111 1111 1111 1111";
    static final String CARD_DIGITS = "4111111111111111";

    /** One per test: workers, users and webhook settings are Twilio state that tests must not share. */
    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.freshForEachTest()
            .with("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());

    /** The test's settings with these on top. */
    static Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = twilio.environment();
        env.putAll(extra);
        return env;
    }

    // --- the chat, as Flex leaves it ----------------------------------------------------------------------

    /** A Flex agent: a worker whose contact_uri is the identity its UI joins with. */
    void worker(String identity, String realName, String publicIdentity) {
        ObjectNode attributes = Json.object()
                .put("contact_uri", "client:" + identity)
                .put("full_name", realName)
                .put("email", identity + "@example.com");
        if (publicIdentity != null) {
            attributes.put("public_identity", publicIdentity);
        }
        twilio.emulator().addWorker(realName, Json.write(attributes));
    }

    /** The agent joins the chat, as Flex adds them when they accept the task. Returns the participant SID. */
    String join(WebChannels chat, String identity) {
        String sid = twilio.runtime().twilio().call("add the agent", client ->
                new ParticipantCreator(ACCOUNT.conversationsServiceSid(), chat.getConversationSid())
                        .setIdentity(identity).create(client)).getSid();
        twilio.emulator().clearRequests();
        return sid;
    }

    String customerParticipant(WebChannels chat) {
        return twilio.emulator().participants(chat.getConversationSid()).stream()
                .filter(p -> chat.getIdentity().equals(p.get("identity")))
                .map(p -> (String) p.get("sid")).findFirst().orElseThrow();
    }

    // --- events ---------------------------------------------------------------------------------------------

    static Map<String, List<String>> form(String... keyValues) {
        return SignedWebhooks.form(keyValues);
    }

    static APIGatewayV2HTTPResponse deliver(ConversationsWebhookHandler handler, Map<String, List<String>> params,
                                            String signature) {
        return handler.handle(SignedWebhooks.formPost(PATH, params, signature),
                new LocalContext("ConversationsWebhookFunction", Duration.ofSeconds(15)));
    }

    /** Delivered as Twilio delivers: signed with the account's auth token over the URL and the parameters. */
    static APIGatewayV2HTTPResponse deliver(ConversationsWebhookHandler handler, Map<String, List<String>> params) {
        return deliver(handler, params, TwilioEmulator.signature(ACCOUNT.authToken(), URL, params));
    }

    /** To the function on the test's Twilio. */
    static APIGatewayV2HTTPResponse deliver(Map<String, List<String>> params, String signature) {
        return deliver(new ConversationsWebhookHandler(twilio.runtime()), params, signature);
    }

    static APIGatewayV2HTTPResponse deliver(Map<String, List<String>> params) {
        return deliver(new ConversationsWebhookHandler(twilio.runtime()), params);
    }

    static Map<String, List<String>> messageAdd(String conversationSid, String author, String body) {
        return form("AccountSid", ACCOUNT.accountSid(), "ChatServiceSid", ACCOUNT.conversationsServiceSid(),
                "EventType", "onMessageAdd", "Source", "SDK", "ClientIdentity", author,
                "ConversationSid", conversationSid, "Body", body, "Author", author, "Attributes", "{}");
    }

    static Map<String, List<String>> participantAdded(String conversationSid, String participantSid, String identity) {
        return form("AccountSid", ACCOUNT.accountSid(), "ChatServiceSid", ACCOUNT.conversationsServiceSid(),
                "EventType", "onParticipantAdded", "Source", "API",
                "ConversationSid", conversationSid, "ParticipantSid", participantSid,
                "DateCreated", "2026-11-21T10:00:00Z", "Identity", identity, "RoleSid", "RL" + "0".repeat(32),
                "Attributes", "{}");
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.parse(response.getBody());
    }

    static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** An answer that publishes the change as it is: 200 with no content. */
    static void assertUnchanged(APIGatewayV2HTTPResponse response) {
        assertEquals(200, response.getStatusCode());
        assertEquals("", response.getBody());
        assertNull(response.getHeaders().get("Content-Type"));
    }


    List<Map<String, Object>> notices(WebChannels chat) {
        return twilio.emulator().messages(chat.getConversationSid()).stream()
                .filter(m -> "Concierge".equals(m.get("author"))).toList();
    }

    // --- onMessageAdd ---------------------------------------------------------------------------------------

    @Test
    void masksACardNumberBeforeTheMessageIsStored() throws Exception {
        WebChannels chat = twilio.startChat();

        APIGatewayV2HTTPResponse response = deliver(messageAdd(chat.getConversationSid(), chat.getIdentity(),
                "My card is " + CARD + ", can you check it?"));

        assertEquals(200, response.getStatusCode());
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        JsonNode answer = json(response);
        assertEquals("My card is •••• •••• •••• 1111, can you check it?", answer.get("body").asText());
        assertEquals(1, answer.size(), "only the body is modified");
        assertFalse(response.getBody().contains(CARD));
        assertFalse(twilio.logs().text().contains(CARD));
        assertFalse(twilio.logs().text().contains(CARD_DIGITS));
        assertFalse(twilio.logs().text().contains("My card is"), "message text is never logged");
        assertEquals(List.of(), twilio.emulator().writes());
    }

    @Test
    void masksADashedCardNumberAndTwoCardsInOneMessage() throws Exception {
        WebChannels chat = twilio.startChat();

        JsonNode answer = json(deliver(messageAdd(chat.getConversationSid(), chat.getIdentity(),
                "5555-5555-5555-4444 or 378282246310005")));

        assertEquals("••••-••••-••••-4444 or •••••••••••0005", answer.get("body").asText());
        assertTrue(twilio.logs().text().contains("\"inBody\":2"), twilio.logs().text());
    }

    @Test
    void masksACardNumberInTheMessageAttributes() throws Exception {
        WebChannels chat = twilio.startChat();
        Map<String, List<String>> event = messageAdd(chat.getConversationSid(), chat.getIdentity(), "see attributes");
        event.put("Attributes", List.of("{\"note\":\"" + CARD + "\",\"kind\":\"text\"}"));

        APIGatewayV2HTTPResponse response = deliver(event);

        JsonNode answer = json(response);
        assertFalse(answer.has("body"), "the body had nothing to mask");
        JsonNode attributes = Json.parse(answer.get("attributes").asText());
        assertEquals("•••• •••• •••• 1111", attributes.get("note").asText());
        assertEquals("text", attributes.get("kind").asText());
        assertFalse(twilio.logs().text().contains(CARD));
    }

    @Test
    void masksAnAgentsCardNumberToo() throws Exception {
        WebChannels chat = twilio.startChat();
        worker("alice_40example_2Ecom", "Alice Real", "Sam");
        join(chat, "alice_40example_2Ecom");

        JsonNode answer = json(deliver(messageAdd(chat.getConversationSid(), "alice_40example_2Ecom",
                "Is it " + CARD + "?")));

        assertEquals("Is it •••• •••• •••• 1111?", answer.get("body").asText());
    }

    @Test
    void masksAnEditedMessage() throws Exception {
        WebChannels chat = twilio.startChat();
        Map<String, List<String>> event = messageAdd(chat.getConversationSid(), chat.getIdentity(), CARD);
        event.put("EventType", List.of("onMessageUpdate"));

        assertEquals("•••• •••• •••• 1111", json(deliver(event)).get("body").asText());
    }

    @Test
    void anOrdinaryMessagePassesUnchangedAndNothingIsWritten() {
        WebChannels chat = twilio.startChat();

        APIGatewayV2HTTPResponse response = deliver(messageAdd(chat.getConversationSid(), chat.getIdentity(),
                "Where is order 9876543210987654? Call me on +1 415-555-0100"));

        assertUnchanged(response);
        assertEquals(List.of(), twilio.emulator().writes());
        assertEquals(1, twilio.emulator().requests("GET", "/conversations/v1/Services/.*/Conversations/CH[0-9a-f]+").size(),
                "the conversation's state is read once");
        assertEquals(List.of(), twilio.emulator().requests(null, "/taskrouter/.*"), "an ordinary message needs no agent check");
    }

    @Test
    void aMessageOverTheLimitIsRejected() throws Exception {
        WebChannels chat = twilio.startChat();

        APIGatewayV2HTTPResponse response = deliver(messageAdd(chat.getConversationSid(), chat.getIdentity(),
                "x".repeat(2_001)));

        assertEquals(400, response.getStatusCode());
        assertEquals("message_too_long", json(response).at("/error/code").asText());
        assertEquals(List.of(), twilio.emulator().writes());
        assertTrue(twilio.logs().text().contains("\"length\":2001"), twilio.logs().text());
    }

    @Test
    void aMessageOfExactlyTheLimitPasses() {
        WebChannels chat = twilio.startChat();
        assertUnchanged(deliver(messageAdd(chat.getConversationSid(), chat.getIdentity(), "x".repeat(2_000))));
    }

    @Test
    void theLimitCountsCharactersNotUtf16Units() {
        WebChannels chat = twilio.startChat();
        assertUnchanged(deliver(messageAdd(chat.getConversationSid(), chat.getIdentity(), "👋".repeat(2_000))));
    }

    @Test
    void theLimitIsMaxMessageLength() throws Exception {
        ConversationsWebhookHandler handler = new ConversationsWebhookHandler(EmulatedTwilio.runtime(
                environment(Map.of("MAX_MESSAGE_LENGTH", "10")), Clock.systemUTC()));
        WebChannels chat = twilio.startChat();

        assertEquals(400, deliver(handler, messageAdd(chat.getConversationSid(), chat.getIdentity(), "eleven char")).getStatusCode());
        assertUnchanged(deliver(handler, messageAdd(chat.getConversationSid(), chat.getIdentity(), "ten chars!")));
    }

    @Test
    void anAgentMayWriteLongerThanTheVisitorsLimit() {
        WebChannels chat = twilio.startChat();
        worker("alice_40example_2Ecom", "Alice Real", "Sam");
        join(chat, "alice_40example_2Ecom");

        assertUnchanged(deliver(messageAdd(chat.getConversationSid(), "alice_40example_2Ecom", "x".repeat(2_001))));
        assertEquals(List.of(), twilio.emulator().writes());
    }

    @Test
    void whenTheAgentCheckFailsALongMessageIsTheVisitorsAndRejected() {
        WebChannels chat = twilio.startChat();
        twilio.emulator().failNext("GET", "/taskrouter/v1/Workspaces/.*/Workers", 503, 20503, 2);

        APIGatewayV2HTTPResponse response = deliver(messageAdd(chat.getConversationSid(), "alice_40example_2Ecom",
                "x".repeat(2_001)));

        assertEquals(400, response.getStatusCode());
    }

    @Test
    void aMessageToAClosedConversationIsRejected() throws Exception {
        WebChannels chat = twilio.startChat();
        twilio.emulator().closeConversation(chat.getConversationSid());

        APIGatewayV2HTTPResponse response = deliver(messageAdd(chat.getConversationSid(), chat.getIdentity(), "Hello?"));

        assertEquals(403, response.getStatusCode());
        assertEquals("conversation_closed", json(response).at("/error/code").asText());
        assertEquals(List.of(), twilio.emulator().writes());
    }

    @Test
    void whenTwilioIsSlowTheAnswerStillComesInTimeAndTheMessageGoesThroughMasked() throws Exception {
        WebChannels chat = twilio.startChat();
        twilio.emulator().delayNext("GET", "/conversations/v1/Services/.*/Conversations/CH[0-9a-f]+", Duration.ofSeconds(4), 1);

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response = deliver(messageAdd(chat.getConversationSid(), chat.getIdentity(),
                "Card " + CARD));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(200, response.getStatusCode());
        assertEquals("Card •••• •••• •••• 1111", json(response).get("body").asText());
        assertTrue(took.compareTo(Duration.ofMillis(2_500)) < 0, "answered after " + took.toMillis() + " ms");
        assertTrue(took.compareTo(ConversationsWebhookHandler.ENRICHMENT_BUDGET.minusMillis(100)) > 0,
                "waited for the state read as long as its budget allowed: " + took.toMillis() + " ms");
        assertTrue(twilio.logs().text().contains("the message is let through"), twilio.logs().text());
        assertFalse(twilio.logs().text().contains(CARD));
    }

    @Test
    void whenTwilioFailsTheMessageGoesThrough() {
        WebChannels chat = twilio.startChat();
        twilio.emulator().failNext("GET", "/conversations/v1/Services/.*/Conversations/CH[0-9a-f]+", 503, 20503, 2);

        assertUnchanged(deliver(messageAdd(chat.getConversationSid(), chat.getIdentity(), "Hello")));
        assertTrue(twilio.logs().lines().stream().anyMatch(l -> l.path("message").asText().contains("the message is let through")
                && l.path("twilioStatus").asInt() == 503), twilio.logs().text());
    }

    @Test
    void aMediaOnlyMessagePasses() {
        WebChannels chat = twilio.startChat();
        Map<String, List<String>> event = messageAdd(chat.getConversationSid(), chat.getIdentity(), "");
        event.remove("Body");
        event.put("Media", List.of("[{\"Sid\":\"ME" + "0".repeat(32) + "\",\"ContentType\":\"image/png\"}]"));

        assertUnchanged(deliver(event));
    }

    // --- onParticipantAdded ---------------------------------------------------------------------------------

    @Test
    void anAgentJoiningIsShownUnderTheirPublicName() throws Exception {
        WebChannels chat = twilio.startChat();
        worker("alice_40example_2Ecom", "Alice Real", "Sam");
        String participant = join(chat, "alice_40example_2Ecom");

        APIGatewayV2HTTPResponse response = deliver(participantAdded(chat.getConversationSid(), participant,
                "alice_40example_2Ecom"));

        assertUnchanged(response);
        assertEquals("Sam", twilio.emulator().user("alice_40example_2Ecom").orElseThrow().get("friendly_name"));
        List<Map<String, Object>> notices = notices(chat);
        assertEquals(1, notices.size());
        assertEquals("Sam joined the chat", notices.get(0).get("body"));
        assertEquals(participant, parse((String) notices.get(0).get("attributes")).get("joinedParticipantSid").asText());

        List<RecordedRequest> posted = twilio.emulator().requests("POST", "/conversations/v1/Services/.*/Messages");
        assertEquals(1, posted.size());
        assertEquals("Concierge", posted.get(0).formValue("Author"));
        assertNull(posted.get(0).header("X-Twilio-Webhook-Enabled"), "the notice raises no webhooks");
        assertEquals(1, twilio.emulator().requests("POST", "/conversations/v1/Services/.*/Users/.*").size());
        assertEquals(2, twilio.emulator().writes().size());
        for (RecordedRequest request : twilio.emulator().requests()) {
            assertFalse(request.form().toString().contains("Alice") || String.valueOf(request.query()).contains("Alice"),
                    "the real name is never sent anywhere: " + request);
        }
        assertFalse(twilio.logs().text().contains("Alice"));
    }

    @Test
    void anAgentWithoutAPublicIdentityIsShownAsDefaultAgentName() {
        WebChannels chat = twilio.startChat();
        worker("bob_40example_2Ecom", "Bob Real", null);
        String participant = join(chat, "bob_40example_2Ecom");

        deliver(participantAdded(chat.getConversationSid(), participant, "bob_40example_2Ecom"));

        assertEquals("Agent", twilio.emulator().user("bob_40example_2Ecom").orElseThrow().get("friendly_name"));
        assertEquals("Agent joined the chat", notices(chat).get(0).get("body"));
    }

    @Test
    void defaultAgentNameIsConfigurable() {
        ConversationsWebhookHandler handler = new ConversationsWebhookHandler(EmulatedTwilio.runtime(
                environment(Map.of("DEFAULT_AGENT_NAME", "Support team")), Clock.systemUTC()));
        WebChannels chat = twilio.startChat();
        worker("bob_40example_2Ecom", "Bob Real", "   ");
        String participant = join(chat, "bob_40example_2Ecom");

        deliver(handler, participantAdded(chat.getConversationSid(), participant, "bob_40example_2Ecom"));

        assertEquals("Support team", twilio.emulator().user("bob_40example_2Ecom").orElseThrow().get("friendly_name"));
        assertEquals("Support team joined the chat", notices(chat).get(0).get("body"));
    }

    @Test
    void theVisitorJoiningIsNotAnAgentAndNothingHappens() {
        WebChannels chat = twilio.startChat();
        worker("alice_40example_2Ecom", "Alice Real", "Sam");

        APIGatewayV2HTTPResponse response = deliver(participantAdded(chat.getConversationSid(),
                customerParticipant(chat), chat.getIdentity()));

        assertUnchanged(response);
        assertEquals(List.of(), twilio.emulator().writes());
        assertEquals(1, twilio.emulator().requests().size(), "one look-up at TaskRouter, nothing else");
        assertEquals("contact_uri == \"client:" + chat.getIdentity() + "\"",
                twilio.emulator().requests().get(0).queryParams().get("TargetWorkersExpression").get(0));
        assertTrue(notices(chat).isEmpty());
    }

    @Test
    void aRepeatedDeliveryPostsNoSecondNoticeAndNoSecondUserUpdate() {
        WebChannels chat = twilio.startChat();
        worker("alice_40example_2Ecom", "Alice Real", "Sam");
        String participant = join(chat, "alice_40example_2Ecom");
        Map<String, List<String>> event = participantAdded(chat.getConversationSid(), participant, "alice_40example_2Ecom");

        deliver(event);
        twilio.emulator().clearRequests();
        APIGatewayV2HTTPResponse again = deliver(event);

        assertUnchanged(again);
        assertEquals(1, notices(chat).size());
        assertEquals(List.of(), twilio.emulator().writes(), "neither the user nor a message is written again");
        assertTrue(twilio.logs().text().contains("Agent already announced"), twilio.logs().text());
    }

    @Test
    void aDeliveryRepeatedAfterTheChatMovedOnStillFindsTheNotice() {
        WebChannels chat = twilio.startChat();
        worker("alice_40example_2Ecom", "Alice Real", "Sam");
        String participant = join(chat, "alice_40example_2Ecom");
        Map<String, List<String>> event = participantAdded(chat.getConversationSid(), participant, "alice_40example_2Ecom");
        deliver(event);
        for (int i = 0; i < 10; i++) {
            twilio.emulator().addMessageFromSdk(chat.getConversationSid(), chat.getIdentity(), "message " + i, null);
        }
        twilio.emulator().clearRequests();

        deliver(event);

        assertEquals(1, notices(chat).size());
        assertEquals(List.of(), twilio.emulator().writes());
    }

    @Test
    void aRetryAfterTheNoticeFailedPostsIt() {
        WebChannels chat = twilio.startChat();
        worker("alice_40example_2Ecom", "Alice Real", "Sam");
        String participant = join(chat, "alice_40example_2Ecom");
        Map<String, List<String>> event = participantAdded(chat.getConversationSid(), participant, "alice_40example_2Ecom");
        twilio.emulator().failNext("POST", "/conversations/v1/Services/.*/Messages", 500, 20500, 1);

        assertEquals(502, deliver(event).getStatusCode(), "Twilio is told to try again");
        assertEquals(0, notices(chat).size());
        twilio.emulator().clearRequests();

        assertUnchanged(deliver(event));
        assertEquals(1, notices(chat).size());
        assertEquals(List.of("POST"), twilio.emulator().writes().stream().map(RecordedRequest::method).toList(),
                "the name was already set: only the notice is written");
    }

    @Test
    void aTransferShowsTheNextAgentUnderTheirOwnPublicName() {
        WebChannels chat = twilio.startChat();
        worker("alice_40example_2Ecom", "Alice Real", "Sam");
        worker("carol_40example_2Ecom", "Carol Real", "Jo");
        String first = join(chat, "alice_40example_2Ecom");
        deliver(participantAdded(chat.getConversationSid(), first, "alice_40example_2Ecom"));

        String second = join(chat, "carol_40example_2Ecom");
        deliver(participantAdded(chat.getConversationSid(), second, "carol_40example_2Ecom"));

        assertEquals("Jo", twilio.emulator().user("carol_40example_2Ecom").orElseThrow().get("friendly_name"));
        assertEquals("Sam", twilio.emulator().user("alice_40example_2Ecom").orElseThrow().get("friendly_name"));
        assertEquals(List.of("Sam joined the chat", "Jo joined the chat"),
                notices(chat).stream().map(m -> m.get("body")).toList());
    }

    @Test
    void anAgentAlreadyUnderTheirPublicNameIsNotRenamed() {
        WebChannels chat = twilio.startChat();
        worker("alice_40example_2Ecom", "Alice Real", "Sam");
        String first = join(chat, "alice_40example_2Ecom");
        deliver(participantAdded(chat.getConversationSid(), first, "alice_40example_2Ecom"));

        WebChannels next = twilio.startChat();
        String participant = join(next, "alice_40example_2Ecom");
        deliver(participantAdded(next.getConversationSid(), participant, "alice_40example_2Ecom"));

        assertEquals(List.of(), twilio.emulator().requests("POST", "/conversations/v1/Services/.*/Users/.*"));
        assertEquals(1, notices(next).size());
    }

    @Test
    void anSmsParticipantIsNotAnAgent() {
        WebChannels chat = twilio.startChat();
        Map<String, List<String>> event = participantAdded(chat.getConversationSid(), "MB" + "1".repeat(32), "x");
        event.remove("Identity");
        event.put("MessagingBinding.Address", List.of("+15555550100"));

        assertUnchanged(deliver(event));
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void anIdentityThatCannotBeQuotedIsNotLookedUp() {
        WebChannels chat = twilio.startChat();

        assertUnchanged(deliver(participantAdded(chat.getConversationSid(), "MB" + "1".repeat(32),
                "x\" OR 1 == 1 OR contact_uri == \"y")));
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void aParticipantEventWithoutSidsIsBadInput() {
        Map<String, List<String>> event = participantAdded("not-a-sid", "MB" + "1".repeat(32), "alice");
        assertEquals(400, deliver(event).getStatusCode());
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void whenTwilioFailsTheAgentEventIsAnErrorForTwilioToRetry() {
        WebChannels chat = twilio.startChat();
        worker("alice_40example_2Ecom", "Alice Real", "Sam");
        String participant = join(chat, "alice_40example_2Ecom");
        twilio.emulator().failNext("GET", "/taskrouter/v1/Workspaces/.*/Workers", 503, 20503, 2);

        assertEquals(502, deliver(participantAdded(chat.getConversationSid(), participant, "alice_40example_2Ecom"))
                .getStatusCode());
        assertEquals(List.of(), twilio.emulator().writes());
    }

    // --- everything else ------------------------------------------------------------------------------------

    @Test
    void anyOtherEventIsAnsweredWithNothingDone() {
        WebChannels chat = twilio.startChat();
        for (String type : List.of("onMessageAdded", "onConversationUpdated", "onParticipantRemoved", "onUserUpdated")) {
            Map<String, List<String>> event = messageAdd(chat.getConversationSid(), chat.getIdentity(), CARD);
            event.put("EventType", List.of(type));

            assertUnchanged(deliver(event));
        }
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void aBadSignatureIsRefusedWithoutCallingTwilio() throws Exception {
        WebChannels chat = twilio.startChat();
        Map<String, List<String>> event = messageAdd(chat.getConversationSid(), chat.getIdentity(), "Hello");
        String forged = TwilioEmulator.signature("not-the-auth-token-0000000000000", URL, event);

        APIGatewayV2HTTPResponse response = deliver(event, forged);

        assertEquals(403, response.getStatusCode());
        assertEquals("invalid_signature", json(response).at("/error/code").asText());
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void aTamperedEventIsRefusedWithoutCallingTwilio() {
        WebChannels chat = twilio.startChat();
        worker("alice_40example_2Ecom", "Alice Real", "Sam");
        String participant = join(chat, "alice_40example_2Ecom");
        Map<String, List<String>> signed = participantAdded(chat.getConversationSid(), participant, chat.getIdentity());
        Map<String, List<String>> sent = participantAdded(chat.getConversationSid(), participant, "alice_40example_2Ecom");

        APIGatewayV2HTTPResponse response = deliver(sent, TwilioEmulator.signature(ACCOUNT.authToken(), URL, signed));

        assertEquals(403, response.getStatusCode());
        assertEquals(List.of(), twilio.emulator().requests());
    }

    @Test
    void anUnsignedEventIsRefusedWithoutCallingTwilio() {
        WebChannels chat = twilio.startChat();
        assertEquals(403, deliver(messageAdd(chat.getConversationSid(), chat.getIdentity(), CARD), null).getStatusCode());
        assertEquals(List.of(), twilio.emulator().requests());
        assertFalse(twilio.logs().text().contains(CARD));
    }

    @Test
    void withoutTheTaskRouterWorkspaceTheFunctionDoesNotStart() {
        Map<String, String> env = environment(Map.of());
        env.remove("TASKROUTER_WORKSPACE_SID");
        Executable start = () -> new ConversationsWebhookHandler(EmulatedTwilio.runtime(env, Clock.systemUTC()));

        ConfigException e = assertThrows(ConfigException.class, start);
        assertTrue(e.getMessage().startsWith("TASKROUTER_WORKSPACE_SID"), e.getMessage());
    }

}
