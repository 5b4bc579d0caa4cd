package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.agentended.AgentEndedHandler;
import com.flexwebchat.conversations.ConversationsWebhookHandler;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.SamLocalInvoke;
import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.studio.StudioWebhookHandler;
import com.flexwebchat.token.RefreshTokenHandler;
import com.flexwebchat.webchannel.WebChannelHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every events/ file, run as {@code sam local invoke <LogicalId> -t template.yaml -e events/<file>
 * --env-vars env.example.json} would run it: the handler template.yaml names, its no-argument
 * constructor, the event file's bytes handed to it as the Java runtime hands them to a
 * {@code RequestStreamHandler}, the answer read back with the runtime's own serialiser, the template's timeout, with the
 * Twilio base URL pointed at an emulator on this machine (events/README.md). Each case is what
 * events/README.md says the event does, against the Twilio state it names; every file has one.
 */
class SamLocalInvokeTest {

    /** One per case: the cases give Twilio different states (a chat for the events' visitor, or none). */
    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.freshForEachTest();

    /** The identity the events' tokens belong to (events/README.md). */
    static final String EVENTS_VISITOR = "events-visitor";
    /** The chat the webhook events name, which a fresh emulator does not have. */
    static final String EVENTS_CHAT = "CH00112233445566778899aabbccddeeff";
    static final String EVENTS_CONVERSATION = "/conversations/v1/Services/IS0123456789abcdef0123456789abcdef"
            + "/Conversations/" + EVENTS_CHAT;

    /** The functions of template.yaml, by logical id, with the handler each is to run. */
    enum Function {
        WEB_CHANNEL("WebChannelFunction", WebChannelHandler.class),
        TOKEN("TokenFunction", RefreshTokenHandler.class),
        STUDIO_WEBHOOK("StudioWebhookFunction", StudioWebhookHandler.class),
        CONVERSATIONS_WEBHOOK("ConversationsWebhookFunction", ConversationsWebhookHandler.class),
        AGENT_ENDED("AgentEndedFunction", AgentEndedHandler.class);

        final String logicalId;
        final Class<?> handler;

        Function(String logicalId, Class<?> handler) {
            this.logicalId = logicalId;
            this.handler = handler;
        }
    }

    /** Twilio's state before the event arrives; answers the SID of the chat it made, or null. */
    interface Given {
        String prepare(TwilioEmulator emulator) throws Exception;
    }

    /** What must hold after the function answered with the expected status; {@code chat} is what {@link Given} made. */
    interface Then {
        void check(APIGatewayV2HTTPResponse response, TwilioEmulator emulator, String chat) throws Exception;
    }

    /**
     * One event file run by one function, from a given Twilio state.
     *
     * @param what   the case, as the test report names it
     * @param status the HTTP status the function answers
     */
    record Case(String what, String event, Function function, Given given, int status, Then then) {
        @Override
        public String toString() {
            return event + ": " + what;
        }
    }

    static final Given A_FRESH_EMULATOR = emulator -> null;

    /** The events' visitor has an open chat, made the way events/README.md tells a user to make it. */
    static final Given THE_VISITOR_HAS_A_CHAT = emulator -> startChatFor(emulator, EVENTS_VISITOR);

