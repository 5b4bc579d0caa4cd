package com.flexwebchat.shared.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.shared.chat.legacy.ProgrammableChat;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.twilio.rest.conversations.v1.service.conversation.MessageCreator;
import com.twilio.rest.flexapi.v2.WebChannels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A chat's history for its transcript ({@link WebChats#history}): every message, oldest first, with author, body,
 * date, index, attributes and media, read page by page through the real SDK from the emulator, up to
 * {@link FlexConversations#MAX_HISTORY}.
 */
class ChatHistoryTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String MESSAGES = "/conversations/v1/Services/" + ACCOUNT.conversationsServiceSid()
            + "/Conversations/CH[0-9a-f]{32}/Messages";

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass();

    @Test
    void historyHasEveryMessageWithItsMedia() {
        WebChannels chat = twilio.startChat();
        String sid = chat.getConversationSid();
        WebChats chats = twilio.runtime().chats();
        Instant before = Instant.now().minusSeconds(1);
        chats.postAsVisitor(new StartedChat(sid, chat.getIdentity()), "Here is my invoice");
        Map<String, Object> sent = twilio.emulator().postMedia(sid, chat.getIdentity(), "invoice.pdf", "application/pdf",
                new byte[] {1, 2, 3, 4});
        // An agent's file, attached by MediaSid over REST as Flex's own tools do.
        String agentFile = (String) twilio.emulator().uploadMedia("label.png", "image/png", new byte[10]).get("sid");
        twilio.runtime().twilio().call("post the agent's file", client ->
                new MessageCreator(ACCOUNT.conversationsServiceSid(), sid).setAuthor("agent_40example_2Ecom")
                        .setMediaSid(agentFile).setBody("your label").create(client));
        chats.postAsConcierge(sid, "Bye", null);
        twilio.emulator().clearRequests();

        ChatHistory history = chats.history(sid);

        assertEquals(sid, history.chatSid());
        assertEquals(ACCOUNT.conversationsServiceSid(), history.serviceSid());
        assertFalse(history.truncated());
        List<ChatMessage> messages = history.messages();
        assertEquals(List.of(0, 1, 2, 3), messages.stream().map(ChatMessage::index).toList());
        assertEquals(List.of(chat.getIdentity(), chat.getIdentity(), "agent_40example_2Ecom", Concierge.AUTHOR),
                messages.stream().map(ChatMessage::author).toList());
        assertEquals("Here is my invoice", messages.get(0).body());
        assertEquals(List.of(), messages.get(0).media());
        assertNull(messages.get(1).body(), "a file alone has no body");
        String visitorFile = (String) ((Map<?, ?>) ((List<?>) sent.get("media")).get(0)).get("sid");
        assertEquals(List.of(new ChatMessage.Media(visitorFile, "invoice.pdf", "application/pdf", 4L)), messages.get(1).media());
        assertEquals(List.of(new ChatMessage.Media(agentFile, "label.png", "image/png", 10L)), messages.get(2).media());
        assertEquals("your label", messages.get(2).body());
        assertTrue(messages.stream().allMatch(m -> m.sid().startsWith("IM") && m.attributes() != null
                && !m.dateCreated().isBefore(before.minus(Duration.ofSeconds(1)))), messages.toString());
        assertFalse(messages.toString().contains("invoice"), "bodies and names stay out of toString");

        RecordedRequest read = twilio.emulator().requests("GET", MESSAGES).get(0);
        assertEquals("asc", read.queryParams().get("Order").get(0));
        assertEquals("100", read.queryParams().get("PageSize").get(0));
    }

    @Test
    void historyPagesThroughLongChatsInOrder() {
        String sid = twilio.startChat().getConversationSid();
        String visitor = (String) twilio.emulator().participants(sid).get(0).get("identity");
        for (int i = 0; i < 250; i++) {
            twilio.emulator().addMessageFromSdk(sid, visitor, "message " + i, null);
        }
        twilio.emulator().clearRequests();

        ChatHistory history = twilio.runtime().chats().history(sid);

        assertEquals(250, history.messages().size());
        assertFalse(history.truncated());
        for (int i = 0; i < 250; i++) {
            assertEquals("message " + i, history.messages().get(i).body());
        }
        assertEquals(3, twilio.emulator().requests("GET", MESSAGES).size(), "three pages of 100");
    }

    @Test
    void historyStopsAtItsLimitAndSaysSo() {
        String sid = twilio.startChat().getConversationSid();
        String visitor = (String) twilio.emulator().participants(sid).get(0).get("identity");
        for (int i = 0; i <= FlexConversations.MAX_HISTORY; i++) {
            twilio.emulator().addMessageFromSdk(sid, visitor, "m" + i, null);
        }
        twilio.emulator().clearRequests();

        ChatHistory history = twilio.runtime().chats().history(sid);

        assertEquals(FlexConversations.MAX_HISTORY, history.messages().size());
        assertTrue(history.truncated());
        assertEquals("m0", history.messages().get(0).body());
        assertEquals("m" + (FlexConversations.MAX_HISTORY - 1), history.messages().get(FlexConversations.MAX_HISTORY - 1).body());
        assertEquals(10, twilio.emulator().requests("GET", MESSAGES).size(), "no page past the limit is read");
    }

    @Test
    void latestMessagesCarryTheSameDetail() {
        WebChannels chat = twilio.startChat();
        twilio.emulator().postMedia(chat.getConversationSid(), chat.getIdentity(), null, "image/jpeg", new byte[7]);
        ChatMessage latest = twilio.runtime().chats().latestMessages(chat.getConversationSid(), 1).get(0);
        assertEquals(1, latest.media().size());
        assertNull(latest.media().get(0).filename(), "a file sent without a name has none");
        assertEquals(7L, latest.media().get(0).size());
        assertEquals(chat.getIdentity(), latest.author());
    }

    @Test
    void legacyChatsHaveNoHistory() {
        ProgrammableChat legacy = new ProgrammableChat(twilio.runtime().twilio(), ACCOUNT.flexFlowSid(), ACCOUNT.chatServiceSid());
        assertThrows(UnsupportedOperationException.class, () -> legacy.history("CH" + "0".repeat(32)));
        assertTrue(twilio.emulator().requests().isEmpty(), "nothing asked of Twilio");
    }

    @Test
    void mediaOfTheSdksShapesIsRead() {
        assertEquals(List.of(new ChatMessage.Media("ME1", "a.png", "image/png", 3L)),
                ChatMessage.mediaOf(List.of(Map.of("sid", "ME1", "filename", "a.png", "content_type", "image/png", "size", 3),
                        Map.of("filename", "no sid"), "junk")));
        assertEquals(List.of(new ChatMessage.Media("ME2", null, null, null)), ChatMessage.mediaOf(Map.of("sid", "ME2")));
        assertEquals(List.of(), ChatMessage.mediaOf(null));
    }
}
