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

    static WebChatTask task(String attributes) {
        return WebChatTask.from(TASK, attributes).orElseThrow();
    }

    @Test
    void aFlexConversationsWebChatIsItsConversation() {
        WebChatTask task = task("{\"channelType\":\"web\",\"conversationSid\":\"" + CONVERSATION + "\"}");

        assertEquals(CONVERSATION, task.chatSid());
        assertEquals(TASK, task.taskSid());
        assertFalse(task.hasInteraction());
    }

    @Test
    void aTaskNamingOnlyAChannelNamesItsChatByIt() {
        WebChatTask task = task("{\"channelType\":\"web\",\"channelSid\":\"" + CHANNEL + "\"}");

        assertEquals(CHANNEL, task.chatSid());
    }

    /** As the Studio webhook reads ConversationSid, else ChannelSid: where a task names both, they are one chat. */
    @Test
    void theConversationSidWinsOverTheChannelSid() {
        String both = "{\"channelType\":\"web\",\"conversationSid\":\"" + CONVERSATION + "\",\"channelSid\":\"" + CHANNEL + "\"}";
        assertEquals(CONVERSATION, task(both).chatSid());
    }

    @Test
    void theInteractionIsKeptWhenBothOfItsSidsAreThere() {
        String prefix = "{\"channelType\":\"WEB\",\"conversationSid\":\"" + CONVERSATION + "\",\"flexInteractionSid\":\"KD"
                + "1".repeat(32) + "\"";
        WebChatTask task = task(prefix + ",\"flexInteractionChannelSid\":\"UO" + "2".repeat(32) + "\"}");
        assertTrue(task.hasInteraction());
        assertEquals("KD" + "1".repeat(32), task.interactionSid());
        assertEquals("UO" + "2".repeat(32), task.interactionChannelSid());

        assertFalse(task(prefix + "}").hasInteraction());
        assertNull(task(prefix + "}").interactionSid());
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
            assertEquals(Optional.empty(), WebChatTask.from(TASK, attributes), String.valueOf(attributes));
        }
    }

    @Test
    void aTaskSidThatIsNotOneIsLeftOut() {
        String attributes = "{\"channelType\":\"web\",\"conversationSid\":\"" + CONVERSATION + "\"}";
        assertNull(WebChatTask.from("WT\"}", attributes).orElseThrow().taskSid());
        assertNull(WebChatTask.from(null, attributes).orElseThrow().taskSid());
    }
}
