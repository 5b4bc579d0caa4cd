package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code ./run-local play}, in-process: every chat plays through, each step printed as it happens. */
class ChatPlayerTest {

    @Test
    void playsTheThreeChatsStepByStep() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Path template = ProjectRoot.find().resolve("template.yaml");

        int status = ChatPlayer.play(template, new PrintStream(buffer, true, StandardCharsets.UTF_8), false);

        String output = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, output);
        List<String> chats = List.of(output.split("\nChat \\d: "));
        assertEquals(4, chats.size(), output);
        assertSteps(chats.get(1), 8);
        assertSteps(chats.get(2), 3);
        assertSteps(chats.get(3), 2);
        assertTrue(output.contains("13 of 13 steps did what they should"), output);
        assertFalse(output.contains("FAILED"), output);

        assertTrue(output.contains("stored: \"Hi, my card " + ChatPlayer.MASKED_CARD + " was charged twice\""), output);
        assertTrue(output.contains("posted: Concierge: Sam joined the chat"), output);
        assertTrue(output.contains("TaskRouter event: task.wrapup -> POST /webhooks/taskrouter 204"), output);
        assertTrue(output.contains("POST /refreshToken with the old token -> 403 token_refused"), output);
        assertTrue(output.contains("200: {\"ended\":true}"), output);
        assertTrue(output.contains("TaskRouter event: task.canceled -> POST /webhooks/taskrouter 204"), output);
        assertTrue(output.contains("posted: Concierge: This chat has been closed."), output);

        assertFalse(output.contains(ChatPlayer.CARD), "the card number is never printed");
        assertFalse(output.contains(ChatPlayer.AGENT_REAL_NAME), "nor the agent's real name");
        assertFalse(Pattern.compile("eyJ[A-Za-z0-9_-]{20,}").matcher(output).find(), "nor a whole token");
        assertFalse(output.contains("\"level\""), "the functions' log lines are kept back when every step passes");
    }

    /** Steps 1 to {@code count}, numbered in order, each followed by its outcome. */
    private static void assertSteps(String chat, int count) {
        List<String> numbered = chat.lines().filter(line -> line.matches(" ?\\d+\\. .*")).toList();
        assertEquals(count, numbered.size(), chat);
        for (int i = 0; i < count; i++) {
            assertTrue(numbered.get(i).startsWith(String.format("%2d. ", i + 1)), numbered.get(i));
        }
        assertEquals(count, chat.lines().filter(line -> line.equals("    ok")).count(), chat);
    }
}
