package com.flexwebchat.conversations.transcript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.conversations.ConversationsWebhookHandler;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.MovableClock;
import com.flexwebchat.shared.testing.PersonalData;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.flexwebchat.standins.CapturedEmail;
import com.flexwebchat.standins.LocalSendGrid;
import com.flexwebchat.standins.LocalSes;
import com.flexwebchat.standins.MailFault;
import com.sun.net.httpserver.HttpServer;
import com.twilio.rest.conversations.v1.service.conversation.ParticipantCreator;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /email} through the real handler, as the unmodified widget sends it and with our
 * token: the real SDK against the emulator, a real DynamoDB-compatible store (dynalite), and the
 * email sent over HTTP to a local Amazon SES (or SendGrid) that checks each request as the service
 * documents it. What must happen (the chat's own transcript to the chat's own address) and every
 * way to get mail sent elsewhere or made of something else, which must not.
 */
class EmailTranscriptTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String FROM = "transcripts@example.com";
    static final String AGENT = "alice.real@example.com";
    static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(12);

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass().withStore()
            .with("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());

    static LocalSes ses;
    static LocalSendGrid sendGrid;
    /** A server the test runs, standing for any URL a client could put in mediaInfo: it must never be called. */
    static HttpServer bait;
    static final AtomicInteger baitCalls = new AtomicInteger();

    final PersonalData personal = new PersonalData();
    WebChatRuntime runtime;
    ConversationsWebhookHandler handler;

    @BeforeAll
    static void startStandIns() throws Exception {
        ses = LocalSes.start("us-east-1").acceptCredentials("local", "local").verify(FROM);
        sendGrid = LocalSendGrid.start("SG.test-key").verify(FROM);
        bait = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        bait.createContext("/", exchange -> {
            baitCalls.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        bait.start();
    }

    @AfterAll
    static void stopStandIns() {
        ses.close();
        sendGrid.close();
        bait.stop(0);
    }

    @BeforeEach
    void build() {
        ses.clear();
        sendGrid.clear();
        baitCalls.set(0);
        runtime = runtime(Clock.systemUTC(), ses.environment());
        handler = new ConversationsWebhookHandler(runtime);
    }

    @AfterEach
    void nothingPersonalIsKept() {
        EmulatedTwilio.dynamo().resume();
        personal.assertNoneIn(EmulatedTwilio.dynamo().items(), twilio.logs().text());
    }

    static WebChatRuntime runtime(Clock clock, Map<String, String> mail) {
        Map<String, String> env = twilio.environment();
        env.put("FROM_EMAIL", "Acme Support <" + FROM + ">");
        env.put("TRANSCRIPT_TIME_ZONE", "Europe/London");
        env.putAll(mail);
        return EmulatedTwilio.runtime(env, clock);
    }

    // --- the chat ---------------------------------------------------------------------------------------------

    /** A chat started from the widget's form with this email, as /initWebchat leaves it: remembered by address. */
    WebChannels chat(String name, String email) {
        String form = Json.write(Json.object().put("friendlyName", name).put("email", email).put("query", "Hi"));
        WebChannels chat = twilio.startChat(name, form);
        personal.used(email);
        personal.used(chat.getIdentity());
        runtime.recentChats().remember(email, chat.getConversationSid());
        return chat;
    }

    /** An agent (worker "Alice Real", public name "Sam") joins and writes. */
    void agentWrites(WebChannels chat, String body) {
        ObjectNode attributes = Json.object().put("contact_uri", "client:" + AGENT).put("full_name", "Alice Real")
                .put("public_identity", "Sam");
        twilio.emulator().addWorker("Alice Real", Json.write(attributes));
        runtime.twilio().call("add the agent", client -> new ParticipantCreator(ACCOUNT.conversationsServiceSid(),
                chat.getConversationSid()).setIdentity(AGENT).create(client));
        twilio.emulator().addMessageFromSdk(chat.getConversationSid(), AGENT, body, null);
    }

    // --- the request ------------------------------------------------------------------------------------------

    /** Exactly what twilio-webchat-react-app's Transcript.tsx sends, with the page's headers. */
    static String widgetBody(String recipient, String baitUrl) {
        ObjectNode body = Json.object().put("recipientAddress", recipient)
                .put("subject", "Transcript of your chat with Sam")
                .put("text", "<div><h1>Chat Transcript</h1><p>Hello Ada,<br><script>steal()</script>INJECTED TEXT</p></div>");
        body.putArray("mediaInfo").addObject().put("url", baitUrl).put("filename", "a.png").put("type", "image/png");
        body.putArray("uniqueFilenames").add("a.png");
        return Json.write(body);
    }

    APIGatewayV2HTTPResponse post(String body) {
        return post(handler, body, EmulatedTwilio.ORIGIN);
    }

    static APIGatewayV2HTTPResponse post(ConversationsWebhookHandler handler, String body, String origin) {
        Map<String, String> headers = new LinkedHashMap<>(Map.of("content-type", "application/json", "origin", origin));
        return handler.handle(HttpApiEvents.request("POST", "/email", "/email", "", headers, body, false),
                new LocalContext("ConversationsWebhookFunction", FUNCTION_TIMEOUT));
    }

    String tokenFor(String identity) {
        return AccessTokenIssuer.from(runtime.config(), Clock.systemUTC()).issue(identity).jwt();
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.parse(response.getBody());
    }

    static String baitUrl() {
        return "http://127.0.0.1:" + bait.getAddress().getPort() + "/internal/secret.png";
    }

    // --- who gets what ----------------------------------------------------------------------------------------

    @Test
    void theWidgetsOwnRequestSendsTheChatsOwnTranscriptToTheChatsAddress() throws Exception {
        WebChannels chat = chat("Ada", "ada@example.com");
        twilio.emulator().addMessageFromSdk(chat.getConversationSid(), chat.getIdentity(), "My card is 4111 1111 1111 1111", null);
        agentWrites(chat, "Hello <b>Ada</b> & welcome");

        APIGatewayV2HTTPResponse response = post(widgetBody("ada@example.com", baitUrl()));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(TranscriptRequests.SENT_IF_KNOWN, json(response).get("message").asText());
        List<CapturedEmail> sent = ses.captured();
        assertEquals(1, sent.size());
        CapturedEmail email = sent.get(0);
        assertEquals(List.of("ada@example.com"), email.to());
        assertEquals(List.of(), email.cc());
        assertEquals(List.of(), email.bcc());
        assertEquals(FROM, email.fromAddress());
        assertEquals("Transcript of your chat", email.subject(), "the request's subject is ignored");
        assertTrue(email.html().contains("<strong>Sam</strong>"), email.html());
        assertFalse(email.html().contains("Alice Real") || email.text().contains("Alice Real"), "never the worker's real name");
        assertFalse(email.html().contains(AGENT) || email.html().contains(chat.getIdentity()), "never an identity");
        assertTrue(email.html().contains("Hello &lt;b&gt;Ada&lt;/b&gt; &amp; welcome"), email.html());
        assertTrue(email.text().contains("Ada: My card is •••• •••• •••• 1111"), email.text());
        assertFalse(email.html().contains("4111"), "card numbers masked");
        assertFalse(email.html().contains("INJECTED TEXT") || email.html().contains("steal()"), "the request's HTML is ignored");
        assertTrue(email.text().contains("Times are in Europe/London."), email.text());
        assertEquals(List.of(), email.attachments(), "nothing from the request's mediaInfo");
        assertEquals(0, baitCalls.get(), "the URL in mediaInfo was never fetched");
        String logs = twilio.logs().text();
        assertTrue(logs.contains("\"textSize\":"), logs);
        assertFalse(logs.contains("INJECTED") || logs.contains("ada@example.com"), "neither the ignored fields nor the address are logged");
    }

    @Test
    void anAddressWithoutARecentChatGetsNothingAndTheSameAnswer() throws Exception {
        chat("Ada", "ada@example.com");

        APIGatewayV2HTTPResponse unknown = post(widgetBody(personal.used("mallory@example.com"), baitUrl()));

        assertEquals(200, unknown.getStatusCode(), unknown.getBody());
        assertEquals(TranscriptRequests.SENT_IF_KNOWN, json(unknown).get("message").asText(), "the same answer as when one was sent");
        assertEquals(List.of(), ses.captured());
        assertEquals(0, baitCalls.get());
    }

    @Test
    void anAddressThatIsNotTheChatsOwnGetsNothingEvenWhenTheStoreSaysItStartedIt() throws Exception {
        WebChannels chat = chat("Ada", "ada@example.com");
        runtime.recentChats().remember(personal.used("eve@example.com"), chat.getConversationSid());

        assertEquals(200, post(widgetBody("eve@example.com", baitUrl())).getStatusCode());
        assertEquals(List.of(), ses.captured());
    }

    @Test
    void aChatStartedMoreThanADayAgoIsNotFoundByItsAddress() {
        MovableClock yesterday = new MovableClock(Clock.systemUTC().instant().minus(Duration.ofHours(25)));
        String form = Json.write(Json.object().put("friendlyName", "Ada").put("email", personal.used("old@example.com")));
        WebChannels chat = twilio.startChat("Ada", form);
        personal.used(chat.getIdentity());
        runtime(yesterday, ses.environment()).recentChats().remember("old@example.com", chat.getConversationSid());

        assertEquals(200, post(widgetBody("old@example.com", baitUrl())).getStatusCode());
        assertEquals(List.of(), ses.captured());
    }

    @Test
    void aTokenSendsItsOwnChatsTranscriptToItsOwnFormsAddressWhateverRecipientAddressSays() throws Exception {
        chat("Ada", "ada@example.com");
        WebChannels bob = chat("Bob", "bob@example.com");
        ObjectNode body = (ObjectNode) Json.parse(widgetBody("ada@example.com", baitUrl()));
        body.put("token", tokenFor(bob.getIdentity()));

        APIGatewayV2HTTPResponse response = post(Json.write(body));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(TranscriptRequests.SENT, json(response).get("message").asText());
        assertEquals(List.of(List.of("bob@example.com")), ses.captured().stream().map(CapturedEmail::to).toList());
        assertTrue(ses.captured().get(0).html().contains("Hello Bob"), ses.captured().get(0).html());
    }

    @Test
    void aTokenOfAChatThatEndedTodayStillGetsItsTranscript() throws Exception {
        WebChannels chat = chat("Ada", "ada@example.com");
        twilio.emulator().closeConversation(chat.getConversationSid());

        APIGatewayV2HTTPResponse response = post(Json.write(Json.object().put("token", tokenFor(chat.getIdentity()))));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(1, ses.captured().size());
    }

    @Test
    void aTokenWhoseChatHasNoAddressGetsNothingAndIsToldSo() throws Exception {
        WebChannels chat = twilio.startChat("Ada", Json.write(Json.object().put("friendlyName", "Ada")));
        personal.used(chat.getIdentity());

        APIGatewayV2HTTPResponse response = post(Json.write(Json.object().put("token", tokenFor(chat.getIdentity()))));

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(TranscriptRequests.NO_ADDRESS, json(response).get("message").asText());
        assertEquals(List.of(), ses.captured());
    }

    @Test
    void aForgedOrForeignTokenIsRefusedAndNothingIsAskedOrSent() throws Exception {
        WebChannels chat = chat("Ada", "ada@example.com");
        String real = tokenFor(chat.getIdentity());
        String forged = real.substring(0, real.lastIndexOf('.') + 1) + "AAAA" + real.substring(real.lastIndexOf('.') + 5);
        Map<String, String> otherAccount = twilio.environment();
        otherAccount.put("API_SECRET", "another_api_secret_0123456789abcd");
        String foreign = AccessTokenIssuer.from(EmulatedTwilio.runtime(otherAccount, Clock.systemUTC()).config(), Clock.systemUTC())
                .issue(chat.getIdentity()).jwt();
        twilio.emulator().clearRequests();

        for (String token : List.of(forged, foreign, "not a token")) {
            APIGatewayV2HTTPResponse response = post(Json.write(Json.object().put("token", token).put("recipientAddress", "ada@example.com")));
            assertEquals(403, response.getStatusCode(), response.getBody());
            assertEquals("token_refused", json(response).at("/error/code").asText());
        }
        assertEquals(List.of(), ses.captured());
        assertEquals(List.of(), twilio.emulator().requests(), "Twilio was never asked");
    }

    // --- limits -----------------------------------------------------------------------------------------------

    @Test
    void oneTranscriptPerChatAnHourAndTheSecondAskLooksTheSameForAnAddressWithoutAChat() throws Exception {
        chat("Ada", "ada@example.com");
        personal.used("nobody@example.com");

        assertEquals(200, post(widgetBody("ada@example.com", baitUrl())).getStatusCode());
        assertEquals(200, post(widgetBody("nobody@example.com", baitUrl())).getStatusCode());
        APIGatewayV2HTTPResponse again = post(widgetBody("ada@example.com", baitUrl()));
        APIGatewayV2HTTPResponse againUnknown = post(widgetBody("nobody@example.com", baitUrl()));

        assertEquals(429, again.getStatusCode(), again.getBody());
        assertEquals(429, againUnknown.getStatusCode(), againUnknown.getBody());
        assertEquals(json(again).at("/error/code"), json(againUnknown).at("/error/code"));
        assertEquals(1, ses.captured().size());
    }

    @Test
    void eightClicksAtOnceFromEightInstancesSendOneEmail() throws Exception {
        chat("Ada", "ada@example.com");
        List<ConversationsWebhookHandler> instances = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> new ConversationsWebhookHandler(runtime(Clock.systemUTC(), ses.environment()))).toList();

        List<APIGatewayV2HTTPResponse> answers = com.flexwebchat.shared.testing.Burst.of(8,
                i -> post(instances.get(i), widgetBody("ada@example.com", baitUrl()), EmulatedTwilio.ORIGIN));

        assertEquals(1, answers.stream().filter(a -> a.getStatusCode() == 200).count(), answers.toString());
        assertEquals(7, answers.stream().filter(a -> a.getStatusCode() == 429).count());
        assertEquals(1, ses.captured().size());
    }

    @Test
    void anAddressGetsAtMostThreeTranscriptsADayWhateverTheChats() throws Exception {
        for (int i = 0; i < 3; i++) {
            chat("Ada", "ada@example.com");
            assertEquals(200, post(widgetBody("ada@example.com", baitUrl())).getStatusCode());
        }
        chat("Ada", "ada@example.com");

        APIGatewayV2HTTPResponse fourth = post(widgetBody("ada@example.com", baitUrl()));

        assertEquals(429, fourth.getStatusCode(), fourth.getBody());
        assertEquals(3, ses.captured().size());
    }

    // --- files ------------------------------------------------------------------------------------------------

    @Test
    void theChatsOwnFilesAreAttachedFromTwiliosMediaAndOnesThatDoNotFitAreListed() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(ses.environment());
        env.put("TRANSCRIPT_MAX_ATTACHMENT_BYTES", "3000");
        runtime = runtime(Clock.systemUTC(), env);
        handler = new ConversationsWebhookHandler(runtime);
        WebChannels chat = chat("Ada", "ada@example.com");
        byte[] photo = new byte[2_000];
        for (int i = 0; i < photo.length; i++) {
            photo[i] = (byte) (i * 31);
        }
        twilio.emulator().postMedia(chat.getConversationSid(), chat.getIdentity(), "photo.png", "image/png", photo);
        twilio.emulator().postMedia(chat.getConversationSid(), chat.getIdentity(), "photo.png", "image/png", new byte[1_500]);
        twilio.emulator().postMedia(chat.getConversationSid(), chat.getIdentity(), "../../etc/big.bin", "application/octet-stream",
                new byte[5_000]);

        APIGatewayV2HTTPResponse response = post(widgetBody("ada@example.com", baitUrl()));

        assertEquals(200, response.getStatusCode(), response.getBody());
        CapturedEmail email = ses.captured().get(0);
        assertEquals(1, email.attachments().size(), email.toString());
        assertEquals("photo.png", email.attachments().get(0).filename());
        assertArrayEquals(photo, email.attachments().get(0).content());
        assertTrue(email.text().contains("- photo-1.png (no room left in the email)"), email.text());
        assertTrue(email.text().contains("- big.bin (larger than an email takes)"), email.text());
        assertTrue(email.text().contains("Ada: (file: photo-1.png)"), "the chat names each file as the email does: " + email.text());
        assertFalse(email.text().contains("../"), email.text());
        assertEquals(0, baitCalls.get());
    }

    // --- SendGrid, and the providers failing --------------------------------------------------------------------

    @Test
    void withSendGridsKeyTheEmailGoesThroughSendGrid() throws Exception {
        runtime = runtime(Clock.systemUTC(), sendGrid.environment());
        handler = new ConversationsWebhookHandler(runtime);
        chat("Ada", "ada@example.com");

        assertEquals(200, post(widgetBody("ada@example.com", baitUrl())).getStatusCode());
        assertEquals(List.of(), ses.captured());
        assertEquals(List.of(List.of("ada@example.com")), sendGrid.captured().stream().map(CapturedEmail::to).toList());
    }

    @Test
    void aRefusedEmailIsA502AndItsCountsAreGivenBackForTheRetry() throws Exception {
        chat("Ada", "ada@example.com");
        ses.failNext(1, MailFault.ACCESS_DENIED);

        APIGatewayV2HTTPResponse refused = post(widgetBody("ada@example.com", baitUrl()));

        assertEquals(502, refused.getStatusCode(), refused.getBody());
        assertEquals("mail_error", json(refused).at("/error/code").asText());
        assertEquals(200, post(widgetBody("ada@example.com", baitUrl())).getStatusCode(), "the retry is not over a limit");
        assertEquals(1, ses.captured().size());
    }

    @Test
    void anEmailWhoseOutcomeIsUnknownIsNotSentAgain() throws Exception {
        chat("Ada", "ada@example.com");
        ses.failNext(1, MailFault.SERVER_ERROR);

        APIGatewayV2HTTPResponse failed = post(widgetBody("ada@example.com", baitUrl()));
        APIGatewayV2HTTPResponse retry = post(widgetBody("ada@example.com", baitUrl()));

        assertEquals(502, failed.getStatusCode(), failed.getBody());
        assertEquals(429, retry.getStatusCode(), "the 5xx may have sent it: the chat's count stays");
        assertEquals(List.of(), ses.captured());
    }

    @Test
    void aProviderThatDoesNotAnswerIsA504WithinTheFunctionsTime() throws Exception {
        chat("Ada", "ada@example.com");
        ses.failNext(1, MailFault.NO_ANSWER);

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response = post(widgetBody("ada@example.com", baitUrl()));
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertEquals(504, response.getStatusCode(), response.getBody());
        assertEquals("mail_timeout", json(response).at("/error/code").asText());
        assertTrue(millis < FUNCTION_TIMEOUT.toMillis(), "answered after " + millis + " ms");
    }

    // --- bad input ----------------------------------------------------------------------------------------------

    @Test
    void badInputIsA4xxWithNothingAskedOrSent() throws Exception {
        chat("Ada", "ada@example.com");
        twilio.emulator().clearRequests();
        Map<String, Integer> cases = new LinkedHashMap<>();
        cases.put("not json", 400);
        cases.put("[]", 400);
        cases.put("{}", 400);
        cases.put("{\"recipientAddress\":42}", 400);
        cases.put("{\"recipientAddress\":\"ada@example.com, eve@example.com\"}", 400);
        cases.put("{\"recipientAddress\":\"ada@example.com\\r\\nBcc: eve@example.com\"}", 400);
        cases.put("{\"recipientAddress\":\"Ada <ada@example.com>\"}", 400);
        cases.put("{\"token\":null,\"recipientAddress\":\"ada@example.com\"}", 400);
        cases.put("{\"recipientAddress\":\"ada@example.com\",\"text\":\"" + "x".repeat(1024 * 1024) + "\"}", 413);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            APIGatewayV2HTTPResponse response = post(c.getKey());
            assertEquals(c.getValue(), response.getStatusCode(), c.getKey().substring(0, Math.min(60, c.getKey().length())) + " " + response.getBody());
            assertTrue(json(response).at("/error/code").isTextual(), response.getBody());
        }
        APIGatewayV2HTTPResponse otherOrigin = post(handler, widgetBody("ada@example.com", baitUrl()), "https://evil.example");
        assertEquals(403, otherOrigin.getStatusCode());
        assertEquals(List.of(), ses.captured());
        assertEquals(List.of(), twilio.emulator().requests(), "Twilio was never asked");
        assertEquals(0, baitCalls.get());
    }

    @Test
    void withoutFromEmailTheRouteIsOff() throws Exception {
        Map<String, String> env = twilio.environment();
        ConversationsWebhookHandler off = new ConversationsWebhookHandler(EmulatedTwilio.runtime(env, Clock.systemUTC()));

        APIGatewayV2HTTPResponse response = post(off, widgetBody("ada@example.com", baitUrl()), EmulatedTwilio.ORIGIN);

        assertEquals(404, response.getStatusCode());
        assertEquals("transcripts_off", json(response).at("/error/code").asText());
    }
}
