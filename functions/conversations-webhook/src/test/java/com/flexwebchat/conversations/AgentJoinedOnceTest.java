package com.flexwebchat.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SignedWebhooks;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.Burst;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.PersonalData;
import com.twilio.rest.conversations.v1.service.conversation.ParticipantCreator;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One "joined" notice per agent participant, whichever deliveries announce it: the same
 * {@code onParticipantAdded} delivered by two webhook configurations (the service's and the
 * account's) carries an idempotency token each, so the join is keyed by the participant, not the
 * delivery. And nothing for a conversation Twilio does not have or that has closed. Through the
 * real handler, signed as Twilio signs, on a real DynamoDB-compatible store (dynalite).
 */
class AgentJoinedOnceTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String PATH = "/webhooks/conversations";
    static final String AGENT = "alice_40example_2Ecom";
    static final String MESSAGE_READS = "/conversations/v1/Services/.*/Conversations/CH[0-9a-f]{32}/Messages";
    static final String MESSAGE_POSTS = MESSAGE_READS;
    static final String USER_UPDATES = "/conversations/v1/Services/.*/Users/.*";

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.freshForEachTest().withStore()
            .with("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());

    final PersonalData personal = new PersonalData();

    @AfterEach
    void nothingPersonalIsKept() {
        EmulatedTwilio.dynamo().resume();
        personal.assertNoneIn(EmulatedTwilio.dynamo().items(), twilio.logs().text());
    }

    static ConversationsWebhookHandler instance() {
        return new ConversationsWebhookHandler(twilio.runtime());
    }

    WebChannels chat() {
        WebChannels chat = twilio.startChat();
        personal.used(chat.getIdentity());
        return chat;
    }

    /** A Flex worker with this public name whose identity joins the chat: answers the participant's SID. */
    String agentJoined(WebChannels chat, String identity, String publicName) {
        ObjectNode attributes = Json.object().put("contact_uri", "client:" + identity).put("full_name", "Alice Real")
                .put("public_identity", publicName);
        twilio.emulator().addWorker("Alice Real", Json.write(attributes));
        return join(chat.getConversationSid(), identity);
    }

    String join(String conversationSid, String identity) {
        String sid = twilio.runtime().twilio().call("add the agent", client ->
                new ParticipantCreator(ACCOUNT.conversationsServiceSid(), conversationSid)
                        .setIdentity(identity).create(client)).getSid();
        twilio.emulator().clearRequests();
        return sid;
    }

    static APIGatewayV2HTTPResponse deliver(ConversationsWebhookHandler handler, Map<String, List<String>> form, String token) {
        Map<String, String> headers = new LinkedHashMap<>(SignedWebhooks.headers("application/x-www-form-urlencoded; charset=UTF-8",
                TwilioEmulator.signature(ACCOUNT.authToken(), SignedWebhooks.url(PATH), form)));
        headers.put("i-twilio-idempotency-token", token);
        return handler.handle(HttpApiEvents.request("POST", PATH, PATH, "", headers, SignedWebhooks.encode(form), true),
                new LocalContext("ConversationsWebhookFunction", ConversationsWebhookEffectsTest.FUNCTION_TIMEOUT));
    }

    List<Object> notices(String conversationSid) {
        return twilio.emulator().messages(conversationSid).stream()
                .filter(m -> "Concierge".equals(m.get("author"))).map(m -> m.get("body")).toList();
    }

    // --- Class 1: one join, one notice, whatever the deliveries' tokens -----------------------------------

    @Test
    void twoConcurrentDeliveriesOfOneJoinWithTokensOfTheirOwnPostOneNotice() {
        assertOneNoticeForDeliveriesWithTokensOfTheirOwn(2);
    }

    @Test
    void eightConcurrentDeliveriesOfOneJoinWithTokensOfTheirOwnPostOneNotice() {
        assertOneNoticeForDeliveriesWithTokensOfTheirOwn(8);
    }

    void assertOneNoticeForDeliveriesWithTokensOfTheirOwn(int deliveries) {
        WebChannels chat = chat();
        String participant = agentJoined(chat, AGENT, "Sam");
        Map<String, List<String>> event = ConversationsWebhookTest.participantAdded(chat.getConversationSid(), participant, AGENT);
        List<ConversationsWebhookHandler> instances = IntStream.range(0, deliveries).mapToObj(i -> instance()).toList();
        // Every delivery looks for an earlier notice before any has posted one.
        twilio.emulator().delayNext("GET", MESSAGE_READS, Duration.ofMillis(300), deliveries);

        List<APIGatewayV2HTTPResponse> answers = Burst.of(deliveries,
                i -> deliver(instances.get(i), event, "idem-config-" + i + "-" + chat.getConversationSid()));

        answers.forEach(answer -> assertEquals(200, answer.getStatusCode(), answer.getBody()));
        assertEquals(List.of("Sam joined the chat"), notices(chat.getConversationSid()));
        assertEquals(1, twilio.emulator().requests("POST", MESSAGE_POSTS).size(), "one notice posted");
        assertEquals(1, twilio.emulator().requests("POST", USER_UPDATES).size(), "one rename");
    }

    /** A later delivery with a token of its own, after the join took effect, does nothing either. */
    @Test
    void aLaterDeliveryOfTheJoinWithAnotherTokenChangesNothing() {
        WebChannels chat = chat();
        String participant = agentJoined(chat, AGENT, "Sam");
        Map<String, List<String>> event = ConversationsWebhookTest.participantAdded(chat.getConversationSid(), participant, AGENT);
        assertEquals(200, deliver(instance(), event, "idem-account-level").getStatusCode());
        twilio.emulator().clearRequests();

        assertEquals(200, deliver(instance(), event, "idem-service-level").getStatusCode());

        assertEquals(List.of(), twilio.emulator().writes());
        assertEquals(List.of("Sam joined the chat"), notices(chat.getConversationSid()));
    }

    /** The same agent joining again (a transfer back) is a new participant: a notice of its own. */
    @Test
    void anotherParticipantOfTheSameAgentIsAnnouncedAgain() {
        WebChannels chat = chat();
        String first = agentJoined(chat, AGENT, "Sam");
        deliver(instance(), ConversationsWebhookTest.participantAdded(chat.getConversationSid(), first, AGENT), "idem-1");
        twilio.runtime().twilio().call("the agent leaves", client -> com.twilio.rest.conversations.v1.service.conversation.Participant
                .deleter(ACCOUNT.conversationsServiceSid(), chat.getConversationSid(), first).delete(client));
        String second = join(chat.getConversationSid(), AGENT);

        deliver(instance(), ConversationsWebhookTest.participantAdded(chat.getConversationSid(), second, AGENT), "idem-2");

        assertEquals(List.of("Sam joined the chat", "Sam joined the chat"), notices(chat.getConversationSid()));
    }

    // --- Class 6: nothing to do is answered as Twilio expects, and nothing is written -----------------------

    @Test
    void aJoinToAConversationTwilioDoesNotHaveIsAnsweredOkAndWritesNothing() {
        WebChannels chat = chat();
        String participant = agentJoined(chat, AGENT, "Sam");
        String unknown = "CH" + "0123456789abcdef".repeat(2);

        APIGatewayV2HTTPResponse answer = deliver(instance(),
                ConversationsWebhookTest.participantAdded(unknown, participant, AGENT), "idem-unknown");

        assertEquals(200, answer.getStatusCode(), answer.getBody());
        assertEquals(List.of(), twilio.emulator().writes());
        assertTrue(twilio.logs().text().contains("\"outcome\":\"conversation_not_found\""), twilio.logs().text());
    }

    @Test
    void aJoinToAClosedConversationPostsNoNotice() {
        WebChannels chat = chat();
        String participant = agentJoined(chat, AGENT, "Sam");
        twilio.emulator().closeConversation(chat.getConversationSid());
        twilio.emulator().clearRequests();

        APIGatewayV2HTTPResponse answer = deliver(instance(),
                ConversationsWebhookTest.participantAdded(chat.getConversationSid(), participant, AGENT), "idem-closed");

        assertEquals(200, answer.getStatusCode(), answer.getBody());
        assertEquals(List.of(), notices(chat.getConversationSid()));
        assertEquals(List.of(), twilio.emulator().writes());
        assertTrue(twilio.logs().text().contains("\"outcome\":\"conversation_closed\""), twilio.logs().text());
    }
}
