package com.flexwebchat.local.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.local.campaign.ConcurrencyWorld.Answer;
import com.flexwebchat.local.campaign.ConcurrencyWorld.Chat;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.metrics.MetricName;
import com.flexwebchat.shared.testing.MetricsLines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics line each route and webhook writes, over {@code ./run-local}'s real HTTP API: one
 * per invocation, on its access line, valid Embedded Metric Format ({@link MetricsLines} checks the
 * specification, the names, the units and that every dimension is a short code), with the counts
 * the request earned.
 */
class MetricsLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static ConcurrencyWorld world;
    static final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
        world = new ConcurrencyWorld();
    }

    @AfterAll
    static void stop() {
        world.close();
        Log.redirect(null);
    }

    @BeforeEach
    void settle() {
        world.settle();
        logs.reset();
    }

    static String logs() {
        world.settle();
        return logs.toString(StandardCharsets.UTF_8);
    }

    static Chat startChat(String email) {
        ObjectNode form = JSON.createObjectNode();
        // A name of its own: the same form from the same client within seconds is one submit, and gets the first's chat.
        ObjectNode data = form.putObject("formData").put("friendlyName", "Ada " + ConcurrencyWorld.serial()).put("query", "Hi");
        if (email != null) {
            data.put("email", email);
        }
        Answer started = world.postJson("/initWebchat", form.toString());
        assertEquals(200, started.status(), started.toString());
        String token = started.json().path("token").asText();
        return new Chat(started.json().path("conversationSid").asText(), token, ConcurrencyWorld.identityOf(token));
    }

    @Test
    void everyAccessLineCarriesItsInvocationsMetricsAndNoOtherLineDoes() {
        Chat chat = startChat(null);
        world.refreshToken(chat);
        world.endChat(chat);

        String text = logs();
        long accessLines = text.lines().filter(l -> l.contains("\"message\":\"Request completed\"")).count();
        List<MetricsLines.Line> lines = MetricsLines.in(text);
        assertTrue(accessLines >= 3, text);
        assertEquals(accessLines, lines.size(), "one metrics line per invocation, on its access line");
    }

    @Test
    void initWebchat() {
        startChat(null);

        MetricsLines.Line line = MetricsLines.lastFor(logs(), "POST /initWebchat");
        assertEquals("initWebchat", line.dimensions().get("Route"));
        assertEquals("ok", line.dimensions().get("Outcome"));
        assertEquals(1, line.value(MetricName.Requests));
        assertEquals(1, line.value(MetricName.ChatsStarted));
        assertEquals(0, line.value(MetricName.ServerErrors));
        assertEquals(0, line.value(MetricName.ClientErrors));
        assertTrue(line.value(MetricName.TwilioCalls) >= 3, "create, the question, the welcome, the timer");
        assertEquals((int) line.value(MetricName.TwilioCalls), line.values().get("TwilioLatency").size(), "a latency per call");
        assertTrue(line.value(MetricName.StoreCalls) >= 1);
        assertTrue(line.value(MetricName.Latency) > 0);
        assertFalse(line.has(MetricName.TwilioErrors), "no error, no metric");
        assertTrue(line.raw().path("slowestTwilioCall").isTextual(), "the slowest Twilio call by operation, for the logs: " + line.raw());
        assertTrue(line.raw().path("slowestTwilioMillis").isNumber());
        assertEquals(200, line.raw().path("slowestTwilioStatus").asInt() / 100 * 100);
    }

    @Test
    void aRefusedOriginIsCountedByItsReason() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(world.api.baseUrl().resolve("/initWebchat"))
                .header("Origin", "https://evil.example").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, answer.statusCode());

        MetricsLines.Line line = MetricsLines.lastFor(logs(), "POST /initWebchat");
        assertEquals("origin_not_allowed", line.dimensions().get("Outcome"));
        assertEquals(1, line.value(MetricName.ClientErrors));
        assertFalse(line.has(MetricName.ChatsStarted));
        assertFalse(line.has(MetricName.TwilioCalls), "nothing asked of Twilio");
    }

    @Test
    void tokensRenewedAndRefused() {
        Chat chat = startChat(null);
        world.refreshToken(chat);
        MetricsLines.Line renewed = MetricsLines.lastFor(logs(), "POST /refreshToken");
        logs.reset();
        world.postJson("/refreshToken", "{\"token\":\"not.a.token\"}");
        MetricsLines.Line refused = MetricsLines.lastFor(logs(), "POST /refreshToken");

        assertEquals(1, renewed.value(MetricName.TokensRenewed));
        assertEquals("refreshToken", renewed.dimensions().get("Route"));
        assertEquals("token_refused", refused.dimensions().get("Outcome"));
        assertEquals(1, refused.value(MetricName.TokensRefused));
    }

    @Test
    void endingsAreCountedByWhoEnded() {
        Chat visitors = startChat(null);
        world.endChat(visitors);
        MetricsLines.Line visitor = MetricsLines.lastFor(logs(), "POST /endChat");
        Chat agents = startChat(null);
        logs.reset();
        world.taskRouter(world.taskEvent(ConcurrencyWorld.sid("EV"), "task.wrapup", "wrapping", ConcurrencyWorld.sid("WT"),
                agents.conversationSid()));
        MetricsLines.Line agent = MetricsLines.lastFor(logs(), "POST /webhooks/taskrouter");

        assertEquals(1, visitor.value(MetricName.ChatsEnded));
        assertEquals("visitor", visitor.dimensions().get("EndedBy"));
        assertEquals(1, agent.value(MetricName.ChatsEnded));
        assertEquals("agent", agent.dimensions().get("EndedBy"));
        assertEquals("taskrouter", agent.dimensions().get("Route"));
    }

    @Test
    void anUnsignedWebhookIsRefusedAndCountedWithoutAnyTwilioCall() {
        HttpResponse<String> forged;
        try {
            forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(world.api.baseUrl() + "/webhooks/conversations"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", "forged")
                    .POST(HttpRequest.BodyPublishers.ofString("EventType=onMessageAdd")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertEquals(403, forged.statusCode());

        MetricsLines.Line line = MetricsLines.lastFor(logs(), "POST /webhooks/conversations");
        assertEquals(1, line.value(MetricName.WebhooksRefused));
        assertEquals("invalid_signature", line.dimensions().get("Outcome"));
        assertFalse(line.has(MetricName.TwilioCalls));
    }

    @Test
    void theStudioWebhook() {
        Chat chat = startChat(null);
        logs.reset();

        Answer answer = world.webhook("/webhooks/studio", ConcurrencyWorld.form("ConversationSid", chat.conversationSid(),
                "FlowSid", "FW" + "0".repeat(32)), UUID.randomUUID().toString());

        assertEquals(200, answer.status(), answer.toString());
        MetricsLines.Line line = MetricsLines.lastFor(logs(), "POST /webhooks/studio");
        assertEquals("studio", line.dimensions().get("Route"));
        assertEquals("ok", line.dimensions().get("Outcome"));
        assertTrue(line.value(MetricName.TwilioCalls) >= 1, "the chat is read");
    }

    @Test
    void aMaskedMessageIsCounted() {
        Chat chat = startChat(null);
        logs.reset();

        Answer masked = world.webhook("/webhooks/conversations", world.messageAdded(chat, "card 4111 1111 1111 1111"),
                UUID.randomUUID().toString());

        assertEquals(200, masked.status(), masked.toString());
        MetricsLines.Line line = MetricsLines.lastFor(logs(), "POST /webhooks/conversations");
        assertEquals(1, line.value(MetricName.MessagesMasked));
        assertEquals("conversations", line.dimensions().get("Route"));
    }

    @Test
    void aTranscriptSentIsCountedWithItsMailCall() {
        String email = "metrics" + ConcurrencyWorld.serial() + "@example.com";
        startChat(email);
        logs.reset();

        Answer sent = world.postJson("/email", "{\"recipientAddress\":\"" + email + "\"}");

        assertEquals(200, sent.status(), sent.toString());
        MetricsLines.Line line = MetricsLines.lastFor(logs(), "POST /email");
        assertEquals(1, line.value(MetricName.TranscriptsSent));
        assertEquals(1, line.value(MetricName.MailCalls));
        assertEquals("email", line.dimensions().get("Route"));
    }

    @Test
    void noMetricsValueOrDimensionCarriesPersonalDataOrASecret() {
        String email = "private" + ConcurrencyWorld.serial() + "@example.com";
        Chat chat = startChat(email);
        world.refreshToken(chat);
        world.postJson("/email", "{\"recipientAddress\":\"" + email + "\"}");
        world.endChat(chat);

        for (MetricsLines.Line line : MetricsLines.in(logs())) {
            String metricsPart = line.raw().path("_aws").toString() + line.dimensions() + line.values();
            for (String secret : List.of(email, chat.conversationSid(), chat.identity(), chat.token(), "127.0.0.1",
                    world.account.authToken(), world.account.apiSecret())) {
                assertFalse(metricsPart.contains(secret), "the metrics carry " + secret + ": " + metricsPart);
            }
        }
    }
}
