package com.flexwebchat.agentended;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which tasks are web chats, and which chat they name. */
class WebChatTaskTest {

    static final String CONVERSATION = "CH00112233445566778899aabbccddeeff";
    static final String CHANNEL = "CHffeeddccbbaa99887766554433221100";
    static final String TASK = "WT00112233445566778899aabbccddeeff";

    static WebChatTask task(String attributes, boolean legacyMode) {
        return WebChatTask.from(TASK, attributes, legacyMode).orElseThrow();
    }

    @Test
    void aFlexConversationsWebChatIsItsConversation() {
        WebChatTask task = task("{\"channelType\":\"web\",\"conversationSid\":\"" + CONVERSATION + "\"}", false);

        assertEquals(CONVERSATION, task.chatSid());
        assertFalse(task.legacy());
        assertEquals(TASK, task.taskSid());
        assertFalse(task.hasInteraction());
    }

    @Test
    void aTaskNamingOnlyAChannelIsALegacyChat() {
        WebChatTask task = task("{\"channelType\":\"web\",\"channelSid\":\"" + CHANNEL + "\"}", false);

        assertEquals(CHANNEL, task.chatSid());
        assertTrue(task.legacy());
    }

    @Test
    void inLegacyModeTheChannelWinsAndEitherNameWillDo() {
        String both = "{\"channelType\":\"web\",\"conversationSid\":\"" + CONVERSATION + "\",\"channelSid\":\"" + CHANNEL + "\"}";
        assertEquals(CHANNEL, task(both, true).chatSid());
        assertTrue(task(both, true).legacy());
        assertEquals(CONVERSATION, task(both, false).chatSid());

        WebChatTask conversationOnly = task("{\"channelType\":\"web\",\"conversationSid\":\"" + CONVERSATION + "\"}", true);
        assertEquals(CONVERSATION, conversationOnly.chatSid());
        assertTrue(conversationOnly.legacy());
    }

    @Test
    void theInteractionIsKeptWhenBothOfItsSidsAreThere() {
        String prefix = "{\"channelType\":\"WEB\",\"conversationSid\":\"" + CONVERSATION + "\",\"flexInteractionSid\":\"KD"
                + "1".repeat(32) + "\"";
        WebChatTask task = task(prefix + ",\"flexInteractionChannelSid\":\"UO" + "2".repeat(32) + "\"}", false);
        assertTrue(task.hasInteraction());
        assertEquals("KD" + "1".repeat(32), task.interactionSid());
        assertEquals("UO" + "2".repeat(32), task.interactionChannelSid());

        assertFalse(task(prefix + "}", false).hasInteraction());
        assertNull(task(prefix + "}", false).interactionSid());
    }

    @Test
    void otherTasksAreNotWebChats() {
        for (String attributes : new String[] {
                "{\"channelType\":\"sms\",\"conversationSid\":\"" + CONVERSATION + "\"}",
                "{\"channelType\":\"whatsapp\",\"conversationSid\":\"" + CONVERSATION + "\"}",
                "{\"conversationSid\":\"" + CONVERSATION + "\"}",
                "{\"type\":\"inbound\",\"call_sid\":\"CA" + "1".repeat(32) + "\"}",
                "{\"channelType\":\"web\",\"conversationSid\":\"CH-not-a-sid\"}",
                "{\"channelType\":\"web\",\"conversationSid\":{\"sid\":\"" + CONVERSATION + "\"}}",
                "{\"channelType\":\"web\"}",
                "[]", "\"web\"", "", "{", null}) {
            assertEquals(Optional.empty(), WebChatTask.from(TASK, attributes, false), String.valueOf(attributes));
        }
    }

    @Test
    void aTaskSidThatIsNotOneIsLeftOut() {
        String attributes = "{\"channelType\":\"web\",\"conversationSid\":\"" + CONVERSATION + "\"}";
        assertNull(WebChatTask.from("WT\"}", attributes, false).orElseThrow().taskSid());
        assertNull(WebChatTask.from(null, attributes, false).orElseThrow().taskSid());
    }
}
