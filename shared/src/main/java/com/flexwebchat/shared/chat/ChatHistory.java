package com.flexwebchat.shared.chat;

import java.util.List;

/**
 * A chat's messages, oldest first, as a transcript shows them ({@link WebChats#history}).
 *
 * @param chatSid    the chat ({@code CH...})
 * @param serviceSid the service its messages and their media belong to ({@code IS...}): the one to read a
 *                   message's {@link ChatMessage.Media} from, by SID
 * @param messages   oldest first, at most {@link FlexConversations#MAX_HISTORY}
 * @param truncated  true when the chat has more messages than were read: the transcript must say so
 */
public record ChatHistory(String chatSid, String serviceSid, List<ChatMessage> messages, boolean truncated) {

    public ChatHistory {
        messages = List.copyOf(messages);
    }

    @Override
    public String toString() {
        return "ChatHistory[" + chatSid + ", " + messages.size() + " messages" + (truncated ? ", truncated" : "") + "]";
    }
}
