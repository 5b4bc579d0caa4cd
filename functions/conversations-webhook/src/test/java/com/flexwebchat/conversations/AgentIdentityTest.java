package com.flexwebchat.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.twilio.rest.conversations.v1.service.conversation.ParticipantCreator;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Agents whose identity holds characters a URL or a query must encode ({@code @ + : # ? /}, a
 * space, an emoji, a percent sign): found, renamed to their public name and announced under it,
 * through the real handler and the real SDK against the emulator. Each identity travels encoded
 * exactly once: the worker's filter and the user's path carry it as Twilio decodes it back to
 * the identity itself.
 */
class AgentIdentityTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass()
            .with("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());

    @ParameterizedTest
    @ValueSource(strings = {"jane@example.com", "jane+1@example.com", "sip:jane", "team#2", "who?me", "eu/jane",
            "jane doe", "jane\uD83D\uDE00", "100%jane", "jane%40example.com", "alice_40example_2Ecom"})
    void anAgentIsRenamedAndAnnouncedWhateverTheirIdentityHolds(String identity) {
        WebChannels chat = twilio.startChat();
        ObjectNode attributes = Json.object().put("contact_uri", "client:" + identity).put("full_name", "Jane Real")
                .put("public_identity", "Sam");
        twilio.emulator().addWorker("Jane Real " + identity, Json.write(attributes));
        String participant = twilio.runtime().twilio().call("add the agent", client ->
                new ParticipantCreator(ACCOUNT.conversationsServiceSid(), chat.getConversationSid())
                        .setIdentity(identity).create(client)).getSid();
        twilio.emulator().clearRequests();

        APIGatewayV2HTTPResponse response = ConversationsWebhookTest.deliver(new ConversationsWebhookHandler(twilio.runtime()),
                ConversationsWebhookTest.participantAdded(chat.getConversationSid(), participant, identity));

        assertEquals(200, response.getStatusCode(), response.getBody() + twilio.emulator().requests().stream().map(r -> r.method() + " " + r.path() + "?" + r.query() + " -> " + r.status()).toList());
        List<RecordedRequest> lookups = twilio.emulator().requests("GET", "/taskrouter/v1/Workspaces/.*/Workers");
        assertEquals(1, lookups.size());
        assertEquals("contact_uri == \"client:" + identity + "\"",
                lookups.get(0).queryParams().get("TargetWorkersExpression").get(0), "the filter, decoded once, is the identity");
        List<RecordedRequest> userCalls = twilio.emulator().requests(null, "/conversations/v1/Services/.*/Users/.*");
        assertEquals(2, userCalls.size(), "one read, one rename: " + userCalls);
        for (RecordedRequest call : userCalls) {
            String user = call.path().substring(call.path().lastIndexOf("/Users/") + "/Users/".length());
            // What the SDK cannot put in a path segment (/ ? #) goes by the User's SID.
            boolean bySid = identity.chars().anyMatch(c -> "/?#".indexOf(c) >= 0);
            assertTrue(bySid ? user.matches("US[0-9a-f]{32}") : user.equals(identity),
                    "the user, as Twilio decodes the path once, is the identity itself (or its SID): " + call.path());
        }
        assertEquals("Sam", twilio.emulator().user(identity).orElseThrow().get("friendly_name"), "renamed: " + identity);
        List<Map<String, Object>> notices = twilio.emulator().messages(chat.getConversationSid()).stream()
                .filter(m -> "Concierge".equals(m.get("author"))).toList();
        assertEquals(List.of("Sam joined the chat"), notices.stream().map(m -> m.get("body")).toList());
    }
}
