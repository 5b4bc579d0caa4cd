package com.flexwebchat.local.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flexwebchat.local.campaign.ConcurrencyWorld.Answer;
import com.flexwebchat.local.campaign.ConcurrencyWorld.Chat;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.testing.Burst;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The concurrency campaign (issue 10, class 1): every action a visitor or Twilio triggers, asked
 * for N times at the same moment (N = 2 and 8: a double click, a retry racing its first attempt,
 * the same event from two webhook configurations, a burst), has one effect; and two different
 * triggers of one effect (two ending events of a chat, the visitor's End chat with the agent's
 * ending) have one effect between them. Over real HTTP against {@code ./run-local}'s API
 * ({@link ConcurrencyWorld}), each burst released at once ({@link Burst}), with Twilio slowed where
 * a route reads before it writes, so every request of a burst has read before any has written.
 *
 * <p>Effects are counted at Twilio (the emulator's journal and state), after the webhooks the
 * effects cause themselves (an ending's task events) have been answered. Bounded: each request
 * has 30 s, each burst 60 s, the emulator's webhooks 20 s.
 */
class ConcurrencyCampaignTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough that every request of a burst reads before the first writes, on a loaded 2-core machine. */
    static final Duration SLOW_READ = Duration.ofMillis(400);
    static final Set<String> ENDING_NOTICES = Set.of(WebChatConfig.Endings.CUSTOMER_LEFT_MESSAGE,
            WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE, WebChatConfig.Endings.DEFAULT_ABANDONED_MESSAGE);

    static ConcurrencyWorld world;

    @BeforeAll
    static void start() {
        world = new ConcurrencyWorld();
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @BeforeEach
    void quiet() {
        world.settle();
        world.emulator.reset();
        world.emulator.clearRequests();
    }

    static <T> List<T> atOnce(int n, IntFunction<T> call) {
        return Burst.of(n, call);
    }

    String participantConversations() {
        return "/conversations/v1/Services/" + world.account.conversationsServiceSid() + "/ParticipantConversations";
    }

    void slowReadsOfTheChat(Chat chat, int n) {
        world.emulator.delayNext("GET", world.conversations() + chat.conversationSid(), SLOW_READ, n);
        world.emulator.delayNext("GET", participantConversations(), SLOW_READ, n);
    }

    static JsonNode attributes(Map<String, Object> message) {
        try {
            Object text = message.get("attributes");
            return JSON.readTree(text == null ? "{}" : text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chat ended once: one ending notice (any of {@code allowed}), one close asked, closed. */
    void assertEndedOnce(Chat chat, Set<String> allowed, String what) {
        world.settle();
        List<Map<String, Object>> notices = world.notices(chat);
        assertEquals(1, notices.size(), what + ": one ending notice, got " + notices.stream().map(m -> m.get("body")).toList());
        assertTrue(allowed.contains(notices.get(0).get("body")), what + ": " + notices.get(0).get("body"));
        assertTrue(attributes(notices.get(0)).hasNonNull("chatEnding"), what + ": the notice says it is an ending");
        assertEquals(1, world.closes(chat).size(), what + ": one close asked of Twilio, got " + world.closes(chat));
        assertEquals("closed", world.state(chat), what);
    }

    // === the visitor's actions ==================================================================================

    /** A double click on the pre-engagement form's submit: one chat, every answer its conversation. */
    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {2, 8})
    void identicalSubmitsStartOneChat(int n) {
        String body = "{\"formData\":{\"friendlyName\":\"Ada " + ConcurrencyWorld.serial() + "\",\"query\":\"Hi\"}}";
        world.emulator.delayNext("POST", "/flex-api/v2/WebChats", SLOW_READ, 1);

        List<Answer> answers = atOnce(n, i -> world.postJson("/initWebchat", body));

        answers.forEach(a -> assertEquals(200, a.status(), a.toString()));
        Set<String> conversations = answers.stream().map(a -> a.json().path("conversationSid").asText()).collect(Collectors.toSet());
        assertEquals(1, conversations.size(), "one conversation for every answer: " + conversations);
        world.settle();
        assertEquals(1, world.emulator.requests("POST", "/flex-api/v2/WebChats").size(), "one chat created at Twilio");
        assertEquals(1, world.emulator.messages(conversations.iterator().next()).stream()
                .filter(m -> "Hi".equals(m.get("body"))).count(), "its first question posted once");
    }

    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {2, 8})
    void identicalEndChatsEndTheChatOnce(int n) {
        Chat chat = world.startChat();
        slowReadsOfTheChat(chat, n);

        List<Answer> answers = atOnce(n, i -> world.endChat(chat));

        answers.forEach(a -> {
            assertEquals(200, a.status(), a.toString());
            assertTrue(a.json().path("ended").asBoolean(), a.toString());
        });
        assertEndedOnce(chat, Set.of(WebChatConfig.Endings.CUSTOMER_LEFT_MESSAGE), n + " End chats");
    }

    /** Renewing a token changes nothing at Twilio, however often at once. */
    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {2, 8})
    void identicalRenewalsWriteNothing(int n) {
        Chat chat = world.startChat();
        world.emulator.clearRequests();

        List<Answer> answers = atOnce(n, i -> world.refreshToken(chat));

        answers.forEach(a -> assertEquals(200, a.status(), a.toString()));
        assertEquals(List.of(), world.emulator.writes());
        assertEquals(Set.of(chat.identity()), answers.stream().map(a -> ConcurrencyWorld.identityOf(a.json().path("token").asText()))
                .collect(Collectors.toSet()), "the same visitor");
    }

    // === Twilio's events ======================================================================================

    /** One onParticipantAdded delivered N times with its idempotency token (Twilio's retries racing). */
    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {2, 8})
    void identicalDeliveriesOfAnAgentsJoinPostOneNotice(int n) {
        assertOneJoinNotice(n, i -> "idem-join-same");
    }

    /** The same join from two (or more) webhook configurations: a token each. */
    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {2, 8})
    void deliveriesOfAnAgentsJoinWithTokensOfTheirOwnPostOneNotice(int n) {
        assertOneJoinNotice(n, i -> "idem-join-" + i);
    }

    void assertOneJoinNotice(int n, IntFunction<String> tokens) {
        Chat chat = world.startChat();
        String identity = "agent" + ConcurrencyWorld.serial() + "@example.com";
        String participant = world.agentJoins(chat, identity, "Sam");
        Map<String, List<String>> event = world.participantAdded(chat.conversationSid(), participant, identity);
        String run = ConcurrencyWorld.sid("");
        world.emulator.clearRequests();
        world.emulator.delayNext("GET", world.conversations() + chat.conversationSid() + "/Messages", SLOW_READ, n);

        List<Answer> answers = atOnce(n, i -> world.webhook("/webhooks/conversations", event, tokens.apply(i) + run));

        answers.forEach(a -> assertEquals(200, a.status(), a.toString()));
        world.settle();
        assertEquals(List.of("Sam joined the chat"), world.notices(chat).stream().map(m -> m.get("body")).toList());
        assertEquals(1, world.emulator.requests("POST", "/conversations/v1/Services/.*/Users/.*").size(), "one rename");
        assertEquals("Sam", world.emulator.user(identity).orElseThrow().get("friendly_name"));
    }

    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {2, 8})
    void identicalDeliveriesOfAWrapupEndTheChatOnce(int n) {
        assertOneEndingForDeliveriesOf(n, "task.wrapup", "wrapping", WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE);
    }

    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {2, 8})
    void identicalDeliveriesOfACancellationEndTheChatOnce(int n) {
        assertOneEndingForDeliveriesOf(n, "task.canceled", "canceled", WebChatConfig.Endings.DEFAULT_ABANDONED_MESSAGE);
    }

    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {2, 8})
    void identicalDeliveriesOfACompletionEndTheChatOnce(int n) {
        assertOneEndingForDeliveriesOf(n, "task.completed", "completed", WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE);
    }

    /** One TaskRouter event (one Sid) delivered N times, each with an idempotency token of its own. */
    void assertOneEndingForDeliveriesOf(int n, String eventType, String status, String notice) {
        Chat chat = world.startChat();
        Map<String, List<String>> event = world.taskEvent(ConcurrencyWorld.sid("EV"), eventType, status,
                ConcurrencyWorld.sid("WT"), chat.conversationSid());
        slowReadsOfTheChat(chat, n);

        List<Answer> answers = atOnce(n, i -> world.taskRouter(event));

        answers.forEach(a -> assertEquals(204, a.status(), a.toString()));
        assertEndedOnce(chat, Set.of(notice), n + " deliveries of " + eventType);
    }

    /** Screening a message has no effect at Twilio to repeat: every delivery gets the same answer, nothing is written. */
    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {2, 8})
    void identicalDeliveriesOfAMessageAreScreenedAlikeAndWriteNothing(int n) {
        Chat chat = world.startChat();
        Map<String, List<String>> event = world.messageAdded(chat, "My card is 4111 1111 1111 1111");
        world.emulator.clearRequests();

        List<Answer> answers = atOnce(n, i -> world.webhook("/webhooks/conversations", event, "idem-message-" + i));

        assertEquals(1, answers.stream().map(Answer::toString).distinct().count(), answers.toString());
        assertEquals(200, answers.get(0).status());
        assertTrue(answers.get(0).body().contains("1111") && !answers.get(0).body().contains("4111"), answers.get(0).body());
        assertEquals(List.of(), world.emulator.writes());
    }

    /** The Studio flow's request only reads: every one at once gets the same answer, nothing is written. */
    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {2, 8})
    void identicalStudioRequestsAreAnsweredAlikeAndWriteNothing(int n) {
        Chat chat = world.startChat();
        Map<String, List<String>> request = ConcurrencyWorld.form("ConversationSid", chat.conversationSid());
        world.emulator.clearRequests();

        List<Answer> answers = atOnce(n, i -> world.webhook("/webhooks/studio", request, "idem-studio-" + i));

        assertEquals(1, answers.stream().map(Answer::toString).distinct().count(), answers.toString());
        assertEquals(200, answers.get(0).status(), answers.get(0).toString());
        assertEquals(chat.conversationSid(), answers.get(0).json().path("taskAttributes").path("conversationSid").asText());
        assertEquals(List.of(), world.emulator.writes());
    }

    // === different triggers of one effect ============================================================================

    /** The agent's wrap-up and the task's completion together: one notice, the agent-ended one, one close. */
    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {2, 8})
    void aWrapupAndACompletionOfOneChatEndItOnce(int n) {
        Chat chat = world.startChat();
        String task = ConcurrencyWorld.sid("WT");
        Map<String, List<String>> wrapup = world.taskEvent(ConcurrencyWorld.sid("EV"), "task.wrapup", "wrapping", task,
                chat.conversationSid());
        Map<String, List<String>> completed = world.taskEvent(ConcurrencyWorld.sid("EV"), "task.completed", "completed", task,
                chat.conversationSid());
        slowReadsOfTheChat(chat, n);

        List<Answer> answers = atOnce(n, i -> world.taskRouter(i % 2 == 0 ? wrapup : completed));

        answers.forEach(a -> assertEquals(204, a.status(), a.toString()));
        assertEndedOnce(chat, Set.of(WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE), "wrap-up and completion");
    }

    /** The visitor's End chat and the agent's ending together: one notice (either's), one close. */
    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {2, 8})
    void theVisitorsEndChatAndTheAgentsEndingEndTheChatOnce(int n) {
        Chat chat = world.startChat();
        Map<String, List<String>> wrapup = world.taskEvent(ConcurrencyWorld.sid("EV"), "task.wrapup", "wrapping",
                ConcurrencyWorld.sid("WT"), chat.conversationSid());
        slowReadsOfTheChat(chat, n);

        List<Answer> answers = atOnce(n, i -> i % 2 == 0 ? world.endChat(chat) : world.taskRouter(wrapup));

        answers.forEach(a -> assertTrue(a.status() == 200 || a.status() == 204, a.toString()));
        assertEndedOnce(chat, Set.of(WebChatConfig.Endings.CUSTOMER_LEFT_MESSAGE, WebChatConfig.Endings.DEFAULT_AGENT_ENDED_MESSAGE),
                "End chat and the agent's ending");
    }

    /** The visitor leaves while TaskRouter cancels the task nobody took: one notice, one close. */
    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {2, 8})
    void theVisitorsEndChatAndTheTasksCancellationEndTheChatOnce(int n) {
        Chat chat = world.startChat();
        Map<String, List<String>> canceled = world.taskEvent(ConcurrencyWorld.sid("EV"), "task.canceled", "canceled",
                ConcurrencyWorld.sid("WT"), chat.conversationSid());
        slowReadsOfTheChat(chat, n);

        List<Answer> answers = atOnce(n, i -> i % 2 == 0 ? world.endChat(chat) : world.taskRouter(canceled));

        answers.forEach(a -> assertTrue(a.status() == 200 || a.status() == 204, a.toString()));
        assertEndedOnce(chat, Set.of(WebChatConfig.Endings.CUSTOMER_LEFT_MESSAGE, WebChatConfig.Endings.DEFAULT_ABANDONED_MESSAGE),
                "End chat and the cancellation");
    }

    /** Every ending at once: End chat, the wrap-up and the completion, each several times. */
    @ParameterizedTest(name = "{0} at once")
    @ValueSource(ints = {3, 9})
    void everyEndingOfOneChatAtOnceEndsItOnce(int n) {
        Chat chat = world.startChat();
        String task = ConcurrencyWorld.sid("WT");
        Map<String, List<String>> wrapup = world.taskEvent(ConcurrencyWorld.sid("EV"), "task.wrapup", "wrapping", task,
                chat.conversationSid());
        Map<String, List<String>> completed = world.taskEvent(ConcurrencyWorld.sid("EV"), "task.completed", "completed", task,
                chat.conversationSid());
        slowReadsOfTheChat(chat, n);

        List<Answer> answers = atOnce(n, i -> switch (i % 3) {
            case 0 -> world.endChat(chat);
            case 1 -> world.taskRouter(wrapup);
            default -> world.taskRouter(completed);
        });

        answers.forEach(a -> assertTrue(a.status() == 200 || a.status() == 204, a.toString()));
        assertEndedOnce(chat, ENDING_NOTICES, "every ending at once");
    }
}
