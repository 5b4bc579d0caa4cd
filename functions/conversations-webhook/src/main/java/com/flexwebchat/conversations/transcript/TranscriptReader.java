package com.flexwebchat.conversations.transcript;

import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.chat.ChatHistory;
import com.flexwebchat.shared.chat.ChatMessage;
import com.flexwebchat.shared.chat.Concierge;
import com.flexwebchat.shared.chat.FlexConversations;
import com.flexwebchat.shared.flex.FlexAgents;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.redaction.CardNumberRedactor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a chat's transcript from the Conversations API: every message in order, each author named
 * as the visitor saw them. Authors are identities, which are never shown: the Concierge is
 * "Concierge"; an identity with a TaskRouter worker is an agent, shown by the worker's
 * {@code public_identity} (or DEFAULT_AGENT_NAME), never the worker's real name, as
 * {@code onParticipantAdded} renames agents for the widget; anyone else is the visitor, shown by
 * the form's {@code friendlyName}. Message bodies have card numbers masked again (a message that
 * reached the conversation while the screening webhook was down was not).
 */
final class TranscriptReader {

    static final String DEFAULT_VISITOR_NAME = "Customer";

    private final FlexConversations conversations;
    private final FlexAgents agents;
    private final String defaultAgentName;
    private final CardNumberRedactor redactor = new CardNumberRedactor();

    TranscriptReader(FlexConversations conversations, FlexAgents agents, String defaultAgentName) {
        this.conversations = conversations;
        this.agents = agents;
        this.defaultAgentName = defaultAgentName;
    }

    /** @param visitorIdentity the visitor's identity when known (a token's), else null: then only agents are looked up */
    Transcript read(Chat chat, String visitorIdentity) {
        String visitorName = visitorName(chat);
        ChatHistory history = conversations.history(chat.sid());
        List<ChatMessage> messages = history.messages();
        Map<String, Optional<String>> agentNameOf = new HashMap<>();
        LinkedHashSet<String> agentNames = new LinkedHashSet<>();
        List<Transcript.Line> lines = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            String author = message.author() == null ? "" : message.author();
            String name;
            if (Concierge.AUTHOR.equals(author)) {
                name = Concierge.AUTHOR;
            } else if (author.equals(visitorIdentity) || author.isEmpty()) {
                name = visitorName;
            } else {
                Optional<String> agent = agentNameOf.computeIfAbsent(author, identity -> agents.find(identity)
                        .map(a -> a.publicIdentity() == null || a.publicIdentity().isBlank() ? defaultAgentName : a.publicIdentity()));
                name = agent.orElse(visitorName);
                agent.ifPresent(agentNames::add);
            }
            String body = message.body() == null ? "" : redactor.redact(message.body()).text();
            List<Transcript.File> files = message.media().stream()
                    .map(m -> new Transcript.File(m.sid(), m.filename(), m.contentType(), m.size() == null ? -1 : m.size()))
                    .toList();
            lines.add(new Transcript.Line(name, message.dateCreated(), body, files));
        }
        if (history.truncated()) {
            Log.warn("The chat has more messages than a transcript takes; the first " + messages.size() + " are in it");
        }
        return new Transcript(chat.sid(), visitorName, List.copyOf(agentNames), lines);
    }

    static String visitorName(Chat chat) {
        String name = chat.preEngagementData().path("friendlyName").asText("");
        return name.isBlank() ? DEFAULT_VISITOR_NAME : name.strip();
    }
}
