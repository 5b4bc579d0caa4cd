package com.flexwebchat.conversations;

import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.chat.FlexConversations;
import com.flexwebchat.shared.flex.AgentNames;
import com.flexwebchat.shared.flex.FlexAgents;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.protection.ExactlyOnce;
import java.util.Optional;

/**
 * The post-event {@code onParticipantAdded} webhook: when an agent joins (first, or after a
 * transfer), the visitor sees them under their public name, never their real one. The widget
 * shows each author's Conversations User friendly name, so that name becomes the worker's
 * {@code public_identity} (or DEFAULT_AGENT_NAME), before the Concierge's "{name} joined the chat".
 *
 * <p>Nothing is done for a conversation Twilio does not have (answered 200 like any post-event
 * with nothing to do: there is nothing to retry) or one that has closed (a closed conversation is
 * read-only, and nobody is there to read a notice).
 *
 * <p>One notice per join, however the join is delivered. The key is the participant
 * ({@code joined#MB...}): what is announced is that this participant joined, so every delivery
 * of its {@code onParticipantAdded} (a retry, the same event sent by the service's and the
 * account's webhook configurations, each with an idempotency token of its own) is one effect,
 * and the same agent joining again (a transfer back) is a new participant with a notice of its
 * own. The participant's claim ({@link ExactlyOnce}) is taken once the join is known to be an
 * agent's in an open conversation, right before the writes, and given up when they fail, so
 * Twilio's retry takes effect. The notice is also its own record: it carries
 * {@code joinedParticipantSid} in its attributes, and a join that finds such a notice among the
 * latest messages posts none (for a store that failed, a record that expired, and a retry after
 * a post whose answer was lost). The user update is made only when the name differs.
 */
final class AgentAnnouncer {

    /** The attribute that ties a join notice to the participant it announces. */
    static final String JOINED_PARTICIPANT = "joinedParticipantSid";
    /** The exactly-once key of a participant's join. */
    static final String JOIN_KEY = "joined#";
    /**
     * How far back a join notice is looked for. A repeated delivery follows the first within
     * seconds, so its notice is among the latest messages.
     */
    static final int RECENT_MESSAGES = 50;

    private final FlexAgents agents;
    private final AgentNames names;
    private final FlexConversations conversations;
    private final String defaultAgentName;
    private final ExactlyOnce once;

    AgentAnnouncer(FlexAgents agents, AgentNames names, FlexConversations conversations, String defaultAgentName,
                   ExactlyOnce once) {
        this.agents = agents;
        this.names = names;
        this.conversations = conversations;
        this.defaultAgentName = defaultAgentName;
        this.once = once;
    }

    /** @param identity the participant's chat identity; null for an SMS or WhatsApp participant */
    void participantAdded(String conversationSid, String participantSid, String identity) {
        if (identity == null) {
            Log.info("Participant has no chat identity; not an agent");
            return;
        }
        Optional<FlexAgents.Agent> agent = agents.find(identity);
        if (agent.isEmpty()) {
            Log.info("Participant is not an agent");
            return;
        }
        Log.put("workerSid", agent.get().workerSid());
        Optional<Chat> conversation = conversations.find(conversationSid);
        if (conversation.isEmpty()) {
            Log.info("Twilio has no such conversation; nothing to announce", "outcome", "conversation_not_found");
            return;
        }
        if (conversation.get().ended()) {
            Log.info("The conversation has closed; no one to announce the agent to", "outcome", "conversation_closed");
            return;
        }
        String publicName = agent.get().publicIdentity() == null ? defaultAgentName : agent.get().publicIdentity();
        once.once(JOIN_KEY + participantSid, () -> {
            announce(conversationSid, participantSid, identity, publicName, agent.get().publicIdentity() == null);
            return null;
        }, () -> null);
    }

    private void announce(String conversationSid, String participantSid, String identity, String publicName, boolean defaultName) {
        boolean renamed = names.showAs(conversationSid, participantSid, identity, publicName);
        boolean announced = conversations.latestMessages(conversationSid, RECENT_MESSAGES).stream()
                .anyMatch(m -> m.isConciergeNotice(JOINED_PARTICIPANT)
                        && participantSid.equals(m.attributes().path(JOINED_PARTICIPANT).asText()));
        if (announced) {
            Log.info("Agent already announced", "renamed", renamed);
            return;
        }
        conversations.postAsConcierge(conversationSid, joinNotice(publicName), Json.object().put(JOINED_PARTICIPANT, participantSid));
        Log.info("Agent announced", "renamed", renamed, "defaultName", defaultName);
    }

    static String joinNotice(String publicName) {
        return publicName + " joined the chat";
    }
}
