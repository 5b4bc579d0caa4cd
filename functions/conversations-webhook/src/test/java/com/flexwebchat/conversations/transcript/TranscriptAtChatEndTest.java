package com.flexwebchat.conversations.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.conversations.ConversationsWebhookHandler;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SignedWebhooks;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.Burst;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.PersonalData;
import com.flexwebchat.standins.CapturedEmail;
import com.flexwebchat.standins.LocalSes;
import com.flexwebchat.standins.MailFault;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The transcript a visitor asked for in the form, sent once when the chat ends: Conversations'
 * {@code onConversationStateUpdated} with {@code StateTo=closed}, signed as Twilio signs it,
 * delivered again and again, at once, from several function instances, through the real handler
 * on a real DynamoDB-compatible store and a local Amazon SES.
 */
class TranscriptAtChatEndTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String PATH = "/webhooks/conversations";
    static final String FROM = "transcripts@example.com";

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass().withStore()
            .with("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());

    static LocalSes ses;
    final PersonalData personal = new PersonalData();

    @BeforeAll
    static void startSes() {
        ses = LocalSes.start("us-east-1").acceptCredentials("local", "local").verify(FROM);
    }

    @AfterAll
    static void stopSes() {
        ses.close();
    }

    @BeforeEach
    void clear() {
        ses.clear();
    }

    @AfterEach
    void nothingPersonalIsKept() {
        EmulatedTwilio.dynamo().resume();
        personal.assertNoneIn(EmulatedTwilio.dynamo().items(), twilio.logs().text());
    }

    static WebChatRuntime runtime() {
        Map<String, String> env = twilio.environment();
        env.put("FROM_EMAIL", FROM);
        env.putAll(ses.environment());
        return EmulatedTwilio.runtime(env, Clock.systemUTC());
    }

    /** A chat whose form asks (or not) for the transcript, closed as any ending closes it. */
    String closedChat(ObjectNode form) {
        WebChannels chat = twilio.startChat("Ada", Json.write(form));
        personal.used(chat.getIdentity());
        twilio.emulator().addMessageFromSdk(chat.getConversationSid(), chat.getIdentity(), "Where is my order?", null);
        twilio.emulator().closeConversation(chat.getConversationSid());
        return chat.getConversationSid();
    }

    ObjectNode form(Object optIn) {
        ObjectNode form = Json.object().put("friendlyName", "Ada").put("email", personal.used("ada@example.com"));
        if (optIn instanceof Boolean yes) {
            form.put("emailTranscript", yes);
        } else if (optIn != null) {
            form.put("emailTranscript", optIn.toString());
        }
        return form;
    }

    static Map<String, List<String>> stateUpdated(String conversationSid, String stateTo) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (String[] pair : new String[][] {{"AccountSid", ACCOUNT.accountSid()}, {"ChatServiceSid", ACCOUNT.conversationsServiceSid()},
                {"EventType", "onConversationStateUpdated"}, {"ConversationSid", conversationSid}, {"StateFrom", "active"},
                {"StateTo", stateTo}, {"StateUpdated", "2026-11-30T10:00:00.000Z"}, {"Reason", "API"}, {"Source", "API"}}) {
            form.put(pair[0], List.of(pair[1]));
        }
        return form;
    }

    static APIGatewayV2HTTPResponse deliver(ConversationsWebhookHandler handler, Map<String, List<String>> form) {
        Map<String, String> headers = new LinkedHashMap<>(SignedWebhooks.headers("application/x-www-form-urlencoded; charset=UTF-8",
                TwilioEmulator.signature(ACCOUNT.authToken(), SignedWebhooks.url(PATH), form)));
        headers.put("i-twilio-idempotency-token", UUID.randomUUID().toString());
        return handler.handle(HttpApiEvents.request("POST", PATH, PATH, "", headers, SignedWebhooks.encode(form), true),
                new LocalContext("ConversationsWebhookFunction", Duration.ofSeconds(12)));
    }

    @Test
    void anOptedInChatGetsItsTranscriptOnceHoweverManyTimesAndInstancesTheEndIsDelivered() {
        String chat = closedChat(form(true));
        Map<String, List<String>> event = stateUpdated(chat, "closed");
        List<ConversationsWebhookHandler> instances = IntStream.range(0, 8).mapToObj(i -> new ConversationsWebhookHandler(runtime())).toList();

        List<APIGatewayV2HTTPResponse> atOnce = Burst.of(8, i -> deliver(instances.get(i), event));
        APIGatewayV2HTTPResponse later = deliver(instances.get(0), event);

        atOnce.forEach(answer -> assertEquals(200, answer.getStatusCode(), answer.getBody()));
        assertEquals(200, later.getStatusCode());
        List<CapturedEmail> sent = ses.captured();
        assertEquals(1, sent.size(), "one transcript");
        assertEquals(List.of("ada@example.com"), sent.get(0).to());
        assertTrue(sent.get(0).text().contains("Ada: Where is my order?"), sent.get(0).text());
    }

    @Test
    void aCheckboxsStringSaysYesToo() {
        deliver(new ConversationsWebhookHandler(runtime()), stateUpdated(closedChat(form("on")), "closed"));

        assertEquals(1, ses.captured().size());
    }

    @Test
    void noTranscriptUnlessTheFormAskedForOneWithAnAddress() {
        ConversationsWebhookHandler handler = new ConversationsWebhookHandler(runtime());
        ObjectNode noAddress = Json.object().put("friendlyName", "Ada").put("emailTranscript", true);
        for (ObjectNode form : List.of(form(null), form(false), form("no"), noAddress)) {
            assertEquals(200, deliver(handler, stateUpdated(closedChat(form), "closed")).getStatusCode());
        }

        assertEquals(List.of(), ses.captured());
    }

    @Test
    void onlyTheChatsClosingCountsNotBecomingInactive() {
        String chat = closedChat(form(true));

        assertEquals(200, deliver(new ConversationsWebhookHandler(runtime()), stateUpdated(chat, "inactive")).getStatusCode());
        assertEquals(List.of(), ses.captured());
    }

    @Test
    void aRefusedEmailIsAnsweredSoTwiliosRetrySendsIt() {
        ConversationsWebhookHandler handler = new ConversationsWebhookHandler(runtime());
        Map<String, List<String>> event = stateUpdated(closedChat(form(true)), "closed");
        ses.failNext(1, MailFault.ACCESS_DENIED);

        APIGatewayV2HTTPResponse refused = deliver(handler, event);
        APIGatewayV2HTTPResponse retry = deliver(handler, event);

        assertEquals(502, refused.getStatusCode(), refused.getBody());
        assertEquals(200, retry.getStatusCode(), retry.getBody());
        assertEquals(1, ses.captured().size());
    }

    @Test
    void anEmailWhoseOutcomeIsUnknownIsNeverSentAgain() {
        ConversationsWebhookHandler handler = new ConversationsWebhookHandler(runtime());
        Map<String, List<String>> event = stateUpdated(closedChat(form(true)), "closed");
        ses.failNext(1, MailFault.SERVER_ERROR);

        assertEquals(200, deliver(handler, event).getStatusCode(), "nothing for Twilio to retry");
        assertEquals(200, deliver(handler, event).getStatusCode());
        assertEquals(List.of(), ses.captured());
        assertTrue(twilio.logs().text().contains("it is not sent again"), twilio.logs().text());
    }

    @Test
    void aMalformedStateEventIsA400AndSendsNothing() {
        ConversationsWebhookHandler handler = new ConversationsWebhookHandler(runtime());
        Map<String, List<String>> noState = stateUpdated("CH" + "0".repeat(32), "closed");
        noState.remove("StateTo");
        Map<String, List<String>> badSid = stateUpdated("CH-not-a-sid", "closed");

        assertEquals(400, deliver(handler, noState).getStatusCode());
        assertEquals(400, deliver(handler, badSid).getStatusCode());
        assertFalse(ses.captured().size() > 0);
    }
}
