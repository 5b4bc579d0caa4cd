package com.flexwebchat.local.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.local.campaign.ConcurrencyWorld.Answer;
import com.flexwebchat.local.campaign.ConcurrencyWorld.Chat;
import com.flexwebchat.shared.testing.Burst;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transcript asked for in the form, over {@code ./run-local}'s real HTTP API (the emulator
 * wired to call the webhook routes back, the store on dynalite, email captured by the local SES):
 * whoever ends the chat (the visitor's End chat, twice at once; the agent's wrap-up, with the
 * task's completion and a redelivery; the closed timer), the conversation closes with webhooks,
 * Conversations' {@code onConversationStateUpdated} reaches the Conversations function, and one
 * email goes to the form's address.
 */
class TranscriptAtChatEndFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static ConcurrencyWorld world;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        world = new ConcurrencyWorld();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    /** {@code POST /initWebchat} with a form that asks for the transcript, from an address of its own. */
    static Chat startChat(String email) {
        ObjectNode form = JSON.createObjectNode();
        form.putObject("formData").put("friendlyName", "Ada").put("email", email).put("emailTranscript", true)
                .put("query", "Where is my order?");
        Answer started = world.postJson("/initWebchat", form.toString());
        assertEquals(200, started.status(), started.toString());
        String token = started.json().path("token").asText();
        return new Chat(started.json().path("conversationSid").asText(), token, ConcurrencyWorld.identityOf(token));
    }

    /** The emails the local SES captured for {@code address}, as /_local/mail.json lists them. */
    static List<JsonNode> mailTo(String address) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(world.api.baseUrl() + "/_local/mail.json"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        List<JsonNode> mail = new ArrayList<>();
        JSON.readTree(response.body()).path("messages").forEach(m -> {
            if (m.path("to").toString().contains("\"" + address + "\"")) {
                mail.add(m);
            }
        });
        return mail;
    }

    static String address() {
        return "visitor" + ConcurrencyWorld.serial() + "@example.com";
    }

    @Test
    void theVisitorEndingTheChatTwiceAtOnceSendsOneTranscript() throws Exception {
        String email = address();
        Chat chat = startChat(email);

        List<Answer> endings = Burst.of(2, i -> world.endChat(chat));
        world.settle();

        endings.forEach(answer -> assertEquals(200, answer.status(), answer.toString()));
        assertEquals("closed", world.state(chat));
        List<JsonNode> mail = mailTo(email);
        assertEquals(1, mail.size(), mail.toString());
        assertTrue(mail.get(0).path("text").asText().contains("Ada: Where is my order?"), mail.get(0).toString());
    }

    @Test
    void theAgentsWrapUpTheCompletionAndARedeliverySendOneTranscript() throws Exception {
        String email = address();
        Chat chat = startChat(email);
        String task = ConcurrencyWorld.sid("WT");
        var wrapup = world.taskEvent(ConcurrencyWorld.sid("EV"), "task.wrapup", "wrapping", task, chat.conversationSid());

        assertEquals(204, world.taskRouter(wrapup).status());
        world.taskRouter(wrapup);
        world.taskRouter(world.taskEvent(ConcurrencyWorld.sid("EV"), "task.completed", "completed", task, chat.conversationSid()));
        world.settle();

        assertEquals("closed", world.state(chat));
        assertEquals(1, mailTo(email).size());
    }

    @Test
    void theClosedTimerSendsTheTranscriptToo() throws Exception {
        String email = address();
        Chat chat = startChat(email);

        world.emulator.advanceClock(Duration.ofDays(1).plusMinutes(1));
        assertEquals("closed", world.state(chat), "the timer closed it when it was next looked at");
        world.settle();

        assertEquals(1, mailTo(email).size());
    }

    @Test
    void aChatWhoseFormDidNotAskGetsNoTranscriptWhenItEnds() throws Exception {
        String email = address();
        ObjectNode form = JSON.createObjectNode();
        form.putObject("formData").put("friendlyName", "Ada").put("email", email);
        Answer started = world.postJson("/initWebchat", form.toString());
        String token = started.json().path("token").asText();

        world.endChat(new Chat(started.json().path("conversationSid").asText(), token, ConcurrencyWorld.identityOf(token)));
        world.settle();

        assertEquals(List.of(), mailTo(email));
    }
}