    static List<Case> cases() {
        return List.of(
                new Case("starts a chat", "initWebchat.json", Function.WEB_CHANNEL, A_FRESH_EMULATOR, 200,
                        (response, emulator, chat) -> {
                            String conversationSid = json(response).get("conversationSid").asText();
                            assertTrue(emulator.conversation(conversationSid).isPresent());
                            assertEquals(2, emulator.messages(conversationSid).size(), "the visitor's query and the welcome");
                        }),
                new Case("a disallowed origin is refused without calling Twilio", "initWebchat-disallowed-origin.json",
                        Function.WEB_CHANNEL, A_FRESH_EMULATOR, 403,
                        (response, emulator, chat) -> {
                            assertEquals("origin_not_allowed", json(response).at("/error/code").asText());
                            assertEquals(List.of(), emulator.requests());
                        }),
                new Case("an invalid email is refused without calling Twilio", "initWebchat-invalid-email.json",
                        Function.WEB_CHANNEL, A_FRESH_EMULATOR, 400,
                        (response, emulator, chat) -> {
                            assertEquals("formData.email", json(response).at("/error/field").asText());
                            assertEquals(List.of(), emulator.requests());
                        }),
                new Case("with no chat for the visitor, ended and nothing written", "endChat.json",
                        Function.WEB_CHANNEL, A_FRESH_EMULATOR, 200,
                        (response, emulator, chat) -> {
                            assertEquals(Json.parse("{\"ended\":true}"), json(response));
                            assertEquals(List.of(), emulator.writes());
                        }),
                new Case("ends the visitor's chat with the notice", "endChat.json",
                        Function.WEB_CHANNEL, THE_VISITOR_HAS_A_CHAT, 200,
                        (response, emulator, chat) -> {
                            assertEquals(Json.parse("{\"ended\":true}"), json(response));
                            assertEquals("closed", emulator.conversation(chat).orElseThrow().get("state"));
                            assertEquals("The customer has left the chat", emulator.messages(chat).get(0).get("body"));
                        }),
                new Case("refused while the visitor has no chat", "refreshToken.json",
                        Function.TOKEN, A_FRESH_EMULATOR, 403,
                        (response, emulator, chat) -> assertEquals("token_refused", json(response).at("/error/code").asText())),
                new Case("renewed once the visitor has a chat", "refreshToken.json",
                        Function.TOKEN, THE_VISITOR_HAS_A_CHAT, 200,
                        (response, emulator, chat) -> assertFalse(json(response).get("token").asText().isEmpty())),
                new Case("the signature passes and Twilio is asked for the chat, which it does not have", "webhooks-studio.json",
                        Function.STUDIO_WEBHOOK, A_FRESH_EMULATOR, 404,
                        (response, emulator, chat) -> {
                            assertEquals("conversation_not_found", json(response).at("/error/code").asText());
                            assertEquals(1, emulator.requests("GET", EVENTS_CONVERSATION).size());
                        }),
                new Case("a tampered body is refused without asking Twilio", "webhooks-studio-bad-signature.json",
                        Function.STUDIO_WEBHOOK, A_FRESH_EMULATOR, 403,
                        (response, emulator, chat) -> assertEquals(List.of(), emulator.requests())),
                new Case("a card number in the message is masked before it is stored", "webhooks-conversations-onMessageAdd.json",
                        Function.CONVERSATIONS_WEBHOOK, A_FRESH_EMULATOR, 200,
                        (response, emulator, chat) -> {
                            assertEquals("My card is •••• •••• •••• 1111, can you check my order?",
                                    json(response).get("body").asText());
                            assertFalse(response.getBody().contains("4111 1111"));
                            assertEquals(List.of(), emulator.writes());
                        }),
                new Case("a participant without a worker is not an agent", "webhooks-conversations-onParticipantAdded.json",
                        Function.CONVERSATIONS_WEBHOOK, A_FRESH_EMULATOR, 200,
                        (response, emulator, chat) -> assertEquals(List.of(), emulator.writes())),
                new Case("a chat that closed is looked up; one Twilio does not know gets no transcript",
                        "webhooks-conversations-onConversationStateUpdated.json", Function.CONVERSATIONS_WEBHOOK, A_FRESH_EMULATOR, 200,
                        (response, emulator, chat) -> {
                            assertEquals(1, emulator.requests("GET", EVENTS_CONVERSATION).size(), emulator.requests().toString());
                            assertEquals(List.of(), emulator.writes());
                        }),
                new Case("the widget's transcript request needs the store, which env.example.json has not: nothing asked or sent",
                        "email.json", Function.CONVERSATIONS_WEBHOOK, A_FRESH_EMULATOR, 503,
                        (response, emulator, chat) -> {
                            assertEquals("store_unavailable", json(response).at("/error/code").asText());
                            assertEquals(List.of(), emulator.requests());
                        }),
                new Case("another event is acknowledged and nothing else", "webhooks-conversations-onConversationUpdated.json",
                        Function.CONVERSATIONS_WEBHOOK, A_FRESH_EMULATOR, 200,
                        (response, emulator, chat) -> assertEquals(List.of(), emulator.requests())),
                new Case("a wrap-up for a chat Twilio does not know is acknowledged", "webhooks-taskrouter-task-wrapup.json",
                        Function.AGENT_ENDED, A_FRESH_EMULATOR, 204, SamLocalInvokeTest::askedOnceAndNothingWritten),
                new Case("a canceled task for a chat Twilio does not know is acknowledged", "webhooks-taskrouter-task-canceled.json",
                        Function.AGENT_ENDED, A_FRESH_EMULATOR, 204, SamLocalInvokeTest::askedOnceAndNothingWritten),
                new Case("a completed task for a chat Twilio does not know is acknowledged", "webhooks-taskrouter-task-completed.json",
                        Function.AGENT_ENDED, A_FRESH_EMULATOR, 204, SamLocalInvokeTest::askedOnceAndNothingWritten));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachEventIsAnsweredAsEventsReadmeSays(Case c) throws Exception {
        String chat = c.given().prepare(twilio.emulator());
        twilio.emulator().clearRequests();

        APIGatewayV2HTTPResponse response = SamLocalInvoke.invokeExample(c.function().logicalId, c.event(),
                twilio.emulator().baseUrl());

        assertEquals(c.status(), response.getStatusCode(), response.getBody());
        c.then().check(response, twilio.emulator(), chat);
    }

    /**
     * {@code sam local invoke -e} (or {@code aws lambda invoke}) with a payload that is no HTTP API
     * event: a 400 in the HTTP API's shape, and nothing asked of Twilio.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Function.class)
    void aPayloadThatIsNoEventIsAnswered400WithoutCallingTwilio(Function function, @TempDir Path folder) throws Exception {
        for (String payload : List.of("", "not json", "[]", "\"initWebchat\"", "{\"version\": \"2.0\", ")) {
            Path event = Files.writeString(folder.resolve("event.json"), payload);
            Map<String, String> env = new LinkedHashMap<>(
                    SamLocalInvoke.envVars(SamLocalInvoke.projectRoot().resolve("env.example.json"), function.logicalId));
            env.put("TWILIO_API_BASE_URL", twilio.emulator().baseUrl());
            twilio.emulator().clearRequests();

            APIGatewayV2HTTPResponse[] response = {null};
            Log.muted(() -> response[0] = SamLocalInvoke.invoke(function.logicalId, event, env));

            assertEquals(400, response[0].getStatusCode(), payload + ": " + response[0].getBody());
            assertEquals("bad_event", json(response[0]).at("/error/code").asText(), payload);
            assertEquals(List.of(), twilio.emulator().requests(), payload);
        }
    }

    @Test
    void everyEventFileHasACaseAndEveryCaseAFile() throws IOException {
        Set<String> files;
        try (Stream<Path> events = Files.list(SamLocalInvoke.projectRoot().resolve("events"))) {
            files = events.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".json"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> exercised = cases().stream().map(Case::event).collect(Collectors.toCollection(TreeSet::new));

        assertEquals(files, exercised, "each events/ file is exercised by a case here, and each case's file exists");
    }

    @ParameterizedTest
    @EnumSource(Function.class)
    void eachFunctionRunsTheHandlerTemplateYamlNames(Function function) {
        SamTemplate template = SamTemplate.load(SamLocalInvoke.projectRoot().resolve("template.yaml"));
        SamTemplate.SamFunction declared = template.function(function.logicalId);

        assertNotNull(declared);
        assertEquals(function.handler.getName(), declared.handler());
        assertTrue(RequestStreamHandler.class.isAssignableFrom(function.handler),
                "the runtime hands the handler the event's bytes, with no serialiser of its own");
        assertFalse(SamLocalInvoke.envVars(SamLocalInvoke.projectRoot().resolve("env.example.json"), function.logicalId).isEmpty(),
                "env.example.json has the function's variables");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    static JsonNode json(APIGatewayV2HTTPResponse response) throws IOException {
        return Json.parse(response.getBody());
    }

    /** The webhook events' chat is not in a fresh emulator: Twilio is asked once, answers 404, and nothing is written. */
    static void askedOnceAndNothingWritten(APIGatewayV2HTTPResponse response, TwilioEmulator emulator, String chat) {
        assertEquals("", response.getBody());
        assertEquals(1, emulator.requests("GET", EVENTS_CONVERSATION).size(), emulator.requests().toString());
        assertEquals(1, emulator.requests().size(), emulator.requests().toString());
    }

    /**
     * What events/README.md tells a user to run before the events' token is any use:
     * {@code curl -u ACCOUNT_SID:AUTH_TOKEN -d AddressSid=... -d Identity=events-visitor .../flex-api/v2/WebChats}.
     * Answers the conversation's SID.
     */
    static String startChatFor(TwilioEmulator emulator, String identity) throws Exception {
        String credentials = emulator.account().accountSid() + ":" + emulator.account().authToken();
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/flex-api/v2/WebChats"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("AddressSid=" + emulator.account().addressSid() + "&Identity=" + identity))
                .build();
        HttpResponse<String> created = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return Json.parse(created.body()).get("conversation_sid").asText();
    }
}
