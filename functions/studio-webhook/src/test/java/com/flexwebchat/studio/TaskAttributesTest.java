package com.flexwebchat.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the task carries: the form's fields masked, Twilio's SID never. */
class TaskAttributesTest {

    /**
     * A SID Twilio minted in a test run: its digits {@code 78373276213137} pass Luhn, and the whole
     * attribute tree used to go through the card masking, which routed the task to
     * {@code CH17f9a35269addf8f••••••••••3137cd}. About one random SID in 700 is like it.
     */
    static final String LUHN_SID = "CH17f9a35269addf8f78373276213137cd";

    @Test
    void theConversationSidIsNeverMaskedButTheFormsCardNumbersAre() {
        ObjectNode attributes = Json.object();
        attributes.putObject("pre_engagement_data").put("friendlyName", "Ada").put("department", "4111 1111 1111 1111");

        ObjectNode task = new TaskAttributes(List.of("department")).of(new Chat(LUHN_SID, false, attributes));

        assertEquals(LUHN_SID, task.get("conversationSid").asText());
        assertEquals("•••• •••• •••• 1111", task.get("department").asText());
        assertEquals("web", task.get("channelType").asText());
    }
}
